// includes/excludes evaluated as moby's setupSeccomp does (see /docs and the reference README):
// excludes first (any condition drops the rule), then includes (every condition must hold).
#include "syscap/profilegen/container_view.hpp"

#include <algorithm>
#include <charconv>

#include "syscap/tables/arch.hpp"

namespace syscap::profilegen {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::ranges::find(list, item) != list.end();
}

// "4.8" -> (4, 8); anything else -> nullopt (the parser has already refused it).
std::optional<std::pair<int, int>> parse_kernel(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  int major = 0;
  int minor = 0;
  auto a = std::from_chars(text.data(), text.data() + dot, major);
  auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), minor);
  if (a.ec != std::errc{} || b.ec != std::errc{}) return std::nullopt;
  return std::make_pair(major, minor);
}

// Host kernel >= min_kernel; an unknown host kernel counts as new enough.
bool kernel_at_least(const ContainerContext& context, const std::string& min_kernel) {
  auto wanted = parse_kernel(min_kernel);
  if (!context.kernel || !wanted) return true;
  return *context.kernel >= *wanted;
}

bool excluded(const RuleFilter& f, const ContainerContext& context) {
  if (contains(f.arches, context.native_arch)) return true;
  for (const auto& cap : f.caps) {
    if (contains(context.capabilities, cap)) return true;
  }
  return f.min_kernel && kernel_at_least(context, *f.min_kernel);
}

bool included(const RuleFilter& f, const ContainerContext& context) {
  if (!f.arches.empty() && !contains(f.arches, context.native_arch)) return false;
  for (const auto& cap : f.caps) {
    if (!contains(context.capabilities, cap)) return false;
  }
  return !f.min_kernel || kernel_at_least(context, *f.min_kernel);
}

}  // namespace

Profile resolve_for_container(const Profile& profile, const ContainerContext& context) {
  Profile out = profile;
  out.syscalls.clear();
  if (!profile.arch_map.empty()) {
    out.arch_map.clear();
    out.architectures = effective_architectures(profile, context.native_arch);
  }
  for (const Rule& rule : profile.syscalls) {
    if (rule.excludes && excluded(*rule.excludes, context)) continue;
    if (rule.includes && !included(*rule.includes, context)) continue;
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
