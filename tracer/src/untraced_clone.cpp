#include "untraced_clone.hpp"

#include <sched.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <spdlog/spdlog.h>

#include "syscall_info.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/tracee_memory.hpp"

namespace syscap::tracer::detail {

namespace {

constexpr std::uint64_t kCloneUntraced = CLONE_UNTRACED;

// Writes the 8 bytes of `value` at `addr` in a stopped tracee. process_vm_writev first; then
// PTRACE_POKEDATA, which also writes where the tracee's own mapping is read-only (a `const`
// struct clone_args in .rodata), as a debugger's breakpoint would.
bool write_tracee_u64(pid_t pid, std::uint64_t addr, std::uint64_t value) {
  iovec local{&value, sizeof value};
  iovec remote{reinterpret_cast<void*>(addr), sizeof value};
  if (process_vm_writev(pid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(sizeof value)) return true;
  static_assert(sizeof(long) == sizeof value, "PTRACE_POKEDATA writes one 64-bit word");
  long word = 0;
  std::memcpy(&word, &value, sizeof word);
  return ptrace(PTRACE_POKEDATA, pid, reinterpret_cast<void*>(addr), reinterpret_cast<void*>(word)) == 0;
}

}  // namespace

UntracedCloneGuard::UntracedCloneGuard() {
  for (tables::Arch arch : tables::kTableArches) {
    Numbers& n = numbers_[static_cast<std::size_t>(arch)];
    n.clone = tables::syscall_number(arch, "clone").value_or(-1);
    n.clone3 = tables::syscall_number(arch, "clone3").value_or(-1);
  }
}

void UntracedCloneGuard::clear_flag(const SeccompStop& stop, bool is_clone3) const {
  const pid_t pid = stop.pid;
  if (!is_clone3) {
    const std::uint64_t flags = stop.args[0];
    if (!(flags & kCloneUntraced)) return;
    if (set_first_syscall_arg(pid, *stop.arch, flags & ~kCloneUntraced)) {
      spdlog::info("pid {}: clone asked for CLONE_UNTRACED; the flag was cleared so that its child is recorded too",
                   pid);
    } else if (errno != ESRCH) {
      spdlog::error("pid {}: cannot clear CLONE_UNTRACED from its clone flags ({}): its child will run untraced, "
                    "unrecorded, and every syscall of it will fail with ENOSYS",
                    pid, std::strerror(errno));
    }
    return;
  }
  // clone3(struct clone_args *args, size_t size): the flags are the struct's first member.
  const std::uint64_t args_addr = stop.args[0];
  const auto flags = clone3_flags(pid, args_addr);
  // Unreadable: the kernel cannot read it either and fails the call with EFAULT, no child.
  if (!flags || !(*flags & kCloneUntraced)) return;
  if (write_tracee_u64(pid, args_addr, *flags & ~kCloneUntraced)) {
    spdlog::info("pid {}: clone3 asked for CLONE_UNTRACED; the flag was cleared (in its struct clone_args) so "
                 "that its child is recorded too",
                 pid);
  } else if (errno != ESRCH) {
    spdlog::error("pid {}: cannot clear CLONE_UNTRACED from its clone3 arguments at {:#x} ({}): its child will run "
                  "untraced, unrecorded, and every syscall of it will fail with ENOSYS",
                  pid, args_addr, std::strerror(errno));
  }
}

}  // namespace syscap::tracer::detail
