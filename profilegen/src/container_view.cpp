// A profile as one container sees it: rules kept or dropped by keeps_rule() (rule_filter.hpp).
#include "syscap/profilegen/container_view.hpp"

#include <algorithm>

#include "syscap/profilegen/rule_filter.hpp"
#include "syscap/tables/arch.hpp"

namespace syscap::profilegen {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::ranges::find(list, item) != list.end();
}

}  // namespace

Profile resolve_for_container(const Profile& profile, const ContainerContext& context) {
  Profile out = profile;
  out.syscalls.clear();
  if (!profile.arch_map.empty()) {
    out.arch_map.clear();
    out.architectures = effective_architectures(profile, context.native_arch);
  }
  const FilterContext filter{
      .native_arch = context.native_arch,
      .has_capability = [&](std::string_view cap) { return contains(context.capabilities, cap); },
      .kernel = context.kernel};
  for (const Rule& rule : profile.syscalls) {
    // A minKernel that does not parse was refused when the profile was read; a profile built
    // in code with one keeps the rule, as an unknown kernel would.
    if (!keeps_rule(rule, filter).value_or(true)) continue;
    Rule kept = rule;
    kept.includes.reset();
    kept.excludes.reset();
    kept.comment.clear();
    out.syscalls.push_back(std::move(kept));
  }
  return out;
}

std::vector<std::string> effective_architectures(const Profile& profile, std::string_view native_arch) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& name) {
    if (!contains(out, name)) out.push_back(name);
  };
  for (const auto& name : profile.architectures) add(name);
  const auto* native = tables::arch_by_native_name(native_arch);
  for (const auto& entry : profile.arch_map) {
    if (native == nullptr || entry.architecture != native->scmp_name) continue;
    add(entry.architecture);
    for (const auto& sub : entry.sub_architectures) add(sub);
  }
  return out;
}

bool allows(Action action) { return action == Action::Allow || action == Action::Log; }

std::set<std::string> allowed_syscall_names(const Profile& resolved) {
  std::set<std::string> names;
  for (const Rule& rule : resolved.syscalls) {
    if (!allows(rule.action)) continue;
    names.insert(rule.names.begin(), rule.names.end());
  }
  return names;
}

}  // namespace syscap::profilegen
