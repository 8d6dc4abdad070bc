// Capability names, Docker's --cap-add/--cap-drop arithmetic, and applying a set.
#include "syscap/enforcer/capabilities.hpp"

#include <sys/capability.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>

namespace syscap::enforcer {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_all(std::string_view name) { return lower(name) == "all"; }

}  // namespace

std::optional<int> capability_number(std::string_view name) {
  std::string key = lower(name);
  if (!key.starts_with("cap_")) key = "cap_" + key;
  if (key == "cap_all") return std::nullopt;
  cap_value_t value = 0;
  if (cap_from_name(key.c_str(), &value) != 0 || value < 0 || value > 63) return std::nullopt;
  // libcap also accepts bare numbers ("cap_12" is not, but "12" would be): require a name.
  if (std::ranges::all_of(key.substr(4), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  return static_cast<int>(value);
}

std::string capability_name(int cap) {
  std::unique_ptr<char, decltype(&cap_free)> raw(cap_to_name(static_cast<cap_value_t>(cap)),
                                                 &cap_free);
  std::string name = raw ? raw.get() : std::to_string(cap);
  std::ranges::transform(name, name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name.starts_with("CAP_") ? name : "CAP_" + name;
}

std::vector<std::string> capability_names(CapSet caps) {
  std::vector<std::string> names;
  for (int cap = 0; cap < 64; ++cap)
    if (caps.has(cap)) names.push_back(capability_name(cap));
  return names;
}

CapSet docker_default_caps() {
  CapSet set;
  for (int cap : {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
                  CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
                  CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE})
    set.add(cap);
  return set;
}

Result<CapSet> current_bounding_set() {
  CapSet set;
  for (int cap = 0; cap < 64; ++cap) {
    int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (r < 0) {
      if (errno == EINVAL) break;  // past the kernel's last capability
      return fail_errno("prctl(PR_CAPBSET_READ)", capability_name(cap), errno);
    }
    if (r == 1) set.add(cap);
  }
  return set;
}

Result<CapSet> resolve_cap_options(CapSet base, std::span<const std::string> drops,
                                   std::span<const std::string> adds) {
  bool add_all = false, drop_all = false;
  CapSet add, drop;
  for (const std::string& name : adds) {
    if (is_all(name)) { add_all = true; continue; }
    auto cap = capability_number(name);
    if (!cap) return fail("--cap-add", name, "unknown capability");
    if (!base.has(*cap))
      return fail("--cap-add", capability_name(*cap),
                  "not in this process's bounding set, so it cannot be granted");
    add.add(*cap);
  }
  for (const std::string& name : drops) {
    if (is_all(name)) { drop_all = true; continue; }
    auto cap = capability_number(name);
    if (!cap) return fail("--cap-drop", name, "unknown capability");
    drop.add(*cap);
  }
  if (add_all) return CapSet{base.bits & ~drop.bits};
  if (drop_all) return add;
  return CapSet{(base.bits & ~drop.bits) | add.bits};
}

Result<void> apply_capabilities(CapSet caps) {
  auto bounding = current_bounding_set();
  if (!bounding) return std::unexpected(bounding.error());
  for (int cap = 0; cap < 64; ++cap) {
    if (bounding->has(cap) && !caps.has(cap) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
      return fail_errno("prctl(PR_CAPBSET_DROP)", capability_name(cap), errno);
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
    return fail_errno("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "", errno);
  std::unique_ptr<std::remove_pointer_t<cap_t>, decltype(&cap_free)> state(cap_init(), &cap_free);
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
  if (cap_set_proc(state.get()) != 0)
    return fail_errno("capset", "permitted and effective sets", errno);
  return {};
}

}  // namespace syscap::enforcer
