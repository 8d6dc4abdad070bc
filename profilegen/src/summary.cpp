#include "syscap/profilegen/summary.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "syscap/profilegen/container_view.hpp"
#include "syscap/profilegen/docker_default.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen {
namespace {

// Sorted. Why each is here: kernel attack surface reachable from a container (bpf, io_uring,
// userfaultfd, perf_event_open, keyrings), escapes and cross-process access (ptrace, process_vm,
// kcmp, pidfd_getfd, open_by_handle_at), namespace and mount games (mount, unshare, setns, clone3,
// pivot_root), and things that change the whole host (kexec, modules, reboot, swap, time).
constexpr std::string_view kHighRisk[] = {
    "add_key",          "bpf",               "chroot",            "clone3",
    "delete_module",    "fanotify_init",     "finit_module",      "fsconfig",
    "fsmount",          "fsopen",            "init_module",       "io_uring_enter",
    "io_uring_register", "io_uring_setup",   "ioperm",            "iopl",
    "kcmp",             "kexec_file_load",   "kexec_load",        "keyctl",
    "lookup_dcookie",   "mount",             "move_mount",        "name_to_handle_at",
    "open_by_handle_at", "open_tree",        "perf_event_open",   "pidfd_getfd",
    "pivot_root",       "process_madvise",   "process_vm_readv",  "process_vm_writev",
    "ptrace",           "quotactl",          "reboot",            "request_key",
    "setns",            "swapoff",           "swapon",            "umount2",
    "unshare",          "userfaultfd",       "vmsplice",
};

// Names the resolved profile allows that are syscalls on `arch`.
std::set<std::string> allowed_on(const Profile& resolved, tables::Arch arch) {
  std::set<std::string> out;
  for (const auto& name : allowed_syscall_names(resolved)) {
    if (tables::syscall_number(arch, name)) out.insert(name);
  }
  return out;
}

// Names the resolved profile lists with an action that does not let the call run.
std::set<std::string> refused_names(const Profile& resolved) {
  std::set<std::string> out;
  for (const Rule& rule : resolved.syscalls) {
    if (!allows(rule.action)) out.insert(rule.names.begin(), rule.names.end());
  }
  return out;
}

// "CAP_CHOWN" -> "CHOWN": Docker's --cap-add and Kubernetes' capabilities.add spelling.
std::string without_prefix(const std::string& cap) { return cap.substr(cap.starts_with("CAP_") ? 4 : 0); }

std::string format_name(OutputFormat format) {
  switch (format) {
    case OutputFormat::Docker: return "docker";
    case OutputFormat::Oci: return "oci";
    case OutputFormat::K8s: return "k8s";
  }
  return "?";
}

// "CAP_SYS_CHROOT (chroot), CAP_SYS_BOOT (reboot)".
std::string ties_text(const std::vector<DockerTie>& ties) {
  std::string out;
  for (const auto& t : ties) {
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", t.capability, fmt::join(t.syscalls, ", "));
  }
  return out;
}

// How to use a profile written in `s.target.format`.
std::string usage_text(const ProfileSummary& s) {
  std::string out;
  if (s.target.format == OutputFormat::Docker) return fmt::format("run it with:\n  {}\n", s.docker_run);
  if (s.target.format == OutputFormat::Oci) {
    out += fmt::format("this is the runtime-spec linux.seccomp object, already evaluated for the capabilities "
                       "above on {}: put it under \"linux\": {{\"seccomp\": ...}} in an OCI bundle's config.json "
                       "(runc, crun) and give the process exactly those capabilities\n",
                       s.container_arch);
    out += fmt::format("Docker accepts it as a profile too:\n  {}\n", s.docker_run);
    return out;
  }
  // k8s: a SeccompProfile resource; Docker would not read it as a profile.
  out += fmt::format("this is a security-profiles-operator SeccompProfile resource (not a Docker profile), already "
                     "evaluated for the capabilities above on {}; install it with:\n  kubectl apply -f {}\n",
                     s.container_arch, shell_quote(s.profile_path));
  std::string ns = s.target.k8s_namespace.empty() ? "default" : s.target.k8s_namespace;
  out += "then use it in the container's securityContext (the operator reports the path as the resource's "
         "status.localhostProfile):\n";
  out += "  securityContext:\n    seccompProfile:\n      type: Localhost\n";
  out += fmt::format("      localhostProfile: operator/{}/{}.json{}\n", ns, s.target.k8s_name,
                     s.target.k8s_namespace.empty() ? "  # or the namespace it was applied in" : "");
  out += "    capabilities:\n      drop: [\"ALL\"]\n";
  if (!s.capabilities.empty()) {
    std::vector<std::string> quoted;
    for (const auto& c : s.capabilities) quoted.push_back("\"" + without_prefix(c) + "\"");
    out += fmt::format("      add: [{}]\n", fmt::join(quoted, ", "));
  }
  return out;
}

}  // namespace

std::span<const std::string_view> high_risk_syscalls() { return kHighRisk; }

std::string shell_quote(std::string_view word) {
  bool plain = !word.empty() && std::ranges::all_of(word, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("@%_+=:,./-").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

ProfileSummary summarize(const GeneratedProfile& generated, std::string_view native_arch,
                         std::string_view profile_path, std::span<const std::string> command,
                         const SummaryTarget& target) {
  ProfileSummary s;
  s.capabilities = generated.capabilities;
  s.docker_ties = generated.docker_ties;
  s.target = target;
  s.profile_path = std::string(profile_path);
  const auto* facts = tables::arch_by_scmp_name(native_arch);
  if (facts == nullptr) facts = &tables::facts(tables::native_arch());
  s.native_arch = std::string(facts->scmp_name);
  s.container_arch = std::string(facts->native_name);
  tables::Arch table = facts->table.value_or(tables::native_arch());

  ContainerContext ours{.native_arch = s.container_arch, .capabilities = generated.capabilities, .kernel = {}};
  ContainerContext docker{.native_arch = s.container_arch, .capabilities = {}, .kernel = {}};
  for (auto c : docker_default_capability_names()) docker.capabilities.emplace_back(c);
  const Profile mine_resolved = resolve_for_container(generated.profile, ours);
  const Profile theirs_resolved = resolve_for_container(docker_default_profile(), docker);

  // Native first, then every other architecture the profile lists that we have a table for.
  std::vector<std::pair<std::string, tables::Arch>> arches{{s.native_arch, table}};
  for (const auto& name : mine_resolved.architectures) {
    const auto* a = tables::arch_by_scmp_name(name);
    if (a == nullptr || !a->table || name == s.native_arch) continue;
    if (std::ranges::find(arches, name, &std::pair<std::string, tables::Arch>::first) != arches.end()) continue;
    arches.emplace_back(name, *a->table);
  }
  for (const auto& [name, arch_table] : arches) {
    ArchCount c{.arch = name, .allowed = allowed_on(mine_resolved, arch_table).size(), .docker_allowed = {}};
    if (std::ranges::find(theirs_resolved.architectures, name) != theirs_resolved.architectures.end()) {
      c.docker_allowed = allowed_on(theirs_resolved, arch_table).size();
    }
    s.per_arch.push_back(std::move(c));
  }

  const auto default_action = generated.profile.default_action;
  s.default_action = default_action ? std::string(to_string(*default_action)) : std::string("(none)");
  s.allows_by_default = default_action && allows(*default_action);
  auto mine = allowed_on(mine_resolved, table);
  auto theirs = allowed_on(theirs_resolved, table);
  if (s.allows_by_default) {
    auto refused = refused_names(mine_resolved);
    s.refused.assign(refused.begin(), refused.end());
    for (auto risky : kHighRisk) {
      std::string name(risky);
      if (theirs.contains(name) && refused.contains(name)) s.high_risk_refused.push_back(name);
    }
  } else {
    for (auto risky : kHighRisk) {
      std::string name(risky);
      if (theirs.contains(name) && !mine.contains(name)) s.high_risk_refused.push_back(name);
      if (mine.contains(name)) s.high_risk_allowed.push_back(name);
    }
  }

  if (target.format != OutputFormat::K8s) {
    std::string run = "docker run --cap-drop ALL";
    // Without the CAP_ prefix: every Docker version accepts that spelling (20.10+ takes both).
    for (const auto& c : generated.capabilities) run += " --cap-add " + without_prefix(c);
    run += " --security-opt seccomp=" + shell_quote(profile_path) + " IMAGE";
    for (const auto& word : command) run += " " + shell_quote(word);
    s.docker_run = std::move(run);
  }
  return s;
}

std::string summary_text(const ProfileSummary& s) {
  std::string out;
  if (s.allows_by_default) {
    out += fmt::format("allows every syscall except those it refuses ({}): the default action is {}\n",
                       s.refused.empty() ? std::string("none") : fmt::format("{}", fmt::join(s.refused, ", ")),
                       s.default_action);
    for (const auto& c : s.per_arch) {
      if (c.docker_allowed) out += fmt::format("Docker's default allows {} syscalls on {}\n", *c.docker_allowed, c.arch);
    }
  } else {
    for (const auto& c : s.per_arch) {
      out += fmt::format("allows {} syscalls on {}", c.allowed, c.arch);
      if (c.docker_allowed) {
        long fewer = static_cast<long>(*c.docker_allowed) - static_cast<long>(c.allowed);
        out += fmt::format("; Docker's default allows {} ({} {})", *c.docker_allowed, fewer >= 0 ? fewer : -fewer,
                           fewer >= 0 ? "fewer" : "more");
      }
      out += "\n";
    }
  }
  if (!s.high_risk_refused.empty()) {
    out += fmt::format("refuses high-risk syscalls Docker's default allows: {}\n",
                       fmt::join(s.high_risk_refused, ", "));
  }
  if (!s.high_risk_allowed.empty()) {
    out += fmt::format("allows high-risk syscalls the workload used: {}\n", fmt::join(s.high_risk_allowed, ", "));
  }
  out += fmt::format("capabilities needed: {}\n",
                     s.capabilities.empty() ? std::string("none") : fmt::format("{}", fmt::join(s.capabilities, ", ")));
  if (!s.docker_ties.empty()) {
    out += fmt::format("tied by Docker's default profile, not exercised: {}\n", ties_text(s.docker_ties));
    if (s.target.format == OutputFormat::Docker) {
      std::vector<std::string> adds;
      for (const auto& t : s.docker_ties) adds.push_back("--cap-add " + without_prefix(t.capability));
      bool one = s.docker_ties.size() == 1;
      out += fmt::format("  add {} only if the workload must succeed at {} ({}); the profile allows {} only to a "
                         "container that has {}\n",
                         one ? "it" : "one", one ? "those syscalls" : "its syscalls", fmt::join(adds, ", "),
                         one ? "them" : "each", one ? "it" : "its capability");
    } else {
      std::vector<std::string> ties;
      for (const auto& t : s.docker_ties) {
        for (const auto& name : t.syscalls) ties.push_back(fmt::format("--tie {}={}", name, t.capability));
      }
      out += fmt::format("  the trace shows no call that used them, and the {} output is evaluated without them, so "
                         "those syscalls are refused; if the workload must succeed at them, generate again with {}\n",
                         format_name(s.target.format), fmt::join(ties, " "));
    }
  }
  out += usage_text(s);
  return out;
}

}  // namespace syscap::profilegen
