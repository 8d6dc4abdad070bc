// PlacementPolicy's decisions, and their application to the tracer and the workload.
#include "syscap/tracer/cpu_placement.hpp"

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

#include "syscap/tables/syscalls.hpp"
#include "thread_placement.hpp"

namespace syscap::tracer {

void PlacementPolicy::task_gone(pid_t tid) {
  live_.erase(tid);
  parked_.erase(tid);
  if (paired_ == tid) paired_ = 0;
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

namespace syscap::tracer::detail {

namespace {

constexpr std::uint64_t kWnohang = 1;             // WNOHANG
constexpr std::uint64_t kCloneVfork = 0x00004000;  // CLONE_VFORK

int number(tables::Arch arch, std::string_view name) {
  return tables::syscall_number(arch, name).value_or(-1);
}

}  // namespace

ThreadPlacement::ThreadPlacement(CpuPlacement mode) {
  if (mode == CpuPlacement::None) return;
  if (sched_getaffinity(0, sizeof original_, &original_) != 0) {
    spdlog::debug("cpu placement off: sched_getaffinity: {}", std::strerror(errno));
    return;
  }
  if (CPU_COUNT(&original_) < 2) return;  // nothing to choose
  for (tables::Arch arch : tables::kTableArches) {
    Watched& w = watched_[static_cast<std::size_t>(arch)];
    w.wait4 = number(arch, "wait4");
    w.waitid = number(arch, "waitid");
    w.waitpid = number(arch, "waitpid");
    w.vfork = number(arch, "vfork");
    w.clone = number(arch, "clone");
    w.getaffinity = number(arch, "sched_getaffinity");
    w.setaffinity = number(arch, "sched_setaffinity");
  }
  on_ = true;
}

ThreadPlacement::~ThreadPlacement() {
  if (on_) unpair();
}

void ThreadPlacement::task_started(pid_t tid) {
  if (!on_) return;
  policy_.task_started(tid);
  apply();
}

void ThreadPlacement::task_created(pid_t parent, pid_t child) {
  if (!on_) return;
  policy_.task_started(child);
  if (pinned_.contains(parent)) pinned_.insert(child);
  apply();
}

void ThreadPlacement::task_gone(pid_t tid) {
  if (!on_) return;
  policy_.task_gone(tid);
  pinned_.erase(tid);
  if (recheck_ == tid) recheck_ = 0;
  apply();
}

bool ThreadPlacement::parks(const Watched& w, std::int64_t nr,
                            const std::array<std::uint64_t, 6>& args) const {
  // Calls that block until a child changes state (unless WNOHANG), or until a vfork child
  // has exec'd or exited.
  if (nr == w.wait4 || nr == w.waitpid) return !(args[2] & kWnohang);
  if (nr == w.waitid) return !(args[3] & kWnohang);
  if (nr == w.vfork) return true;
  if (nr == w.clone) return args[0] & kCloneVfork;
  return false;
}

void ThreadPlacement::syscall_entry(pid_t tid, std::optional<tables::Arch> arch, std::int64_t nr,
                                    const std::array<std::uint64_t, 6>& args) {
  if (!on_) return;
  bool changed = policy_.unparked(tid);  // any stop: its previous call has returned
  if (recheck_ == tid) {
    recheck_ = 0;
    changed = true;
  }
  if (arch && nr >= 0) {
    const Watched& w = watched_[static_cast<std::size_t>(*arch)];
    if (nr == w.getaffinity) {
      // The call must report the native mask: put every mask back, pair again at its next stop.
      if (!pinned_.empty() || tracer_pinned_) {
        unpair();
        policy_.forget_pair();
        recheck_ = tid;
      }
      return;
    }
    if (nr == w.setaffinity) return turn_off(tid, "it sets CPU affinity itself");
    if (parks(w, nr, args)) {
      policy_.parked(tid);
      changed = true;
    }
  }
  if (changed) apply();
}

void ThreadPlacement::apply() {
  const PlacementPolicy::Action action = policy_.decide();
  switch (action.kind) {
    case PlacementPolicy::Kind::Keep:
      return;
    case PlacementPolicy::Kind::Unpair:
      unpair();
      return;
    case PlacementPolicy::Kind::Pair: {
      if (cpu_ < 0) cpu_ = sched_getcpu();
      if (cpu_ < 0 || !CPU_ISSET(cpu_, &original_)) {
        cpu_ = -1;
        return;
      }
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu_, &one);
      if (!tracer_pinned_) {
        if (!set_mask(0, one)) return turn_off(0, "cannot pin the tracer");
        tracer_pinned_ = true;
      }
      if (!pinned_.contains(action.runner)) {
        if (!set_mask(action.runner, one)) return;  // gone, or refused: turn_off was called
        pinned_.insert(action.runner);
      }
      return;
    }
  }
}

bool ThreadPlacement::set_mask(pid_t tid, const cpu_set_t& mask) {
  if (sched_setaffinity(tid, sizeof mask, &mask) == 0) return true;
  if (errno == ESRCH) return false;  // the task is gone; its exit follows
  // EPERM (a task we may not move) or EINVAL (cpusets changed under us): stop for the run.
  turn_off(tid, std::strerror(errno));
  return false;
}

void ThreadPlacement::unpair() {
  for (pid_t tid : pinned_)
    if (sched_setaffinity(tid, sizeof original_, &original_) != 0 && errno != ESRCH)
      spdlog::debug("cpu placement: restoring pid {}: {}", tid, std::strerror(errno));
  pinned_.clear();
  if (tracer_pinned_ && sched_setaffinity(0, sizeof original_, &original_) != 0)
    spdlog::debug("cpu placement: restoring the tracer: {}", std::strerror(errno));
  tracer_pinned_ = false;
  cpu_ = -1;
}

void ThreadPlacement::turn_off(pid_t tid, const char* why) {
  if (!on_) return;
  spdlog::debug("cpu placement off for the rest of the run (pid {}: {})", tid, why);
  unpair();
  on_ = false;
}

}  // namespace syscap::tracer::detail
