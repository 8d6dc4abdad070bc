// A short BPF program that checks rules by (arch, number) and otherwise falls through to the
// program that follows it. Used for syscalls libseccomp cannot name on a non-native arch.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "syscap/enforcer/filter_plan.hpp"

namespace syscap::enforcer::detail {

// The prefix for `rules` (first match wins); empty when `rules` is empty.
std::vector<sock_filter> bpf_prefix(const std::vector<PlannedRule>& rules);

}  // namespace syscap::enforcer::detail
