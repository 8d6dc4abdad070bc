// Operations on the profile model itself: normal form and names our tables do not know.
#include <algorithm>
#include <set>

#include "syscap/profilegen/profile.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen {

void normalize(Profile& profile) {
  for (auto& rule : profile.syscalls) {
    // Sort the names and keep where each stood (messages quote the file's own names[i]).
    std::vector<std::size_t> order(rule.names.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = rule.name_positions.of(i);
    std::vector<std::size_t> perm(rule.names.size());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::ranges::stable_sort(perm, [&](std::size_t a, std::size_t b) { return rule.names[a] < rule.names[b]; });
    std::vector<std::string> names;
    NamePositions positions;
    for (std::size_t i : perm) {
      names.push_back(std::move(rule.names[i]));
      positions.index.push_back(order[i]);
    }
    rule.names = std::move(names);
    rule.name_positions = std::move(positions);
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
