// Turning a trace's capabilities into what a user reads: a table of each capability with its
// evidence, and the `docker run` flags that grant exactly those.
//
//   std::vector<tracer::CapabilityRecord> caps = ...;          // from a Trace or CapabilityObserver
//   fmt::print("{}", format_capability_table(caps));
//   fmt::print("{}\n", docker_cap_flags(caps));       // "--cap-drop ALL --cap-add CHOWN"
#pragma once

#include <string>
#include <vector>

#include "syscap/tracer/trace.hpp"

namespace syscap::capabilities {

// One call in a line: `fchownat(path="/tmp/x", owner=1000, group=-1)`.
std::string format_call(const tracer::CapabilityEvidence& e);

// The table: per capability its Docker-default status and evidence (call, pid, exe, why);
// "No capabilities needed." when empty. Ends with a newline.
std::string format_capability_table(const std::vector<tracer::CapabilityRecord>& caps);

// Whether the kernel was seen to check each capability of `caps` (from a trace's
// kernel_checks): "CAP_CHOWN: the kernel checked it in fchownat (granted)", or "never checked
// it" for a finding of the rule model the kernel never asked for. Ends with a newline.
std::string format_kernel_confirmation(const std::vector<tracer::CapabilityRecord>& caps,
                                       const std::vector<tracer::KernelCheck>& checks);

// "--cap-drop ALL --cap-add CHOWN --cap-add NET_RAW" (just "--cap-drop ALL" when empty).
std::string docker_cap_flags(const std::vector<tracer::CapabilityRecord>& caps);

}  // namespace syscap::capabilities
