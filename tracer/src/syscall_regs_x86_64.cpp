// The register fallback for kernels without PTRACE_GET_SYSCALL_INFO (before 5.3), x86_64 only:
// one PTRACE_GETREGS plus PTRACE_GETEVENTMSG for the filter's arch tag; and the one register
// the loop ever writes (a clone's flags, untraced_clone.hpp).
#include <sys/ptrace.h>
#include <sys/user.h>

#include <cerrno>
#include <cstddef>

#include "syscall_info.hpp"
#include "syscap/tracer/seccomp_filter.hpp"

namespace syscap::tracer::detail {

#if defined(__x86_64__)

namespace {
FetchResult classify(int err) { return err == ESRCH ? FetchResult::Gone : FetchResult::Failed; }
}  // namespace

FetchResult fetch_seccomp_stop_from_regs(pid_t pid, SeccompStop& out) {
  unsigned long msg = 0;
  if (ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &msg) < 0) return classify(errno);
  user_regs_struct r{};
  if (ptrace(PTRACE_GETREGS, pid, nullptr, &r) < 0) return classify(errno);
  out.arch = decode_ret_data(static_cast<std::uint32_t>(msg));
  out.nr = static_cast<std::int64_t>(r.orig_rax);
  out.instruction_pointer = r.rip;
  if (out.arch == tables::Arch::X86) {
    out.audit_arch = 0x40000003;  // AUDIT_ARCH_I386
    out.nr = static_cast<std::int32_t>(r.orig_rax);
    const unsigned long long a[6] = {r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp};
    for (int i = 0; i < 6; ++i) out.args[i] = static_cast<std::uint32_t>(a[i]);
  } else {
    out.audit_arch = 0xc000003e;  // AUDIT_ARCH_X86_64
    const unsigned long long a[6] = {r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9};
    for (int i = 0; i < 6; ++i) out.args[i] = a[i];
  }
  return FetchResult::Ok;
}

FetchResult fetch_syscall_exit_from_regs(pid_t pid, SyscallExit& out) {
  user_regs_struct r{};
  if (ptrace(PTRACE_GETREGS, pid, nullptr, &r) < 0) return classify(errno);
  out.rval = static_cast<std::int64_t>(r.rax);
  if (out.arch == tables::Arch::X86) out.rval = static_cast<std::int32_t>(r.rax);
  out.is_error = out.rval < 0 && out.rval >= -4095;
  return FetchResult::Ok;
}

bool set_first_syscall_arg(pid_t pid, tables::Arch arch, std::uint64_t value) {
  // A 64-bit tracer sees every tracee through the 64-bit register layout; the i386 calling
  // convention passes the first argument in ebx, x86_64 and x32 in rdi.
  const std::size_t offset = arch == tables::Arch::X86 ? offsetof(user_regs_struct, rbx)
                                                       : offsetof(user_regs_struct, rdi);
  if (arch == tables::Arch::AARCH64) {
    errno = ENOSYS;
    return false;
  }
  return ptrace(PTRACE_POKEUSER, pid, reinterpret_cast<void*>(offsetof(user, regs) + offset),
                reinterpret_cast<void*>(value)) == 0;
}

#else

FetchResult fetch_seccomp_stop_from_regs(pid_t, SeccompStop&) { return FetchResult::Unsupported; }
FetchResult fetch_syscall_exit_from_regs(pid_t, SyscallExit&) { return FetchResult::Unsupported; }
bool set_first_syscall_arg(pid_t, tables::Arch, std::uint64_t) {
  errno = ENOSYS;
  return false;
}

#endif

}  // namespace syscap::tracer::detail
