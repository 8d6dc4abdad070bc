// generate_profile()'s middle steps: the capabilities the evidence and --tie name, and where
// each syscall goes: under the capability its evidence or --tie names, under the one Docker's
// default profile ties it to, or untied; with argument rules where the trace justifies them.
#include <algorithm>

#include <fmt/format.h>

#include "generator_steps.hpp"
#include "syscap/profilegen/docker_default.hpp"

namespace syscap::profilegen::detail {
namespace {

// Names of the socket domains programs commonly use, for comments.
std::string socket_domain_name(std::uint64_t domain) {
  switch (domain) {
    case 1: return "AF_UNIX";
    case 2: return "AF_INET";
    case 10: return "AF_INET6";
    case 16: return "AF_NETLINK";
    case 17: return "AF_PACKET";
    case 38: return "AF_ALG";
    case 40: return "AF_VSOCK";
    default: return "domain " + std::to_string(domain);
  }
}

// "CLONE_NEWNS|CLONE_NEWUSER" for the namespace bits of `flags`.
std::string namespace_flag_names(std::uint64_t flags) {
  static constexpr std::pair<std::uint64_t, std::string_view> kNames[] = {
      {0x00020000, "CLONE_NEWNS"},   {0x02000000, "CLONE_NEWCGROUP"}, {0x04000000, "CLONE_NEWUTS"},
      {0x08000000, "CLONE_NEWIPC"},  {0x10000000, "CLONE_NEWUSER"},   {0x20000000, "CLONE_NEWPID"},
      {0x40000000, "CLONE_NEWNET"}};
  std::string out;
  for (auto [bit, name] : kNames) {
    if (flags & bit) out += (out.empty() ? "" : "|") + std::string(name);
  }
  return out;
}

std::string evidence_text(const CapabilityEvidence& e) {
  return fmt::format("{} by pid {} {}: {}", e.syscall, e.pid, e.exe.empty() ? "?" : e.exe, e.why);
}

// Argument rules the trace justifies for `use` (Narrow mode only).
void restrict_arguments(const SyscallUse& use, Placement& p) {
  const std::string& n = use.name;
  if (n == "socket" || n == "personality") {
    const auto* values = use.exact_values(0);
    if (values == nullptr) return;
    std::vector<std::string> shown;
    for (auto v : *values) {
      p.alternatives.push_back({ArgCondition{.index = 0, .value = v, .op = CmpOp::Equal}});
      shown.push_back(n == "socket" ? fmt::format("{} ({})", socket_domain_name(v), v)
                                    : fmt::format("{:#x}", v));
    }
    p.arg_reason = fmt::format("{} only with the {} used: {}", n,
                               n == "socket" ? "domains" : "personas", join(shown, ", "));
    return;
  }
  if (n == "clone" || n == "unshare") {
    const auto* values = use.exact_values(0);
    if (values == nullptr) return;
    std::uint64_t used = 0;
    for (auto v : *values) used |= v & kNamespaceFlags;
    std::uint64_t mask = kNamespaceFlags & ~used;
    if (mask == 0) return;
    p.alternatives.push_back(
        {ArgCondition{.index = 0, .value = mask, .value_two = 0, .op = CmpOp::MaskedEqual}});
    p.arg_reason = used == 0
                       ? fmt::format("{} without namespace flags (none were used)", n)
                       : fmt::format("{} without the namespace flags that were not used (used: {})", n,
                                     namespace_flag_names(used));
  }
}

// The one capability a Docker-tied syscall is placed under: one the container gets anyway if
// possible, else the narrowest (anything but CAP_SYS_ADMIN), else the first.
std::string choose_capability(const std::vector<std::string>& alternatives,
                              const std::set<std::string>& needed) {
  for (const auto& c : alternatives) {
    if (needed.contains(c)) return c;
  }
  for (const auto& c : alternatives) {
    if (c != "CAP_SYS_ADMIN") return c;
  }
  return alternatives.front();
}

// Where `name` goes. `needed` grows by the capability a Docker-style tie picks, so that later
// syscalls prefer it; `docker_tied` records such ties without evidence.
Placement place_syscall(const std::string& name, const SyscallUse& use, const CapabilitySources& caps,
                        bool narrow, bool clone_synthesized, std::set<std::string>& needed,
                        std::map<std::string, std::vector<std::string>>& docker_tied) {
  Placement p;
  if (narrow) restrict_arguments(use, p);
  if (name == "clone" && clone_synthesized) {
    p.arg_reason = "clone without namespace flags: the workload called clone3, which is answered "
                   "ENOSYS, and glibc then falls back to clone";
  }
  if (auto it = caps.forced.find(name); it != caps.forced.end()) {
    p.caps.assign(it->second.begin(), it->second.end());
    p.cap_reason = fmt::format("{}: tied by hand (--tie)", name);
  } else if (auto ev = caps.evidence_caps.find(name); ev != caps.evidence_caps.end()) {
    p.caps.assign(ev->second.begin(), ev->second.end());
    p.cap_reason = evidence_text(*caps.first_evidence.at(name));
  } else {
    // Docker ties clone3 to CAP_SYS_ADMIN only because its flags cannot be filtered; without
    // the capability it answers ENOSYS, as this profile does (below) while clone is restricted.
    auto docker = name == "clone3" ? std::vector<std::string>{} : docker_capability_tie(name);
    // Docker ties unshare to CAP_SYS_ADMIN for the namespaces it creates; an unshare kept
    // from every namespace flag is as harmless as the clone Docker allows without it.
    bool namespace_free = (name == "unshare" && !p.alternatives.empty() &&
                           p.alternatives[0][0].value == kNamespaceFlags);
    if (!docker.empty() && !namespace_free) {
      std::string cap = choose_capability(docker, needed);
      needed.insert(cap);
      if (!caps.exercised.contains(cap)) docker_tied[cap].push_back(name);
      p.caps = {cap};
      p.cap_reason = fmt::format("{}: Docker's default profile allows it only with {}", name, join(docker, " or "));
    }
  }
  return p;
}

}  // namespace

CapabilitySources collect_capabilities(const Trace& trace, const std::vector<CapabilityTie>& ties) {
  CapabilitySources out;
  for (const auto& c : trace.capabilities) {
    out.exercised.insert(c.name);
    for (const auto& e : c.evidence) {
      out.evidence_caps[e.syscall].insert(c.name);
      out.first_evidence.try_emplace(e.syscall, &e);
    }
  }
  for (const auto& t : ties) {
    out.forced[t.syscall].insert(t.capability);
    out.exercised.insert(t.capability);
  }
  return out;
}

void note_idle_ties(const std::vector<CapabilityTie>& ties, const SyscallUses& uses,
                    std::vector<std::string>& notes) {
  std::map<std::string, bool> family_used;  // "@chown=CAP_X" -> some member was recorded
  for (const auto& t : ties) {
    if (t.family.empty()) {
      if (!uses.contains(t.syscall)) {
        notes.push_back(fmt::format("--tie {}={}: {} was not recorded; the tie has no effect",
                                    t.syscall, t.capability, t.syscall));
      }
      continue;
    }
    bool& used = family_used[fmt::format("@{}={}", t.family, t.capability)];
    used = used || uses.contains(t.syscall);
  }
  for (const auto& [tie, used] : family_used) {
    if (!used) notes.push_back(fmt::format("--tie {}: no syscall of the family was recorded; the tie has no effect", tie));
  }
}

bool synthesize_clone(SyscallUses& uses, const CapabilitySources& caps, bool narrow) {
  // A recorded clone3 without capability evidence is answered ENOSYS and clone allowed without
  // namespace flags instead, as Docker does; glibc falls back to clone.
  const bool clone3_untied = uses.contains("clone3") && !caps.evidence_caps.contains("clone3") &&
                             !caps.forced.contains("clone3");
  if (!narrow || !clone3_untied || uses.contains("clone")) return false;
  SyscallUse& clone = uses["clone"];
  clone.name = "clone";
  clone.first = uses["clone3"].first;
  clone.entries = 1;
  clone.args[0] = ArgUse{.values = {0}, .truncated = false, .entries = 1};
  return true;
}

Placements place_syscalls(const SyscallUses& uses, const CapabilitySources& caps, bool narrow,
                          bool clone_synthesized) {
  Placements out;
  std::set<std::string> needed = caps.exercised;
  for (const auto& [name, use] : uses)
    out.placed[name] = place_syscall(name, use, caps, narrow, clone_synthesized, needed, out.docker_tied);
  out.clone_restricted = out.placed.contains("clone") && !out.placed["clone"].alternatives.empty();
  if (auto it = out.placed.find("clone3"); it != out.placed.end() && out.clone_restricted) {
    if (!it->second.caps.empty()) out.clone3 = it->second;
    out.placed.erase(it);
  }
  return out;
}

}  // namespace syscap::profilegen::detail
