// Whether a rule of a moby profile applies to a container, as moby's setupSeccomp decides:
// `excludes` first (any condition that holds drops the rule), then `includes` (every condition
// must hold). The one evaluation behind both the container view of a profile (generate, diff)
// and the enforcer's filter plan. Versions are syscall_tables' (syscap/tables/kernel_version.hpp).
//
//   FilterContext ctx{.native_arch = "amd64",
//                     .has_capability = [&](std::string_view cap) { return caps.contains(cap); },
//                     .kernel = KernelVersion{6, 18}};
//   auto keep = keeps_rule(rule, ctx);   // Result<bool>; an error names the bad minKernel
#pragma once

#include <compare>
#include <functional>
#include <optional>
#include <string_view>

#include "syscap/error.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/tables/kernel_version.hpp"

namespace syscap::profilegen {

using tables::KernelVersion;
using tables::parse_kernel_release;

// A profile's minKernel as moby accepts it: exactly "<major>.<minor>" in digits, not "0.0".
// The error's cause says what was expected (and what to write, where it can tell).
Result<KernelVersion> parse_min_kernel(std::string_view text);

// What a rule's conditions are evaluated against.
struct FilterContext {
  std::string_view native_arch = "amd64";                  // the `arches` spelling of the host
  std::function<bool(std::string_view)> has_capability;    // exact "CAP_*" names, as moby compares
  std::optional<KernelVersion> kernel;                     // nullopt: every minKernel is satisfied
};

// Whether moby keeps `rule` in the filter for `context`. Errors: a minKernel that does not parse
// (the error's object is "excludes.minKernel" or "includes.minKernel").
Result<bool> keeps_rule(const Rule& rule, const FilterContext& context);

}  // namespace syscap::profilegen
