// Where the tracing thread runs (issue 3). Every seccomp stop wakes the tracer and every resume
// wakes the tracee; on a VM a wake-up on another vCPU costs an IPI (60-90 us measured), one on the
// same vCPU about 10 us. The policy below keeps the tracer on the CPU of the workload while the
// workload is a single task, and lets the scheduler place it as usual once two or more tasks are
// live, so parallel workloads are not serialised. Only the tracing thread is moved: the workload's
// affinity mask and scheduling policy stay what they would be natively. It is opt-in: it wins on a
// busy machine, but on a quiet one the scheduler wakes the tracee on the idle CPU anyway, and the
// storm got slower (README, "Speed").
//
//   PlacementPolicy policy({0, 1});             // the tracer may run on CPUs 0 and 1
//   policy.update(1, 1);   // one live tracee, last ran on CPU 1 -> {Pin, 1}
//   policy.update(1, 1);   // nothing new                         -> {Keep}
//   policy.update(2, -1);  // a second task appeared              -> {Unpin}
//
// PlacementPolicy only decides; the event loop reads the CPUs (off the per-stop path: on task
// start and exit, and at its tick) and applies the decisions (sched_setaffinity on its own thread).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace syscap::tracer {

enum class CpuPlacement {
  None,  // leave the tracer to the scheduler (the default)
  Auto,  // the policy below
};

class PlacementPolicy {
 public:
  enum class Kind { Keep, Pin, Unpin };
  struct Action {
    Kind kind = Kind::Keep;
    int cpu = -1;  // for Pin
    bool operator==(const Action&) const = default;
  };

  // cpus: the CPUs the tracer may run on (its affinity at the start); with fewer than 2 there is
  // nothing to choose and every update is Keep.
  explicit PlacementPolicy(std::vector<int> cpus) : cpus_(std::move(cpus)) {}

  // live: tracees alive now; cpu: the CPU the only one last ran on (when live == 1), or -1 when
  // unknown. Returns what to do with the tracer's affinity.
  Action update(std::size_t live, int cpu);

  int pinned() const { return pinned_; }  // -1: not pinned

 private:
  std::vector<int> cpus_;
  int pinned_ = -1;
};

}  // namespace syscap::tracer
