// Shared pieces of the capability checker (capability_checker.cpp and
// capability_checks_process.cpp): the findings being collected for one rule row, and the
// generic_permission() model.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/capabilities/checker.hpp"

namespace syscap::capabilities::detail {

inline constexpr int kMayExec = 1, kMayWrite = 2, kMayRead = 4;

// What one rule row found for one call.
struct Findings {
  const tables::CapabilityRule* rule;
  const Credentials& creds;      // of the caller
  const ProcessFacts& caller;
  nlohmann::ordered_json args;   // decoded arguments, shared by every use of this row
  std::vector<CapabilityUse> uses;

  // Records that the call exercises `cap` (once per capability).
  void add(tables::Capability cap, std::string why);
  // generic_permission(): if the mode bits deny `mask`, records the capability that overrides
  // them (when effective). True when the bits deny.
  bool permission(const FileFacts& file, int mask, std::string_view what);
};

// The int a syscall takes in this register (the kernel uses the low 32 bits).
int as_int(std::uint64_t v);

// The first of `caps` in the effective set: the one the kernel's "A || B" check uses.
std::optional<tables::Capability> first_effective(const Credentials& c,
                                                  std::initializer_list<tables::Capability> caps);

// acl_permission_check() on mode bits: true if `mask` (kMay*) is denied.
bool dac_denied(const Credentials& c, const FileFacts& f, int mask);

// The capability generic_permission() would use to override a denial, if effective.
std::optional<tables::Capability> dac_override(const Credentials& c, const FileFacts& f, int mask);

// "/tmp/x (mode 0644, uid 0, gid 0)"
std::string describe(const FileFacts& f);

// __ptrace_may_access() without the capability: why `caller` (with its real or fs
// credentials) may not access `target`, or "" when it may.
std::string ptrace_denial(const ProcessFacts& caller, bool fscreds, const ProcessFacts& target);

using CheckFn = void (*)(Findings&, const SyscallCall&, TraceeView&);

// The check functions for the non-file checks (capability_checks_process.cpp), or nullptr.
CheckFn process_check_function(tables::CapCheck check);

}  // namespace syscap::capabilities::detail
