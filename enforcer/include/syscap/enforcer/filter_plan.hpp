// The policy compiler: a Docker profile plus the facts of this run (capabilities, native
// arch, kernel) become a FilterPlan, the exact list of (arch, syscall number, action,
// conditions) to enforce. Pure: no libseccomp, no system calls, testable on its own.
//
//   using namespace syscap::enforcer;
//   PlanContext ctx{.bounding = docker_default_caps(), .native = tables::Arch::X86_64,
//                   .kernel = {6, 18}};
//   auto plan = compile_plan(profile, ctx, {.source = "docker-default.json"});
//   for (const PlannedRule& r : plan->rules) ...     // r.arch, r.nr, r.action, r.conditions
//   plan->warnings;                                  // e.g. unknown syscall names
#pragma once

#include <compare>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/enforcer/capabilities.hpp"
#include "syscap/error.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/profilegen/rule_filter.hpp"
#include "syscap/tables/arch.hpp"

namespace syscap::enforcer {

using profilegen::KernelVersion;

// What a profile is evaluated against.
struct PlanContext {
  CapSet bounding;             // the workload's final bounding set (includes/excludes.caps)
  tables::Arch native = tables::Arch::X86_64;
  KernelVersion kernel;        // includes/excludes.minKernel
};

// The context of this process: its native arch, the running kernel, and `bounding`.
Result<PlanContext> current_context(CapSet bounding);

struct PlanOptions {
  std::string source;   // the profile's file name, first in every message
  bool strict = false;  // names that are a syscall on no architecture are errors, not warnings
};

// One rule for one syscall number on one architecture. All conditions must hold (AND).
struct PlannedRule {
  tables::Arch arch = tables::Arch::X86_64;
  int nr = 0;  // x32 numbers carry kX32SyscallBit
  std::string name;
  profilegen::Action action = profilegen::Action::Allow;
  unsigned data = 0;  // errno for Errno, message data for Trace, else 0
  std::vector<profilegen::ArgCondition> conditions;
  bool operator==(const PlannedRule&) const = default;
};

// Kernel filter flags asked for by the profile's `flags`.
struct FilterFlags {
  bool log = false;         // SECCOMP_FILTER_FLAG_LOG
  bool spec_allow = false;  // SECCOMP_FILTER_FLAG_SPEC_ALLOW
  bool tsync = false;       // SECCOMP_FILTER_FLAG_TSYNC
};

struct FilterPlan {
  profilegen::Action default_action = profilegen::Action::Errno;
  unsigned default_data = 0;
  std::vector<tables::Arch> arches;  // native first; calls from any other arch are killed
  std::vector<PlannedRule> rules;    // in profile order
  FilterFlags flags;
  std::vector<std::string> warnings;  // something in the profile is wrong (a syscall no arch knows)
  std::vector<std::string> notes;     // worth knowing, nothing wrong (another arch's syscalls, skipped)
};

// Evaluates `profile` as moby's setupSeccomp and runc would for `context`: archMap or
// architectures, includes/excludes, errnoRet defaults, rules equal to the default dropped, the
// same argument index twice split into one rule per condition, names resolved per arch
// through our tables. Unsupported features (SCMP_ACT_NOTIFY) and bad values are errors that
// name the JSON path.
Result<FilterPlan> compile_plan(const profilegen::Profile& profile, const PlanContext& context,
                                const PlanOptions& options);

}  // namespace syscap::enforcer
