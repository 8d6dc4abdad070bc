// Capabilities from the kernel's own checks (the cap_capable tracepoint, as the BPF engine
// records them in Trace::kernel_checks), and the other direction: the rule model's findings
// held against those checks.
//
//   trace.capabilities = capabilities_from_kernel_checks(*trace.kernel_checks);     // bpf engine
//   trace.unchecked_capabilities = unchecked_capabilities(trace.capabilities,       // ptrace
//                                                         *trace.kernel_checks);
//
// A check counts when the kernel granted it in the initial user namespace during a syscall,
// the call's result confirms it, and kernel_check_rule() does not call it a probe; where that
// table says so, the rule model (checker.hpp) judges the call from the arguments and
// credentials captured with the check.
#pragma once

#include <string>
#include <vector>

#include "syscap/tracer/trace.hpp"

namespace syscap::capabilities {

std::vector<tracer::CapabilityRecord> capabilities_from_kernel_checks(const std::vector<tracer::KernelCheck>& checks);

// The capabilities in `model` for which the kernel made no check at all (of it or of a
// capability it stands in for): each is a bug in the rule model. Sorted.
std::vector<std::string> unchecked_capabilities(const std::vector<tracer::CapabilityRecord>& model,
                                                const std::vector<tracer::KernelCheck>& checks);

}  // namespace syscap::capabilities
