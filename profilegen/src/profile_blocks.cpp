// generate_profile()'s last step: the profile's rules, block by block in a fixed order, each
// with a comment saying why it is there.
#include <algorithm>

#include <fmt/format.h>

#include "generator_steps.hpp"
#include "syscap/tables/arch.hpp"

namespace syscap::profilegen::detail {
namespace {

std::string first_seen_text(const SyscallUse& use) {
  if (use.first == nullptr) return "";
  const FirstSeen& f = use.first->first_seen;
  return fmt::format("first seen: pid {} {}", f.pid, f.exe.empty() ? "?" : f.exe);
}

std::string command_text(const Trace& trace) {
  std::vector<std::string> words(trace.command.begin(), trace.command.end());
  std::string text = join(words, " ");
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
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

}  // namespace

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

std::vector<std::string> write_plain_block(Profile& profile, const Placements& placements,
                                           const Trace& trace) {
  std::vector<std::string> plain;
  for (const auto& [name, p] : placements.placed) {
    if (p.caps.empty() && p.alternatives.empty()) plain.push_back(name);
  }
  if (!plain.empty()) {
    profile.syscalls.push_back(allow_rule(
        plain, fmt::format("recorded from `{}`: syscalls that need no capability and no argument rule",
                           command_text(trace))));
  }
  return plain;
}

void write_argument_rules(Profile& profile, const Placements& placements, const SyscallUses& uses) {
  for (const auto& [name, p] : placements.placed) {
    if (!p.caps.empty() || p.alternatives.empty()) continue;
    for (const auto& alt : p.alternatives) {
      Rule r = allow_rule({name}, fmt::format("{}; {}", p.arg_reason, first_seen_text(uses.at(name))));
      r.args = alt;
      profile.syscalls.push_back(std::move(r));
    }
  }
}

void write_capability_blocks(Profile& profile, const Placements& placements) {
  std::map<std::vector<std::string>, std::vector<std::string>> by_caps;  // caps -> names
  for (const auto& [name, p] : placements.placed) {
    if (!p.caps.empty()) by_caps[p.caps].push_back(name);
  }
  if (placements.clone3) by_caps[placements.clone3->caps].push_back("clone3");
  for (const auto& [caps, names] : by_caps) {
    std::vector<std::string> unrestricted;
    std::vector<std::string> reasons;
    for (const auto& name : names) {
      const Placement& p = placements.of(name);
      if (!p.alternatives.empty()) continue;
      unrestricted.push_back(name);
      if (std::ranges::find(reasons, p.cap_reason) == reasons.end()) reasons.push_back(p.cap_reason);
    }
    std::string why = fmt::format("needs {}: {}", join(caps, " and "), join(reasons, "; "));
    if (!unrestricted.empty()) profile.syscalls.push_back(allow_rule(unrestricted, why, caps));
    for (const auto& name : names) {
      const Placement& p = placements.of(name);
      for (const auto& alt : p.alternatives) {
        Rule r = allow_rule({name}, fmt::format("{}; needs {}: {}", p.arg_reason, join(caps, " and "), p.cap_reason), caps);
        r.args = alt;
        profile.syscalls.push_back(std::move(r));
      }
    }
  }
}

void write_clone3_enosys(Profile& profile, const Placements& placements) {
  if (!placements.clone_restricted) return;
  Rule r;
  r.names = {"clone3"};
  r.action = Action::Errno;
  r.errno_ret = kClone3Errno;
  r.comment = "clone3 answers ENOSYS because clone is restricted by its flags argument and clone3's "
              "flags cannot be inspected; glibc then falls back to clone (as in Docker's default profile)";
  if (placements.clone3) r.excludes = RuleFilter{.caps = placements.clone3->caps};
  profile.syscalls.push_back(std::move(r));
}

void write_runtime_block(Profile& profile, std::span<const std::string_view> runtime_names,
                         const std::vector<std::string>& plain, const Placements& placements,
                         const std::string& runtime, std::vector<std::string>& notes) {
  std::vector<std::string> extra;
  for (auto n : runtime_names) {
    std::string name(n);
    if (std::ranges::binary_search(plain, name)) continue;
    if (name == "clone3" && placements.clone_restricted) {
      notes.push_back(fmt::format("{} calls clone3, which this profile answers with ENOSYS", runtime));
      continue;
    }
    extra.push_back(name);
  }
  if (!extra.empty()) {
    profile.syscalls.push_back(allow_rule(
        extra, fmt::format("{}: syscalls the container runtime makes after installing the filter and "
                           "before the workload's execve (measured; syscall_tables/src/runtime_syscalls.cpp)",
                           runtime)));
  }
}

}  // namespace syscap::profilegen::detail
