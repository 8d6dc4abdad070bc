// Several traces of one workload -> one trace: the union of everything they saw.
//
//   std::vector<Trace> traces = {*load_trace("a.json"), *load_trace("b.json")};
//   Trace all = merge_traces(traces);   // generate_profile(all, options) allows both runs
#pragma once

#include <span>

#include "syscap/profilegen/trace_input.hpp"

namespace syscap::profilegen {

// The union: every (name, arch) syscall with counts summed and every argument value kept (an
// argument one trace recorded and another did not, or one truncated, is truncated: its values
// are no longer the complete set); every capability with all its evidence (exact repeats once).
// command, machine, exit and first_seen come from the first trace that has them; processes and
// duration_ms are summed. Syscalls stay sorted by arch then name, capabilities by name.
Trace merge_traces(std::span<const Trace> traces);

}  // namespace syscap::profilegen
