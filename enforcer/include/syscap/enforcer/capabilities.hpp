// Capability sets the way `docker run --cap-drop/--cap-add` computes and applies them: Docker's
// 14 default capabilities unless the options say otherwise, never more than this process holds.
//
//   using namespace syscap::enforcer;
//   auto held = held_capabilities();                              // Result<CapSet>
//   auto caps = resolve_cap_options(*held, {"ALL"}, {"chown", "CAP_KILL,NET_RAW"});
//   if (!caps) ...                        // not a capability, or one this process does not hold
//   capability_names(*caps);              // {"CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"}
//   apply_capabilities(*caps);            // bounding = permitted = effective; no inheritable/ambient
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::enforcer {

// A set of capabilities: bit N is capability number N (CAP_CHOWN = 0).
struct CapSet {
  std::uint64_t bits = 0;
  bool has(int cap) const { return cap >= 0 && cap < 64 && ((bits >> cap) & 1U) != 0; }
  void add(int cap) { bits |= std::uint64_t{1} << cap; }
  void remove(int cap) { bits &= ~(std::uint64_t{1} << cap); }
  bool empty() const { return bits == 0; }
  bool operator==(const CapSet&) const = default;
};

// The "CAP_*" names in `caps`, by capability number (the names of syscap/tables/capabilities.hpp;
// "CAP_<N>" for a number newer than the tables).
std::vector<std::string> capability_names(CapSet caps);

// The 14 capabilities Docker gives a container by default (tables::docker_default_capabilities).
CapSet docker_default_caps();

// The calling process's capability bounding set.
Result<CapSet> current_bounding_set();

// What this process can give a command: its permitted set within its bounding set. Root holds
// everything in its bounding set; an unprivileged caller usually nothing.
Result<CapSet> held_capabilities();

// Docker's --cap-add/--cap-drop arithmetic (moby TweakCapabilities) over the values as given on
// the command line, each parsed whole (tables::parse_capability_list: a name, ALL, or a comma
// list): adding ALL keeps every held capability not dropped; dropping ALL keeps only the added
// ones; otherwise Docker's 14 defaults that are held, minus drops, plus adds. Errors: a value that
// is not a capability list (naming the bad part), and adding a capability this process does not
// hold (it cannot be granted).
Result<CapSet> resolve_cap_options(CapSet held, std::span<const std::string> drops, std::span<const std::string> adds);

// Makes `caps` this process's bounding, permitted and effective set and clears the inheritable
// and ambient sets, as Docker's runtime sets them for a root process (after CVE-2022-24769).
// A process that holds no capability at all has nothing to change (no_new_privs, set with the
// filter, keeps its command from gaining any) and is left as it is.
Result<void> apply_capabilities(CapSet caps);

}  // namespace syscap::enforcer
