// The interface between the ptrace loop and what it reports to (like sandbox2's notify.h):
// the loop knows nothing of JSON or capabilities; the recorder and the capability checker are
// observers.
//
//   class Counter : public syscap::tracer::SyscallObserver {
//     Resume on_syscall(const SeccompStop& s) override {
//       ++calls;
//       return s.nr == 257 ? Resume::ReportExit : Resume::Continue;  // want openat's result
//     }
//     void on_syscall_exit(const SyscallExit& e) override { if (e.is_error) ++failed_opens; }
//     int calls = 0, failed_opens = 0;
//   };
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>

#include "syscap/tables/arch.hpp"

namespace syscap::tracer {

// A tracee stopped at syscall entry by the seccomp filter (the call has not run yet).
struct SeccompStop {
  pid_t pid;                               // thread id of the caller
  std::optional<tables::Arch> arch;        // nullopt: an architecture we have no table for
  std::uint32_t audit_arch;                // seccomp_data.arch (AUDIT_ARCH_*)
  std::int64_t nr;                         // as the kernel reports it (x32: with kX32SyscallBit)
  std::array<std::uint64_t, 6> args;       // raw register values, never dereferenced
  std::uint64_t instruction_pointer;       // just after the syscall instruction
};

// The result of a call whose exit an observer asked for.
struct SyscallExit {
  pid_t pid;
  std::optional<tables::Arch> arch;
  std::int64_t nr;
  std::int64_t rval;  // return value, or -errno when is_error
  bool is_error;
};

// What the loop should do after a seccomp stop.
enum class Resume {
  Continue,    // let the call run, no further stop for it (the cheap, default case)
  ReportExit,  // stop again at its exit and call on_syscall_exit with the result
};

// Receives the events of a traced run. All calls come from the tracing thread, while the
// tracee named by pid is stopped (it may be read with process_vm_readv or /proc).
class SyscallObserver {
 public:
  virtual ~SyscallObserver() = default;
  // A syscall entry (hot path: keep it cheap, no allocation in the common case).
  virtual Resume on_syscall(const SeccompStop& stop) = 0;
  // The exit of a call for which on_syscall returned Resume::ReportExit.
  virtual void on_syscall_exit(const SyscallExit&) {}
  // A new thread or process reported its first stop (its parent may not have reported yet).
  virtual void on_task_start(pid_t) {}
  // A successful execve; `former_tid` differs from `pid` when a non-leader thread exec'd.
  virtual void on_exec(pid_t, pid_t /*former_tid*/) {}
  // A thread or process is gone; `wait_status` as from waitpid.
  virtual void on_task_exit(pid_t, int /*wait_status*/) {}
  // record --pid: a running process (its process id; a thread id given has been resolved to
  // it) is about to be attached to. Not stopped yet: it runs on while this is called.
  virtual void on_attach(pid_t) {}
};

}  // namespace syscap::tracer
