// PlacementPolicy's decisions: which task, if any, shares the tracer's CPU. Applying them is
// ThreadPlacement's job (thread_placement.cpp).
#include "syscap/tracer/cpu_placement.hpp"

namespace syscap::tracer {

void PlacementPolicy::task_gone(pid_t tid) {
  live_.erase(tid);
  parked_.erase(tid);
  if (paired_ == tid) paired_ = 0;
}

void PlacementPolicy::task_replaced(pid_t former, pid_t tid) {
  // The old leader `tid` is gone; `former` runs on under its id, busy in execve.
  live_.erase(former);
  parked_.erase(former);
  parked_.erase(tid);
  live_.insert(tid);
  if (paired_ == tid) paired_ = 0;  // that was the old leader; the mask now under tid is former's
  if (paired_ == former) paired_ = tid;
}

PlacementPolicy::Action PlacementPolicy::decide() {
  if (runnable() == 1) {
    pid_t runner = 0;
    for (pid_t tid : live_)
      if (!parked_.contains(tid)) runner = tid;
    if (runner == paired_) return {};
    paired_ = runner;
    return {Kind::Pair, runner};
  }
  // Nothing runnable (a parent parked before its child's first stop): keep things as they are.
  if (runnable() == 0 || paired_ == 0) return {};
  paired_ = 0;
  return {Kind::Unpair, 0};
}

}  // namespace syscap::tracer
