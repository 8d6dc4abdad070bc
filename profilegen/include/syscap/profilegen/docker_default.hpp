// Docker's default seccomp profile, embedded at build time (profilegen/data/SOURCES.md), and
// the facts the generator takes from it.
//
//   const Profile& docker = docker_default_profile();
//   docker_capability_tie("reboot");   // {"CAP_SYS_BOOT"}
//   docker_capability_tie("bpf");      // {"CAP_BPF", "CAP_SYS_ADMIN"}: either one
//   docker_capability_tie("read");     // {}: Docker allows it without a capability
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {

// The embedded profile, parsed once (a parse failure of the embedded file aborts: it is a build defect).
const Profile& docker_default_profile();

// Where the embedded profile came from (upstream repository, path and commit).
std::string_view docker_default_source();

// The capabilities Docker's default profile requires for `syscall` (any one of them suffices),
// sorted; empty when Docker allows the syscall in some rule without includes.caps, or never.
std::vector<std::string> docker_capability_tie(std::string_view syscall);

// The "CAP_*" names of the capabilities `docker run` gives a container by default (no
// --cap-add/--cap-drop; tables::docker_default_capabilities()), sorted.
std::vector<std::string> docker_default_capability_names();

}  // namespace syscap::profilegen
