// Applies PlacementPolicy to the calling thread (the tracer's event loop), and puts the thread's
// affinity back when it goes. The workload is never touched: it was forked before any change.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <cstddef>
#include <optional>

#include "syscap/tracer/cpu_placement.hpp"

namespace syscap::tracer::detail {

// The CPU the task last ran on (/proc/TID/stat, field 39), or -1.
int task_cpu(pid_t tid);

class ThreadPlacement {
 public:
  explicit ThreadPlacement(CpuPlacement mode);
  ~ThreadPlacement();
  ThreadPlacement(const ThreadPlacement&) = delete;
  ThreadPlacement& operator=(const ThreadPlacement&) = delete;

  bool enabled() const { return policy_.has_value(); }
  // live tasks now; only: the one live task when live == 1 (its CPU is read from /proc).
  void update(std::size_t live, pid_t only);

 private:
  void apply(const PlacementPolicy::Action& action);

  cpu_set_t original_{};
  std::optional<PlacementPolicy> policy_;
};

}  // namespace syscap::tracer::detail
