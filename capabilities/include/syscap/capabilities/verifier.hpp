// `syscap record --verify-caps`: re-runs the workload once per capability the recorder found,
// with that capability dropped from the bounding, inheritable and ambient sets (like
// `setpriv --bounding-set -X --inh-caps -X --ambient-caps -X -- CMD`, so a root workload's
// execve leaves it out of the permitted and effective sets too), and keeps a capability only
// if its removal changes the outcome: a different exit status, or one of the calls that
// exercised it now failing with EPERM or EACCES.
//
//   VerifyOptions v{.command = cmd, .recorded_exit = run->exit, .candidates = caps.capabilities()};
//   v.on_attempt = [](const VerifyAttempt& a) { fmt::print(stderr, "{}\n", a.summary); };
//   auto attempts = verify_capabilities(v);            // Result<std::vector<VerifyAttempt>>
//   trace.capabilities = keep_needed(v.candidates, *attempts);
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tracer/trace.hpp"

namespace syscap::capabilities {

// One re-run without a capability.
struct VerifyAttempt {
  std::string capability;            // "CAP_BPF"
  std::vector<std::string> dropped;  // what was dropped: the capability, and the ones the kernel
                                     // would accept instead when the workload was not seen using
                                     // them ("CAP_BPF", "CAP_SYS_ADMIN")
  tracer::ExitStatus exit;                   // of the re-run
  std::vector<std::string> refused;  // "bpf: EPERM x1"
  bool needed = false;
  std::string summary;  // "without CAP_BPF, CAP_SYS_ADMIN: exit 1 (recorded 0), bpf: EPERM x1 -> needed"
};

struct VerifyOptions {
  std::vector<std::string> command;          // the recorded command
  tracer::ExitStatus recorded_exit;                  // how the recorded run ended
  std::vector<tracer::CapabilityRecord> candidates;  // what the recorder found
  std::function<void(const VerifyAttempt&)> on_attempt;  // after each re-run (progress)
};

// The capabilities the kernel accepts in place of `cap` for some checks (CAP_BPF ->
// CAP_SYS_ADMIN, CAP_DAC_READ_SEARCH -> CAP_DAC_OVERRIDE, ...).
std::vector<std::string> stand_in_capabilities(const std::string& cap);

// Re-runs the command once per candidate. Errors: setpriv missing, or the command cannot run.
Result<std::vector<VerifyAttempt>> verify_capabilities(const VerifyOptions& options);

// The candidates whose attempt says "needed", in their order.
std::vector<tracer::CapabilityRecord> keep_needed(const std::vector<tracer::CapabilityRecord>& candidates,
                                          const std::vector<VerifyAttempt>& attempts);

}  // namespace syscap::capabilities
