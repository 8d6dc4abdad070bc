// The kernel's capability checks seen beside the ptrace engine: an observer that, at the
// workload's first seccomp stop (its execve, not yet run), puts it in the BPF program's
// tracking map, so the
// cap_capable tracepoint reports every check its processes make. The capability inference
// then holds its rule model against them (capabilities/kernel_evidence.hpp).
//
//   auto watch = KernelCheckWatch::load();      // error: no BPF, or no cap_capable tracepoint
//   options.observers.push_back(&*watch);
//   run_traced(options);
//   trace.kernel_checks = watch->checks();
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tracer/observer.hpp"
#include "syscap/tracer/trace.hpp"

namespace syscap::tracer {

class KernelCheckWatch : public SyscallObserver {
 public:
  static Result<KernelCheckWatch> load();

  Resume on_syscall(const SeccompStop& stop) override {
    if (!seeded_) seed(stop.pid);
    return Resume::Continue;
  }

  // A process that runs already (record --pid): watched from now on, with what it starts.
  void on_attach(pid_t pid) override;

  // The checks seen so far; what could not be kept, one line per reason.
  std::vector<KernelCheck> checks() const;
  std::vector<std::string> incomplete() const;

  KernelCheckWatch(KernelCheckWatch&&) noexcept;
  KernelCheckWatch& operator=(KernelCheckWatch&&) noexcept;
  ~KernelCheckWatch() override;

 private:
  struct Loaded;
  explicit KernelCheckWatch(std::unique_ptr<Loaded> loaded);
  void seed(pid_t pid);
  std::unique_ptr<Loaded> loaded_;
  bool seeded_ = false;
};

}  // namespace syscap::tracer
