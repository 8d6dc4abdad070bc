// Runs a command under the permissive seccomp filter and a ptrace event loop, reporting every
// syscall of it and of every thread and process it starts to the observers.
//
//   syscap::tracer::Recorder recorder;
//   syscap::tracer::TracerOptions opts{.command = {"sh", "-c", "ls | wc -l"},
//                                      .observers = {&recorder}};
//   auto run = syscap::tracer::run_traced(opts);   // Result<RunResult>
//   if (!run) ...                                  // e.g. command not found (sys_errno ENOENT)
//   int status = run->shell_status();              // 0, or 128+N when killed by signal N
//
// Design: fork; the parent PTRACE_SEIZEs the child (EXITKILL, TRACESECCOMP, fork/vfork/clone/
// exec/exit events); the child then sets no_new_privs, installs the filter and execs, so only
// the command's syscalls are seen, one seccomp stop each, resumed with PTRACE_CONT.
// The loop waits with waitpid(-1, __WALL): run it in a process with no other children.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tracer/cpu_placement.hpp"
#include "syscap/tracer/observer.hpp"
#include "syscap/tracer/trace.hpp"

namespace syscap::tracer {

// What a live status line shows; the recorder adds syscall counts.
struct LiveStatus {
  std::chrono::steady_clock::duration elapsed;
  std::size_t live_tasks;  // threads and processes alive now
};

struct TracerOptions {
  std::vector<std::string> command;           // argv; argv[0] is searched in PATH like execvp
  std::vector<SyscallObserver*> observers;    // called in order at each event
  // Called from the event loop about every `tick` while the workload runs (never concurrently).
  std::function<void(const LiveStatus&)> on_tick;
  std::chrono::milliseconds tick{250};
  // Forward SIGINT, SIGTERM, SIGHUP and SIGQUIT received by this process to every process of
  // the workload that is still alive (the third one sends SIGKILL to all of them), so the loop
  // can still finish and the trace be written. A terminal's signals (si_code SI_KERNEL) go only
  // to those outside this process's group: the terminal has signalled the others already.
  bool forward_signals = true;
  // Where the tracer and the workload run (cpu_placement.hpp).
  CpuPlacement cpu_placement = CpuPlacement::Auto;
  // The workload's standard output goes to this process's standard error (when ours carries
  // data, e.g. `record -o -`, so that the two never mix).
  bool workload_stdout_to_stderr = false;
};

struct RunResult {
  ExitStatus exit;              // of the command's first process
  std::uint64_t processes = 0;  // threads and processes traced, the first one included
  double duration_ms = 0;       // from fork to the last tracee's end
  pid_t pid = 0;                // pid of the first process
  // Signal N when the first process had already ended when this process was told to stop
  // (a forwarded SIGINT/SIGTERM/SIGHUP/SIGQUIT) and a process that outlived it then died of N;
  // 0 otherwise.
  int interrupted_by = 0;

  // The status to exit with: exit.shell_status(), except that a run whose first process exited
  // 0 and whose remaining processes were then ended by a signal is no success: 128+N.
  int shell_status() const {
    return exit.code == 0 && interrupted_by != 0 ? 128 + interrupted_by : exit.shell_status();
  }
};

// Runs the command to completion (and every descendant that stays traced, e.g. daemons).
// Errors: command not found (sys_errno ENOENT) or not executable (EACCES, ...), in which case
// nothing of the command ran; or a failure to set up tracing.
Result<RunResult> run_traced(const TracerOptions& options);


}  // namespace syscap::tracer
