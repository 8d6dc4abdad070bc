// Facts derived from Docker's default profile, which CMake embeds into the library.
#include "syscap/profilegen/docker_default.hpp"

#include "syscap/profilegen/container_view.hpp"
#include "syscap/tables/capabilities.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace syscap::profilegen {
namespace detail {
extern const std::string_view kDockerDefaultJson;  // docker_default_json.cpp (generated)
}  // namespace detail

const Profile& docker_default_profile() {
  static const Profile profile = [] {
    auto parsed = parse_profile(detail::kDockerDefaultJson, "embedded docker-default.json");
    if (!parsed) {
      // The file is checked by tests at build time; failing here means a broken build.
      std::fprintf(stderr, "syscap: %s\n", parsed.error().message().c_str());
      std::abort();
    }
    return *parsed;
  }();
  return profile;
}

std::string_view docker_default_source() {
  return "moby/profiles seccomp/default.json at cd3bed8061c7b7378b61fc6827c7885779417a75";
}

std::vector<std::string> docker_capability_tie(std::string_view syscall) {
  std::set<std::string> caps;
  for (const Rule& rule : docker_default_profile().syscalls) {
    if (!allows(rule.action)) continue;
    if (std::ranges::find(rule.names, syscall) == rule.names.end()) continue;
    bool needs_cap = rule.includes && !rule.includes->caps.empty();
    if (!needs_cap) return {};  // Docker allows it (in some form) without a capability
    caps.insert(rule.includes->caps.begin(), rule.includes->caps.end());
  }
  return {caps.begin(), caps.end()};
}

std::vector<std::string> docker_default_capability_names() {
  std::vector<std::string> names;
  for (tables::Capability cap : tables::docker_default_capabilities())
    names.emplace_back(tables::capability_name(cap));
  std::ranges::sort(names);
  return names;
}

}  // namespace syscap::profilegen
