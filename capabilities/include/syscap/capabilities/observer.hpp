// The observer that finds the capabilities a traced workload exercises: at each seccomp stop
// of a syscall in the capability rule table it runs the checker (capability_checker.hpp)
// against the live tracee, asks for the syscall's exit when something was found, and keeps
// the uses the result confirms as evidence for the trace's "capabilities" array.
//
//   syscap::tracer::Recorder recorder;
//   syscap::tracer::CapabilityObserver caps;
//   auto run = tracer::run_traced({.command = {"chown", "1000", "/tmp/x"}, .observers = {&recorder, &caps}});
//   Trace t = recorder.trace(command, *run);
//   t.capabilities = caps.capabilities();   // [{"name": "CAP_CHOWN", "evidence": [...]}]
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "syscap/capabilities/checker.hpp"
#include "syscap/tracer/observer.hpp"
#include "syscap/tracer/trace.hpp"

namespace syscap::capabilities {

namespace detail {
class DirFactsCache;
}

class CapabilityObserver : public tracer::SyscallObserver {
 public:
  // At most this many evidence entries are kept per capability (distinct syscall and why).
  static constexpr std::size_t kMaxEvidence = 8;

  CapabilityObserver();
  ~CapabilityObserver() override;

  tracer::Resume on_syscall(const tracer::SeccompStop& stop) override;
  void on_syscall_exit(const tracer::SyscallExit& exit) override;
  void on_task_start(pid_t pid) override;
  void on_exec(pid_t pid, pid_t former_tid) override;
  void on_task_exit(pid_t pid, int wait_status) override;

  // The capabilities confirmed so far, sorted by name, each with its evidence.
  std::vector<tracer::CapabilityRecord> capabilities() const;

 private:
  struct Pending {
    std::vector<CapabilityUse> uses;
    std::string syscall;
    std::string arch;
    std::string exe;
    std::optional<bool> dumpable;  // prctl(PR_SET_DUMPABLE, x) to apply when it succeeds
  };

  bool has_rules(const tracer::SeccompStop& stop, std::string_view& name);
  bool ends_dir_cache(const tracer::SeccompStop& stop, std::string_view name, pid_t pid);

  std::unordered_map<pid_t, ProcessFacts> callers_;  // facts of callers, dropped when stale
  std::set<pid_t> nondumpable_;                      // thread groups that made themselves so
  std::unordered_map<pid_t, Pending> pending_;       // by tid, until the syscall's exit
  std::map<tables::Capability, std::vector<tracer::CapabilityEvidence>> found_;
  std::vector<std::int8_t> rule_cache_;              // per (arch, nr): -1 unknown, else k* flags
  std::unique_ptr<detail::DirFactsCache> dirs_;      // directories on the way to path operands
};

}  // namespace syscap::capabilities
