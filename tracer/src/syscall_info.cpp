#include "syscall_info.hpp"

#include <sys/ptrace.h>
#include <sys/uio.h>

#include <cerrno>

#include "syscap/tracer/seccomp_filter.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/tracee_memory.hpp"

namespace syscap::tracer::detail {

namespace {

FetchResult classify(int err) {
  if (err == ESRCH) return FetchResult::Gone;
  if (err == EIO || err == EINVAL) return FetchResult::Unsupported;
  return FetchResult::Failed;
}

}  // namespace

FetchResult fetch_seccomp_stop(pid_t pid, bool use_regs, SeccompStop& out) {
  if (use_regs) return fetch_seccomp_stop_from_regs(pid, out);
  __ptrace_syscall_info info;
  long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
  if (n < 0) return classify(errno);
  if (info.op != PTRACE_SYSCALL_INFO_SECCOMP) return FetchResult::Failed;
  out.audit_arch = info.arch;
  out.nr = static_cast<std::int64_t>(info.seccomp.nr);
  // The filter told us the arch; the audit arch is the check for a filter we did not install.
  out.arch = decode_ret_data(info.seccomp.ret_data);
  if (!out.arch) out.arch = tables::arch_of_syscall(info.arch, static_cast<long>(out.nr));
  for (int i = 0; i < 6; ++i) out.args[i] = info.seccomp.args[i];
  out.instruction_pointer = info.instruction_pointer;
  return FetchResult::Ok;
}

FetchResult fetch_syscall_stop(pid_t pid, SeccompStop& entry, SyscallExit& exit, bool& at_entry) {
  __ptrace_syscall_info info;
  long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
  if (n < 0) return classify(errno);
  if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    at_entry = true;
    entry.audit_arch = info.arch;
    entry.nr = static_cast<std::int64_t>(info.entry.nr);
    entry.arch = tables::arch_of_syscall(info.arch, static_cast<long>(entry.nr));
    for (int i = 0; i < 6; ++i) entry.args[i] = info.entry.args[i];
    entry.instruction_pointer = info.instruction_pointer;
    return FetchResult::Ok;
  }
  if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
    at_entry = false;
    exit.rval = info.exit.rval;
    exit.is_error = info.exit.is_error != 0;
    return FetchResult::Ok;
  }
  return FetchResult::Failed;
}

FetchResult fetch_syscall_exit(pid_t pid, bool use_regs, SyscallExit& out) {
  if (use_regs) return fetch_syscall_exit_from_regs(pid, out);
  __ptrace_syscall_info info;
  long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info);
  if (n < 0) return classify(errno);
  if (info.op != PTRACE_SYSCALL_INFO_EXIT) return FetchResult::Failed;
  out.rval = info.exit.rval;
  out.is_error = info.exit.is_error != 0;
  return FetchResult::Ok;
}

}  // namespace syscap::tracer::detail

namespace syscap::tracer {

bool read_tracee_memory(pid_t pid, std::uint64_t addr, void* out, std::size_t len) {
  if (addr == 0) return false;
  iovec local{out, len};
  iovec remote{reinterpret_cast<void*>(addr), len};
  return process_vm_readv(pid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(len);
}

std::optional<std::uint64_t> clone3_flags(pid_t pid, std::uint64_t args_addr) {
  std::uint64_t flags = 0;
  if (!read_tracee_memory(pid, args_addr, &flags, sizeof flags)) return std::nullopt;
  return flags;
}

}  // namespace syscap::tracer
