// Keeping every child traced: a clone or clone3 that asks for CLONE_UNTRACED would get a child
// no tracer follows, and since the inherited filter answers every call with SECCOMP_RET_TRACE,
// each of that child's syscalls would fail with ENOSYS (it could not even exit). At the call's
// seccomp stop, before the kernel reads its flags, the guard clears the flag: in the first
// argument's register for clone, in the tracee's struct clone_args for clone3. The child is then
// reported by the usual fork/vfork/clone event, and CLONE_VFORK keeps its meaning.
#pragma once

#include <sys/types.h>

#include <array>

#include "syscap/tables/arch.hpp"
#include "syscap/tracer/observer.hpp"

namespace syscap::tracer::detail {

class UntracedCloneGuard {
 public:
  UntracedCloneGuard();

  // At a seccomp stop (the tracee is stopped, the call has not run): clears CLONE_UNTRACED if
  // the call is a clone or clone3 that asks for it. A flag that cannot be cleared is reported
  // with spdlog::error naming the pid (its child will escape), never silently.
  void at_syscall_entry(const SeccompStop& stop) const {
    if (!stop.arch) return;
    const Numbers& n = numbers_[static_cast<std::size_t>(*stop.arch)];
    if (stop.nr == n.clone || stop.nr == n.clone3) clear_flag(stop, stop.nr == n.clone3);
  }

 private:
  struct Numbers {
    int clone = -1, clone3 = -1;
  };
  void clear_flag(const SeccompStop& stop, bool is_clone3) const;

  std::array<Numbers, std::size(tables::kTableArches)> numbers_{};
};

}  // namespace syscap::tracer::detail
