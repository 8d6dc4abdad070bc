#include "syscap/profile/summary.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "syscap/profile/container_view.hpp"
#include "syscap/profile/docker_default.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profile {
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
                         std::string_view profile_path, std::span<const std::string> command) {
  ProfileSummary s;
  s.capabilities = generated.capabilities;
  s.native_arch = std::string(native_arch);
  const auto* facts = tables::arch_by_scmp_name(native_arch);
  if (facts == nullptr) facts = &tables::facts(tables::native_arch());
  tables::Arch table = facts->table.value_or(tables::native_arch());
  std::string native_name(facts->native_name);

  ContainerContext ours{.native_arch = native_name, .capabilities = generated.capabilities, .kernel = {}};
  ContainerContext docker{.native_arch = native_name, .capabilities = {}, .kernel = {}};
  for (auto c : docker_default_capabilities()) docker.capabilities.emplace_back(c);
  auto mine = allowed_on(resolve_for_container(generated.profile, ours), table);
  auto theirs = allowed_on(resolve_for_container(docker_default_profile(), docker), table);
  s.allowed = mine.size();
  s.docker_allowed = theirs.size();
  for (auto risky : kHighRisk) {
    std::string name(risky);
    if (theirs.contains(name) && !mine.contains(name)) s.high_risk_refused.push_back(name);
    if (mine.contains(name)) s.high_risk_allowed.push_back(name);
  }

  std::string run = "docker run --cap-drop ALL";
  // Without the CAP_ prefix: every Docker version accepts that spelling (20.10+ takes both).
  for (const auto& c : generated.capabilities) run += " --cap-add " + c.substr(c.starts_with("CAP_") ? 4 : 0);
  run += " --security-opt seccomp=" + shell_quote(profile_path) + " IMAGE";
  for (const auto& word : command) run += " " + shell_quote(word);
  s.docker_run = std::move(run);
  return s;
}

std::string summary_text(const ProfileSummary& s) {
  std::string out;
  long fewer = static_cast<long>(s.docker_allowed) - static_cast<long>(s.allowed);
  out += fmt::format("allows {} syscalls on {}; Docker's default allows {} ({} {})\n", s.allowed,
                     s.native_arch, s.docker_allowed, fewer >= 0 ? fewer : -fewer,
                     fewer >= 0 ? "fewer" : "more");
  if (!s.high_risk_refused.empty()) {
    out += fmt::format("refuses high-risk syscalls Docker's default allows: {}\n",
                       fmt::join(s.high_risk_refused, ", "));
  }
  if (!s.high_risk_allowed.empty()) {
    out += fmt::format("allows high-risk syscalls the workload used: {}\n", fmt::join(s.high_risk_allowed, ", "));
  }
  out += fmt::format("capabilities needed: {}\n",
                     s.capabilities.empty() ? std::string("none") : fmt::format("{}", fmt::join(s.capabilities, ", ")));
  out += fmt::format("run it with:\n  {}\n", s.docker_run);
  return out;
}

}  // namespace syscap::profile
