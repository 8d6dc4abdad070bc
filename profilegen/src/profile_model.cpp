// Operations on the profile model itself: normal form and names our tables do not know.
#include <algorithm>
#include <set>

#include "syscap/profilegen/profile.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen {

void normalize(Profile& profile) {
  for (auto& rule : profile.syscalls) {
    std::ranges::sort(rule.names);
    for (auto* filter : {&rule.includes, &rule.excludes}) {
      if (!*filter) continue;
      std::ranges::sort((*filter)->caps);
      std::ranges::sort((*filter)->arches);
    }
  }
  for (auto& entry : profile.arch_map) {
    if (!entry.sub_architectures.empty()) entry.sub_architectures_null = false;
  }
}

std::vector<std::string> unknown_syscall_names(const Profile& profile) {
  std::set<std::string> unknown;
  for (const auto& rule : profile.syscalls) {
    for (const auto& name : rule.names) {
      if (!tables::is_known_syscall(name)) unknown.insert(name);
    }
  }
  return {unknown.begin(), unknown.end()};
}

}  // namespace syscap::profilegen
