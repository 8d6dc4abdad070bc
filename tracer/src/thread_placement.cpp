// ThreadPlacement: applies PlacementPolicy's decisions to the tracer and the workload with
// sched_setaffinity, watching each seccomp stop for the calls that park a task or need the
// native mask back.
#include "thread_placement.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

#include "syscall_info.hpp"
#include "syscap/tracer/tracee_memory.hpp"
#include "syscap/tables/syscalls.hpp"

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
    w.clone3 = number(arch, "clone3");
    w.getaffinity = number(arch, "sched_getaffinity");
    w.setaffinity = number(arch, "sched_setaffinity");
    w.setuid = {number(arch, "setuid"),   number(arch, "setreuid"),   number(arch, "setresuid"),
                number(arch, "setuid32"), number(arch, "setreuid32"), number(arch, "setresuid32")};
  }
  on_ = true;
}

ThreadPlacement::~ThreadPlacement() {
  if (tracer_pinned_ || !pinned_.empty()) unpair();
}

void ThreadPlacement::task_started(pid_t tid) {
  if (!on_) return;
  gone_early_.erase(tid);  // a reused id
  policy_.task_started(tid);
  adopt(tid);
  apply();
}

void ThreadPlacement::task_created(pid_t parent, pid_t child) {
  if (!on_) {
    if (pinned_at_off_.erase(parent) && sched_setaffinity(child, sizeof original_, &original_) != 0 &&
        errno != ESRCH)
      spdlog::warn("cpu placement: cannot give pid {} its CPU mask back: {}", child, std::strerror(errno));
    return;
  }
  // Counted from its own first stop (it cannot run before); but its mask is its parent's, to
  // be undone with the others. Not if it came and went before this event was handled.
  if (gone_early_.erase(child)) return;
  announced_.insert(child);
  if (pinned_.contains(parent)) pinned_.insert(child);
}

void ThreadPlacement::task_exec(pid_t former, pid_t tid) {
  if (!on_) {
    if (pinned_at_off_.erase(former)) pinned_at_off_.insert(tid);
    return;
  }
  policy_.task_replaced(former, tid);
  // `tid` now runs with `former`'s mask.
  const bool pinned = pinned_.erase(former) > 0;
  pinned_.erase(tid);
  if (pinned) pinned_.insert(tid);
  holding_.erase(former);
  holding_.erase(tid);
  announced_.erase(former);
  apply();
}

void ThreadPlacement::adopt(pid_t tid) {
  // Its mask is the one its parent had when it forked, which may be our pin even if the pair
  // has been undone or moved since (the child's first stop and the parent's fork event come in
  // either order). Every task of the workload starts from original_ otherwise: one that sets
  // its own mask turns the placement off.
  if (pinned_.contains(tid)) return;
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(tid, sizeof mask, &mask) != 0 || CPU_EQUAL(&mask, &original_)) return;
  if (tracer_pinned_ && cpu_ >= 0 && CPU_COUNT(&mask) == 1 && CPU_ISSET(cpu_, &mask)) {
    pinned_.insert(tid);  // on the pair's CPU: undone with the others
  } else if (sched_setaffinity(tid, sizeof original_, &original_) != 0 && errno != ESRCH) {
    turn_off(tid, std::strerror(errno));
  }
}

void ThreadPlacement::task_gone(pid_t tid) {
  if (!on_) {
    pinned_at_off_.erase(tid);
    return;
  }
  policy_.task_gone(tid);
  pinned_.erase(tid);
  holding_.erase(tid);
  if (!announced_.erase(tid) && gone_early_.insert(tid).second) {
    // Roots and such are never announced: keep the newest few thousand.
    gone_early_order_.push_back(tid);
    if (gone_early_order_.size() > 4096) {
      gone_early_.erase(gone_early_order_.front());
      gone_early_order_.pop_front();
    }
  }
  apply();
}

bool ThreadPlacement::parks(pid_t tid, const Watched& w, std::int64_t nr,
                            const std::array<std::uint64_t, 6>& args) const {
  // Calls that block until a child changes state (unless WNOHANG), or until a vfork child
  // has exec'd or exited (posix_spawn: clone3 with CLONE_VFORK).
  if (nr == w.wait4 || nr == w.waitpid) return !(args[2] & kWnohang);
  if (nr == w.waitid) return !(args[3] & kWnohang);
  if (nr == w.vfork) return true;
  if (nr == w.clone) return args[0] & kCloneVfork;
  if (nr == w.clone3) return clone3_flags(tid, args[0]).value_or(0) & kCloneVfork;
  return false;
}

void ThreadPlacement::syscall_entry(pid_t tid, std::optional<tables::Arch> arch, std::int64_t nr,
                                    const std::array<std::uint64_t, 6>& args) {
  if (!on_) {
    // It stopped after the masks were put back: anything it forks from now on is unpinned.
    if (!pinned_at_off_.empty()) pinned_at_off_.erase(tid);
    return;
  }
  // Any stop: its previous call has returned. (A thread-group leader that ended with
  // pthread_exit stops no more and counts as runnable until its group is gone: a lost pairing,
  // never a wrong one.)
  bool changed = policy_.unparked(tid);
  if (!holding_.empty() && holding_.erase(tid)) changed = true;
  if (arch && nr >= 0) {
    const Watched& w = watched_[static_cast<std::size_t>(*arch)];
    if (nr == w.setaffinity) return turn_off(tid, "it sets CPU affinity itself");
    // sched_getaffinity must report the native mask; after a setuid we may no longer be
    // allowed to move the caller (needless with CAP_SYS_NICE, but cheap: setuid is rare). Put
    // every mask back and pair again only when none of these calls is running.
    if (nr == w.getaffinity || std::ranges::find(w.setuid, nr) != w.setuid.end()) {
      if (!pinned_.empty() || tracer_pinned_) {
        unpair();
        policy_.forget_pair();
      }
      holding_.insert(tid);
      return;
    }
    if (parks(tid, w, nr, args)) {
      policy_.parked(tid);
      changed = true;
    }
  }
  if (changed) apply();
}

void ThreadPlacement::apply() {
  if (!on_ || !holding_.empty()) return;
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
        policy_.forget_pair();  // try again at the next change
        return;
      }
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu_, &one);
      if (!tracer_pinned_) {
        if (!set_mask(0, one)) return;
        tracer_pinned_ = true;
      }
      if (!pinned_.contains(action.runner) && set_mask(action.runner, one))
        pinned_.insert(action.runner);
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
      spdlog::warn("cpu placement: cannot give pid {} its CPU mask back: {}", tid, std::strerror(errno));
  pinned_.clear();
  if (tracer_pinned_ && sched_setaffinity(0, sizeof original_, &original_) != 0)
    spdlog::debug("cpu placement: restoring the tracer: {}", std::strerror(errno));
  tracer_pinned_ = false;
  cpu_ = -1;
}

void ThreadPlacement::turn_off(pid_t tid, const char* why) {
  if (!on_) return;
  spdlog::debug("cpu placement off for the rest of the run (pid {}: {})", tid, why);
  pinned_at_off_ = pinned_;
  pinned_at_off_.erase(tid);  // stopped now: what it forks from here on is unpinned
  unpair();
  on_ = false;
}

}  // namespace syscap::tracer::detail
