// Capability sets the way `docker run --cap-drop/--cap-add` computes and applies them.
//
//   using namespace syscap::enforcer;
//   auto base = current_bounding_set();                          // Result<CapSet>
//   auto caps = resolve_cap_options(*base, {"ALL"}, {"chown", "CAP_KILL"});
//   if (!caps) ...                        // unknown name, or a cap the caller does not have
//   capability_names(*caps);              // {"CAP_CHOWN", "CAP_KILL"}
//   apply_capabilities(*caps);            // bounding = permitted = effective; no inheritable/ambient
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::enforcer {

// A set of capabilities: bit N is capability number N (CAP_CHOWN = 0).
struct CapSet {
  std::uint64_t bits = 0;
  bool has(int cap) const { return cap >= 0 && cap < 64 && ((bits >> cap) & 1U) != 0; }
  void add(int cap) { bits |= std::uint64_t{1} << cap; }
  void remove(int cap) { bits &= ~(std::uint64_t{1} << cap); }
  bool operator==(const CapSet&) const = default;
};

// The number of a capability named "CAP_SYS_ADMIN", "sys_admin" or "SYS_ADMIN" (any case),
// or nullopt if unknown. "ALL" is not a capability.
std::optional<int> capability_number(std::string_view name);

// "CAP_SYS_ADMIN" for 21: the spelling profiles use in includes/excludes.caps.
std::string capability_name(int cap);

// The "CAP_*" names in `caps`, by capability number.
std::vector<std::string> capability_names(CapSet caps);

// The 14 capabilities Docker gives a container by default.
CapSet docker_default_caps();

// The calling process's capability bounding set.
Result<CapSet> current_bounding_set();

// Docker's --cap-add/--cap-drop arithmetic (moby TweakCapabilities) starting from `base`, the
// caller's set: adding ALL keeps every cap of `base` not dropped, dropping ALL keeps only the
// added ones, otherwise base minus drops plus adds. Adding a cap that `base` lacks is an error:
// this process cannot grant it.
Result<CapSet> resolve_cap_options(CapSet base, std::span<const std::string> drops,
                                   std::span<const std::string> adds);

// Makes `caps` this process's bounding, permitted and effective set and clears the inheritable
// and ambient sets, as Docker's runtime sets them for a root process (after CVE-2022-24769).
Result<void> apply_capabilities(CapSet caps);

}  // namespace syscap::enforcer
