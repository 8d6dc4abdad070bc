// Applies PlacementPolicy (cpu_placement.hpp) in the event loop: looks at each seccomp stop
// (a few integer compares), pins the lone runnable task and the tracing thread to one CPU, and
// puts every mask it changed back when two tasks can run, when a tracee asks for its affinity,
// and at the end of the run.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>

#include "syscap/tables/arch.hpp"
#include "syscap/tracer/cpu_placement.hpp"

namespace syscap::tracer::detail {

class ThreadPlacement {
 public:
  explicit ThreadPlacement(CpuPlacement mode);
  ~ThreadPlacement();
  ThreadPlacement(const ThreadPlacement&) = delete;
  ThreadPlacement& operator=(const ThreadPlacement&) = delete;

  // Pairing is on, or pins may still need undoing: the event loop then reports children
  // with task_created.
  bool enabled() const { return on_ || !pinned_at_off_.empty(); }
  // A task's first stop (or the root, before it runs): it counts from now on.
  void task_started(pid_t tid);
  // `parent`'s clone/fork/vfork event: `child` was born with `parent`'s mask.
  void task_created(pid_t parent, pid_t child);
  // A non-leader thread `former` exec'd and is now `tid` (the old leader is gone).
  void task_exec(pid_t former, pid_t tid);
  void task_gone(pid_t tid);
  // A seccomp stop: `tid` is at the entry of syscall `nr` with `args`.
  void syscall_entry(pid_t tid, std::optional<tables::Arch> arch, std::int64_t nr,
                     const std::array<std::uint64_t, 6>& args);

 private:
  // The numbers of the syscalls the policy watches, per architecture (-1: none).
  struct Watched {
    int wait4 = -1, waitid = -1, waitpid = -1, vfork = -1, clone = -1, clone3 = -1;
    int getaffinity = -1, setaffinity = -1;
    std::array<int, 6> setuid{-1, -1, -1, -1, -1, -1};  // setuid, setreuid, setresuid (+32)
  };

  bool parks(pid_t tid, const Watched& w, std::int64_t nr, const std::array<std::uint64_t, 6>& args) const;
  // A new task may have been born with a pinned parent's mask: track it, or undo it.
  void adopt(pid_t tid);
  void apply();
  bool set_mask(pid_t tid, const cpu_set_t& mask);
  void unpair();
  void turn_off(pid_t tid, const char* why);

  PlacementPolicy policy_;
  bool on_ = false;
  cpu_set_t original_{};      // the tracer's mask at the start: the workload inherited it
  int cpu_ = -1;              // the CPU shared while paired
  bool tracer_pinned_ = false;
  std::set<pid_t> pinned_;    // tasks whose mask is {cpu_}: pinned by us, or born of one that was
  std::set<pid_t> holding_;   // in sched_getaffinity or a setuid call: no pairing until their next stop
  std::set<pid_t> announced_;  // children reported by their parent's event, not yet gone
  std::set<pid_t> gone_early_;  // gone before their parent's event was handled
  std::deque<pid_t> gone_early_order_;  // oldest first, to bound gone_early_
  // After turn_off: tasks that were pinned and have not stopped since. A fork event of one of
  // them is a fork from before the masks were put back: its child still has the pin.
  std::set<pid_t> pinned_at_off_;
  std::array<Watched, std::size(tables::kTableArches)> watched_{};
};

}  // namespace syscap::tracer::detail
