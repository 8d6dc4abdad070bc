// Trace -> profile. The decisions (which block a syscall lands in, which argument rules are
// justified) are made per syscall name first, then the blocks are written in a fixed order so
// that the same trace always gives the same file.
#include "syscap/profilegen/generator.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "capability_names.hpp"
#include "did_you_mean.hpp"
#include "syscap/profilegen/docker_default.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/runtime_syscalls.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen {
namespace {

constexpr std::string_view kChownFamily[] = {"chown",   "chown32",  "fchown",  "fchown32",
                                             "fchownat", "lchown", "lchown32"};
constexpr std::string_view kSetuidFamily[] = {"setfsuid", "setfsuid32", "setresuid", "setresuid32",
                                              "setreuid", "setreuid32", "setuid",    "setuid32"};
constexpr std::string_view kSetgidFamily[] = {"setfsgid", "setfsgid32", "setgroups", "setgroups32",
                                              "setregid", "setregid32", "setresgid", "setresgid32",
                                              "setgid",   "setgid32"};
constexpr std::string_view kMountFamily[] = {"fsconfig",   "fsmount",  "fsopen", "fspick",
                                             "mount",      "mount_setattr", "move_mount",
                                             "open_tree",  "umount",   "umount2"};
constexpr TieFamily kFamilies[] = {
    {"chown", kChownFamily}, {"setuid", kSetuidFamily}, {"setgid", kSetgidFamily}, {"mount", kMountFamily}};

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

// What the trace says about one argument of one syscall name, across architectures.
struct ArgUse {
  std::set<std::uint64_t> values;
  bool truncated = false;
  std::size_t entries = 0;  // how many (name, arch) entries recorded this index
};

// Everything the trace says about one syscall name.
struct SyscallUse {
  std::string name;
  const TraceSyscall* first = nullptr;
  std::size_t entries = 0;
  std::map<unsigned, ArgUse> args;

  // The values of argument `index`, if every entry recorded them in full.
  const std::set<std::uint64_t>* exact_values(unsigned index) const {
    auto it = args.find(index);
    if (it == args.end() || it->second.truncated || it->second.entries != entries) return nullptr;
    if (it->second.values.empty()) return nullptr;
    return &it->second.values;
  }
};

// Where one syscall goes: its capability block (if any) and its argument rules (if any).
struct Placement {
  std::vector<std::string> caps;                          // includes.caps; empty = untied
  std::string cap_reason;                                 // why it is tied
  std::vector<std::vector<ArgCondition>> alternatives;    // one rule each; empty = no arg rule
  std::string arg_reason;                                 // why the arguments are restricted
};

std::string first_seen_text(const SyscallUse& use) {
  if (use.first == nullptr) return "";
  const FirstSeen& f = use.first->first_seen;
  return fmt::format("first seen: pid {} {}", f.pid, f.exe.empty() ? "?" : f.exe);
}

std::string evidence_text(const CapabilityEvidence& e) {
  return fmt::format("{} by pid {} {}: {}", e.syscall, e.pid, e.exe.empty() ? "?" : e.exe, e.why);
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : std::string(sep)) + w;
  return out;
}

std::string command_text(const Trace& trace) {
  std::vector<std::string> words(trace.command.begin(), trace.command.end());
  std::string text = join(words, " ");
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
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

Rule allow_rule(std::vector<std::string> names, std::string comment,
                const std::vector<std::string>& caps = {}) {
  Rule r;
  r.names = std::move(names);
  std::ranges::sort(r.names);
  r.action = Action::Allow;
  r.comment = std::move(comment);
  if (!caps.empty()) r.includes = RuleFilter{.caps = caps};
  return r;
}

// `architectures`: the native arch of the recording machine, then each arch calls were made on.
std::vector<std::string> seen_architectures(const Trace& trace, const std::vector<TraceSyscall>& calls) {
  std::set<std::string> seen;
  for (const auto& s : calls) seen.insert(s.arch);
  std::vector<std::string> out{trace.arch};
  for (const auto& a : tables::all_arches()) {
    std::string name(a.scmp_name);
    if (name != trace.arch && seen.contains(name)) out.push_back(name);
  }
  return out;
}

// The trace's syscalls a profile can name. The tracer writes "syscall_<nr>" for a number its
// tables could not name (reserved or unknown); when our tables name that number now, the entry
// counts as that syscall, else it is left out with a note (a profile cannot name it, so the
// default action applies to it).
std::vector<TraceSyscall> nameable_syscalls(const Trace& trace, std::string_view default_action,
                                            std::vector<std::string>& notes) {
  std::vector<TraceSyscall> out;
  std::vector<std::string> skipped;
  for (const auto& s : trace.syscalls) {
    auto nr = unnamed_syscall_number(s.name);
    if (!nr) {
      out.push_back(s);
      continue;
    }
    const auto* facts = tables::arch_by_scmp_name(s.arch);
    std::optional<std::string_view> name;
    if (facts != nullptr && facts->table && *nr >= 0 && *nr <= 0x7fffffff) {
      name = tables::syscall_name(*facts->table, static_cast<int>(*nr));
    }
    if (!name) {
      skipped.push_back(fmt::format("{} on {} ({} call{}, first by pid {} {})", s.name, s.arch, s.count,
                                    s.count == 1 ? "" : "s", s.first_seen.pid,
                                    s.first_seen.exe.empty() ? "?" : s.first_seen.exe));
      continue;
    }
    notes.push_back(fmt::format("{} on {}: syscall {} is {} in syscap's tables; treated as {}", s.name, s.arch,
                                *nr, *name, *name));
    // An entry also recorded under the name stays a separate entry: the per-name view below then
    // sees an argument one entry did not record, and makes no argument rule from it.
    TraceSyscall renamed = s;
    renamed.name = std::string(*name);
    out.push_back(std::move(renamed));
  }
  if (!skipped.empty()) {
    notes.push_back(fmt::format("left out {} call{} to syscall numbers syscap's tables do not name: {}; a profile "
                                "cannot list them, so the default action ({}) applies to them",
                                skipped.size(), skipped.size() == 1 ? "" : "s", join(skipped, ", "), default_action));
  }
  return out;
}

}  // namespace

std::span<const TieFamily> tie_families() { return kFamilies; }

std::vector<std::string> runtime_choices() {
  std::vector<std::string> out;
  for (auto r : tables::known_runtimes()) out.emplace_back(r);
  out.emplace_back("none");
  return out;
}

Result<std::vector<CapabilityTie>> parse_tie(std::string_view text) {
  const std::string object = "--tie " + std::string(text);
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return fail("parse", object, "expected SYSCALL=CAP_NAME or @FAMILY=CAP_NAME");
  }
  std::string_view syscall = text.substr(0, eq);
  // Any case, with or without CAP_ ("cap_kill", "KILL", "CAP_KILL"), as `enforce --cap-add` takes it.
  std::string_view given = text.substr(eq + 1);
  auto known = tables::capability_by_name(given);
  if (!known) {
    std::string upper(given);
    std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (!upper.starts_with("CAP_")) upper = "CAP_" + upper;
    std::string cause = "unknown capability \"" + std::string(given) + "\"";
    if (auto guess = detail::closest_match(upper, detail::capability_names())) {
      cause += " (did you mean " + std::string(*guess) + "?)";
    }
    return fail("parse", object, cause);
  }
  const std::string cap(tables::capability_name(*known));
  std::vector<CapabilityTie> ties;
  if (syscall.starts_with("@")) {
    std::string_view family = syscall.substr(1);
    for (const auto& f : kFamilies) {
      if (f.name != family) continue;
      for (auto s : f.syscalls) ties.push_back({std::string(s), cap, std::string(f.name)});
      return ties;
    }
    std::vector<std::string_view> names;
    for (const auto& f : kFamilies) names.push_back(f.name);
    return fail("parse", object,
                "unknown family \"@" + std::string(family) + "\"; expected one of @" + detail::join(names, ", @"));
  }
  if (!tables::is_known_syscall(syscall)) {
    return fail("parse", object, "\"" + std::string(syscall) + "\" is not a syscall name");
  }
  ties.push_back({std::string(syscall), cap, ""});
  return ties;
}

Result<GeneratedProfile> generate_profile(const Trace& trace, const GenerateOptions& options) {
  if (options.default_errno_ret > 0xffff) {
    return fail("generate profile", "--default-errno " + std::to_string(options.default_errno_ret),
                "seccomp returns only 16 bits of data");
  }
  std::optional<std::span<const std::string_view>> runtime_names;
  if (options.runtime != "none") {
    runtime_names = tables::runtime_syscalls(options.runtime);
    if (!runtime_names) {
      return fail("generate profile", "--runtime " + options.runtime,
                  "unknown runtime; expected one of " + join(runtime_choices(), ", "));
    }
  }
  const bool narrow = options.arg_rules == ArgRules::Narrow;
  GeneratedProfile out;

  // What the trace says, per syscall name (`calls` outlives `uses`, which points into it).
  const std::vector<TraceSyscall> calls = nameable_syscalls(trace, to_string(options.default_action), out.notes);
  std::map<std::string, SyscallUse> uses;
  for (const auto& s : calls) {
    SyscallUse& use = uses[s.name];
    use.name = s.name;
    if (use.first == nullptr) use.first = &s;
    ++use.entries;
    for (const auto& a : s.args) {
      ArgUse& arg = use.args[a.index];
      arg.values.insert(a.values.begin(), a.values.end());
      arg.truncated = arg.truncated || a.truncated;
      ++arg.entries;
    }
  }

  // Capabilities: from the evidence, and from --tie.
  std::map<std::string, std::set<std::string>> evidence_caps;          // syscall -> caps
  std::map<std::string, const CapabilityEvidence*> first_evidence;     // syscall -> first
  std::set<std::string> needed;
  for (const auto& c : trace.capabilities) {
    needed.insert(c.name);
    for (const auto& e : c.evidence) {
      evidence_caps[e.syscall].insert(c.name);
      first_evidence.try_emplace(e.syscall, &e);
    }
  }
  std::map<std::string, std::set<std::string>> forced;
  for (const auto& t : options.ties) {
    forced[t.syscall].insert(t.capability);
    needed.insert(t.capability);
  }
  const std::set<std::string> exercised = needed;        // evidence and --tie: the container needs these
  std::map<std::string, std::vector<std::string>> docker_tied;  // cap -> syscalls tied only like Docker
  // A tie that matches nothing recorded is probably a typo or a wrong trace: say so.
  std::map<std::string, bool> family_used;  // "@chown=CAP_X" -> some member was recorded
  for (const auto& t : options.ties) {
    if (t.family.empty()) {
      if (!uses.contains(t.syscall)) {
        out.notes.push_back(fmt::format("--tie {}={}: {} was not recorded; the tie has no effect",
                                        t.syscall, t.capability, t.syscall));
      }
      continue;
    }
    bool& used = family_used[fmt::format("@{}={}", t.family, t.capability)];
    used = used || uses.contains(t.syscall);
  }
  for (const auto& [tie, used] : family_used) {
    if (!used) out.notes.push_back(fmt::format("--tie {}: no syscall of the family was recorded; the tie has no effect", tie));
  }

  // A recorded clone3 without capability evidence is answered ENOSYS and clone allowed without
  // namespace flags instead, as Docker does; glibc falls back to clone.
  const bool clone3_untied = uses.contains("clone3") && !evidence_caps.contains("clone3") &&
                             !forced.contains("clone3");
  const bool clone_synthesized = narrow && clone3_untied && !uses.contains("clone");
  if (clone_synthesized) {
    SyscallUse& clone = uses["clone"];
    clone.name = "clone";
    clone.first = uses["clone3"].first;
    clone.entries = 1;
    clone.args[0] = ArgUse{.values = {0}, .truncated = false, .entries = 1};
  }

  // Placement of every syscall name.
  std::map<std::string, Placement> placed;
  for (const auto& [name, use] : uses) {
    Placement p;
    if (narrow) restrict_arguments(use, p);
    if (name == "clone" && clone_synthesized) {
      p.arg_reason = "clone without namespace flags: the workload called clone3, which is answered "
                     "ENOSYS, and glibc then falls back to clone";
    }
    if (auto it = forced.find(name); it != forced.end()) {
      p.caps.assign(it->second.begin(), it->second.end());
      p.cap_reason = fmt::format("{}: tied by hand (--tie)", name);
    } else if (auto ev = evidence_caps.find(name); ev != evidence_caps.end()) {
      p.caps.assign(ev->second.begin(), ev->second.end());
      p.cap_reason = evidence_text(*first_evidence.at(name));
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
        if (!exercised.contains(cap)) docker_tied[cap].push_back(name);
        p.caps = {cap};
        p.cap_reason = fmt::format("{}: Docker's default profile allows it only with {}", name, join(docker, " or "));
      }
    }
    placed[name] = std::move(p);
  }
  const bool clone_restricted = placed.contains("clone") && !placed["clone"].alternatives.empty();
  std::optional<Placement> clone3_placement;
  if (auto it = placed.find("clone3"); it != placed.end() && clone_restricted) {
    if (!it->second.caps.empty()) clone3_placement = it->second;
    placed.erase(it);
  }

  Profile& profile = out.profile;
  profile.default_action = options.default_action;
  if (options.default_action == Action::Errno || options.default_action == Action::Trace) {
    profile.default_errno_ret = options.default_errno_ret;
  }
  profile.architectures = seen_architectures(trace, calls);

  // 1. Needs nothing.
  std::vector<std::string> plain;
  for (const auto& [name, p] : placed) {
    if (p.caps.empty() && p.alternatives.empty()) plain.push_back(name);
  }
  if (!plain.empty()) {
    profile.syscalls.push_back(allow_rule(
        plain, fmt::format("recorded from `{}`: syscalls that need no capability and no argument rule",
                           command_text(trace))));
  }
  // 2. Argument rules without a capability.
  for (const auto& [name, p] : placed) {
    if (!p.caps.empty() || p.alternatives.empty()) continue;
    for (const auto& alt : p.alternatives) {
      Rule r = allow_rule({name}, fmt::format("{}; {}", p.arg_reason, first_seen_text(uses.at(name))));
      r.args = alt;
      profile.syscalls.push_back(std::move(r));
    }
  }
  // 3. Capability blocks, one per capability set; argument rules under a capability follow it.
  std::map<std::vector<std::string>, std::vector<std::string>> by_caps;  // caps -> names
  for (const auto& [name, p] : placed) {
    if (!p.caps.empty()) by_caps[p.caps].push_back(name);
  }
  if (clone3_placement) by_caps[clone3_placement->caps].push_back("clone3");
  for (const auto& [caps, names] : by_caps) {
    std::vector<std::string> unrestricted;
    std::vector<std::string> reasons;
    for (const auto& name : names) {
      const Placement& p = name == "clone3" && clone3_placement ? *clone3_placement : placed.at(name);
      if (!p.alternatives.empty()) continue;
      unrestricted.push_back(name);
      if (std::ranges::find(reasons, p.cap_reason) == reasons.end()) reasons.push_back(p.cap_reason);
    }
    std::string why = fmt::format("needs {}: {}", join(caps, " and "), join(reasons, "; "));
    if (!unrestricted.empty()) profile.syscalls.push_back(allow_rule(unrestricted, why, caps));
    for (const auto& name : names) {
      const Placement& p = name == "clone3" && clone3_placement ? *clone3_placement : placed.at(name);
      for (const auto& alt : p.alternatives) {
        Rule r = allow_rule({name}, fmt::format("{}; needs {}: {}", p.arg_reason, join(caps, " and "), p.cap_reason), caps);
        r.args = alt;
        profile.syscalls.push_back(std::move(r));
      }
    }
  }
  // 4. clone3 -> ENOSYS while clone is restricted.
  if (clone_restricted) {
    Rule r;
    r.names = {"clone3"};
    r.action = Action::Errno;
    r.errno_ret = kClone3Errno;
    r.comment = "clone3 answers ENOSYS because clone is restricted by its flags argument and clone3's "
                "flags cannot be inspected; glibc then falls back to clone (as in Docker's default profile)";
    if (clone3_placement) r.excludes = RuleFilter{.caps = clone3_placement->caps};
    profile.syscalls.push_back(std::move(r));
  }
  // 5. The runtime's own syscalls.
  if (runtime_names) {
    std::vector<std::string> extra;
    for (auto n : *runtime_names) {
      std::string name(n);
      if (std::ranges::binary_search(plain, name)) continue;
      if (name == "clone3" && clone_restricted) {
        out.notes.push_back(fmt::format("{} calls clone3, which this profile answers with ENOSYS", options.runtime));
        continue;
      }
      extra.push_back(name);
    }
    if (!extra.empty()) {
      profile.syscalls.push_back(allow_rule(
          extra, fmt::format("{}: syscalls the container runtime makes after installing the filter and "
                             "before the workload's execve (measured; syscall_tables/src/runtime_syscalls.cpp)",
                             options.runtime)));
    }
  }
  out.capabilities.assign(exercised.begin(), exercised.end());
  for (auto& [cap, names] : docker_tied) out.docker_ties.push_back({cap, std::move(names)});
  return out;
}

}  // namespace syscap::profilegen
