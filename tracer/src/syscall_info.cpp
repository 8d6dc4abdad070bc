#include "syscall_info.hpp"

#include <sys/ptrace.h>

#include <cerrno>

#include "syscap/tracer/seccomp_filter.hpp"

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
  if (!out.arch) out.arch = arch_of_call(info.arch, out.nr);
  for (int i = 0; i < 6; ++i) out.args[i] = info.seccomp.args[i];
  out.instruction_pointer = info.instruction_pointer;
  return FetchResult::Ok;
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
