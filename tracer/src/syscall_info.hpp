// Fetching what a stopped tracee is doing, in one ptrace call where the kernel allows.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "syscap/tracer/observer.hpp"

namespace syscap::tracer::detail {

enum class FetchResult { Ok, Gone, Unsupported, Failed };

// Fills a SeccompStop (all but pid) with PTRACE_GET_SYSCALL_INFO, or the register fallback when
// `use_regs` (kernels before 5.3). Gone: the tracee died (ESRCH), an expected race.
FetchResult fetch_seccomp_stop(pid_t pid, bool use_regs, SeccompStop& out);

// At a syscall-stop (PTRACE_SYSCALL): the call being entered (true, `entry` filled but for
// pid) or left (false, `exit`'s rval and is_error filled), with PTRACE_GET_SYSCALL_INFO (Linux
// 5.3+; Unsupported before). Failed: neither (a stop that is no syscall-stop).
FetchResult fetch_syscall_stop(pid_t pid, SeccompStop& entry, SyscallExit& exit, bool& at_entry);

// The result of the syscall a tracee is stopped at the exit of.
FetchResult fetch_syscall_exit(pid_t pid, bool use_regs, SyscallExit& out);

// Register fallback, per architecture (syscall_regs_<arch>.cpp).
FetchResult fetch_seccomp_stop_from_regs(pid_t pid, SeccompStop& out);
FetchResult fetch_syscall_exit_from_regs(pid_t pid, SyscallExit& out);

// Rewrites the first argument of the call a tracee is stopped at the entry of (at its seccomp
// stop the kernel has not read it yet), per architecture. False with errno set when it cannot
// (ESRCH: the tracee died; ENOSYS: no register layout for this build's architecture).
bool set_first_syscall_arg(pid_t pid, tables::Arch arch, std::uint64_t value);

}  // namespace syscap::tracer::detail
