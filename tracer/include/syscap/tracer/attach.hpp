// Recording processes that run already (`record --pid`), for both engines: which processes,
// for how long, and how the window ended. The processes are never stopped for good, killed or
// signalled: when recording ends they run on as before.
//
//   auto targets = syscap::tracer::attach_targets({1234});   // errors name the pid
//   syscap::tracer::Recorder recorder;
//   auto run = syscap::tracer::attach_traced({.pids = {1234}, .duration = 60s,
//                                             .observers = {&recorder}});   // ptrace engine
//   // BpfEngine::attach({.pids = {1234}}) is the kernel-event engine's
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tracer/observer.hpp"
#include "syscap/tracer/trace.hpp"

namespace syscap::tracer {

struct AttachOptions {
  std::vector<pid_t> pids;                  // processes (a thread id stands for its process)
  std::chrono::milliseconds duration{0};    // 0: until they end or SIGINT/SIGTERM/SIGHUP/SIGQUIT
  std::vector<SyscallObserver*> observers;  // the ptrace engine's, as in run_traced()
  // The BPF engine (loaded for BpfTarget::Container): the pids are a running container's, and
  // every process that starts running in its cgroup later (docker exec) is followed too.
  std::string container_id;
  // The pids come from a listing (a container's processes): one that has ended since is left
  // out, not an error (the first must still run).
  bool listed = false;
};

// A process to attach to, as /proc describes it when attaching.
struct AttachTarget {
  pid_t pid = 0;                  // the process (thread group) id
  std::string exe;                // /proc/PID/exe
  std::vector<std::string> argv;  // /proc/PID/cmdline
};

// The processes `pids` name: each must exist, be a user process (not a kernel thread) and not
// be this process; a thread id stands for its process; repeats go; with `listed`, one that has
// ended (but not the first) is left out. Errors name the pid and what is wrong with it.
Result<std::vector<AttachTarget>> attach_targets(const std::vector<pid_t>& pids, bool listed = false);

// How an attached recording went.
struct AttachResult {
  std::vector<std::string> command;  // the first process's argv
  std::uint64_t processes = 0;       // threads and processes seen: attached and started
  double duration_ms = 0;
  AttachWindow window;
};

// The ptrace engine attached to running processes: PTRACE_SEIZE of every thread (threads
// created while attaching too), a stop at each syscall entry and exit (PTRACE_SYSCALL; a
// running process cannot be given the seccomp filter), the architecture of each call from
// PTRACE_GET_SYSCALL_INFO, children followed; at the end every thread is detached, with any
// signal it was about to get delivered. Errors: a process that cannot be traced (another
// user's without CAP_SYS_PTRACE, traced already: named), with nothing left attached.
Result<AttachResult> attach_traced(const AttachOptions& options);

namespace detail {
// ended_by for the window: "signal" when one of the forwarded signals came, "duration" when
// the time was up, else "exit".
std::string window_end(bool signalled, bool timed_out);
}  // namespace detail

}  // namespace syscap::tracer
