// Docker's --cap-add/--cap-drop arithmetic, and applying a capability set.
#include "syscap/enforcer/capabilities.hpp"

#include <sys/capability.h>
#include <sys/prctl.h>

#include <cerrno>
#include <memory>

#include "syscap/tables/capabilities.hpp"

namespace syscap::enforcer {
namespace {

std::string name_of(int cap) {
  if (cap >= 0 && cap < tables::kCapabilityCount)
    return std::string(tables::capability_name(static_cast<tables::Capability>(cap)));
  return "CAP_" + std::to_string(cap);
}

// Every value of one option, parsed whole; `all` is set when one of them is ALL.
Result<CapSet> parse_values(std::span<const std::string> values, const char* option, bool& all) {
  CapSet set;
  for (const std::string& value : values) {
    auto list = tables::parse_capability_list(value);
    if (!list) return fail(option, list.error().object, list.error().cause);
    all = all || list->all;
    for (tables::Capability cap : list->caps) set.add(static_cast<int>(cap));
  }
  return set;
}

using CapState = std::unique_ptr<std::remove_pointer_t<cap_t>, decltype(&cap_free)>;

}  // namespace

std::vector<std::string> capability_names(CapSet caps) {
  std::vector<std::string> names;
  for (int cap = 0; cap < 64; ++cap)
    if (caps.has(cap)) names.push_back(name_of(cap));
  return names;
}

CapSet docker_default_caps() {
  CapSet set;
  for (tables::Capability cap : tables::docker_default_capabilities()) set.add(static_cast<int>(cap));
  return set;
}

Result<CapSet> current_bounding_set() {
  CapSet set;
  for (int cap = 0; cap < 64; ++cap) {
    int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (r < 0) {
      if (errno == EINVAL) break;  // past the kernel's last capability
      return fail_errno("prctl(PR_CAPBSET_READ)", name_of(cap), errno);
    }
    if (r == 1) set.add(cap);
  }
  return set;
}

Result<CapSet> held_capabilities() {
  auto bounding = current_bounding_set();
  if (!bounding) return std::unexpected(bounding.error());
  CapState state(cap_get_proc(), &cap_free);
  if (!state) return fail_errno("capget", "this process", errno);
  CapSet held;
  for (int cap = 0; cap < 64; ++cap) {
    if (!bounding->has(cap)) continue;
    cap_flag_value_t permitted = CAP_CLEAR;
    if (cap_get_flag(state.get(), static_cast<cap_value_t>(cap), CAP_PERMITTED, &permitted) == 0 &&
        permitted == CAP_SET)
      held.add(cap);
  }
  return held;
}

Result<CapSet> resolve_cap_options(CapSet held, std::span<const std::string> drops, std::span<const std::string> adds) {
  bool add_all = false, drop_all = false;
  auto add = parse_values(adds, "--cap-add", add_all);
  if (!add) return std::unexpected(add.error());
  auto drop = parse_values(drops, "--cap-drop", drop_all);
  if (!drop) return std::unexpected(drop.error());
  for (int cap = 0; cap < 64; ++cap)
    if (add->has(cap) && !held.has(cap))
      return fail("--cap-add", name_of(cap), "this process does not hold it, so it cannot be granted");
  if (add_all) return CapSet{held.bits & ~drop->bits};
  if (drop_all) return *add;
  return CapSet{(docker_default_caps().bits & held.bits & ~drop->bits) | add->bits};
}

Result<void> apply_capabilities(CapSet caps) {
  auto bounding = current_bounding_set();
  if (!bounding) return std::unexpected(bounding.error());
  CapState current(cap_get_proc(), &cap_free);
  if (!current) return fail_errno("capget", "this process", errno);
  // Nothing held in any set: nothing to take away, and no capability can be gained once
  // no_new_privs is set (as it is with the filter).
  CapState none(cap_init(), &cap_free);
  // (The ambient set is within permitted and inheritable: empty when they are.)
  const bool holds_nothing = none && cap_compare(current.get(), none.get()) == 0;
  if (holds_nothing && caps.empty()) return {};

  for (int cap = 0; cap < 64; ++cap) {
    if (bounding->has(cap) && !caps.has(cap) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
      return fail_errno("prctl(PR_CAPBSET_DROP)", name_of(cap), errno);
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
    return fail_errno("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "", errno);
  CapState state(cap_init(), &cap_free);
  if (!state) return fail_errno("cap_init", "", errno);
  std::vector<cap_value_t> list;
  for (int cap = 0; cap < 64; ++cap)
    if (caps.has(cap)) list.push_back(static_cast<cap_value_t>(cap));
  if (!list.empty()) {
    int n = static_cast<int>(list.size());
    if (cap_set_flag(state.get(), CAP_PERMITTED, n, list.data(), CAP_SET) != 0 ||
        cap_set_flag(state.get(), CAP_EFFECTIVE, n, list.data(), CAP_SET) != 0)
      return fail_errno("cap_set_flag", "", errno);
  }
  if (cap_set_proc(state.get()) != 0) return fail_errno("capset", "permitted and effective sets", errno);
  return {};
}

}  // namespace syscap::enforcer
