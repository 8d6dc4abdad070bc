// Where the tracer and the workload run. Every seccomp stop wakes the tracer and
// every resume wakes the tracee. On a VM a wake-up on an idle vCPU costs an IPI and a VM exit
// (60-90 us measured); a switch between two tasks on the same vCPU about 10 us. Left to
// itself the scheduler puts the tracee on the idle vCPU at every resume, so every stop pays
// twice.
//
// The policy: while exactly one task of the workload can run (the others wait in wait4, waitid
// or vfork for a child), that task and the tracer share one CPU; as soon as two could run
// (a fork, a thread, a wait that returned), both get their own affinity back, so a parallel
// workload (make -j2, threads) is never serialised. The workload does not see it:
// sched_getaffinity from any tracee first puts every mask back (the call then reports the
// native mask), and a tracee that sets affinity itself turns the policy off for the run. What
// does show: /proc/PID/status (Cpus_allowed) and the CPU a lone task runs on.
//
//   PlacementPolicy policy;
//   policy.task_started(100);        // the workload's first task
//   policy.decide();                 // {Pair, 100}: 100 and the tracer on one CPU
//   policy.task_started(101);        // 100 forked 101
//   policy.decide();                 // {Unpair}: two can run
//   policy.parked(100);              // 100 entered wait4
//   policy.decide();                 // {Pair, 101}
//
// PlacementPolicy only decides; the event loop's placement (tracer/src/thread_placement.hpp)
// watches the syscalls and applies the decisions with sched_setaffinity.
#pragma once

#include <sys/types.h>

#include <set>

namespace syscap::tracer {

enum class CpuPlacement {
  None,  // leave tracer and workload to the scheduler
  Auto,  // the policy below (the default)
};

class PlacementPolicy {
 public:
  enum class Kind { Keep, Pair, Unpair };
  struct Action {
    Kind kind = Kind::Keep;
    pid_t runner = 0;  // for Pair: the task to share the tracer's CPU
    bool operator==(const Action&) const = default;
  };

  void task_started(pid_t tid) { live_.insert(tid); }
  void task_gone(pid_t tid);
  // A non-leader thread `former` exec'd and took over the leader's id `tid`.
  void task_replaced(pid_t former, pid_t tid);
  // `tid` entered a call that blocks until a child changes state.
  void parked(pid_t tid) { parked_.insert(tid); }
  // `tid` stopped again: its call has returned. True if it had been parked.
  bool unparked(pid_t tid) { return !parked_.empty() && parked_.erase(tid) > 0; }
  // The pairing was undone from outside (a tracee asked for its affinity).
  void forget_pair() { paired_ = 0; }

  // What to do now.
  Action decide();

  pid_t paired() const { return paired_; }  // 0: nothing paired
  std::size_t runnable() const { return live_.size() - parked_.size(); }

 private:
  std::set<pid_t> live_;
  std::set<pid_t> parked_;  // a subset of live_
  pid_t paired_ = 0;
};

}  // namespace syscap::tracer
