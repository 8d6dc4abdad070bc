// A profile as one container sees it: includes/excludes evaluated the way moby's setupSeccomp
// does for a given native architecture, bounding capability set and kernel.
//
//   ContainerContext ctx{.native_arch = "amd64", .capabilities = {"CAP_CHOWN"}};
//   Profile seen = resolve_for_container(profile, ctx);       // no includes/excludes left
//   auto names = allowed_syscall_names(seen);                 // {"read", "socket", ...}
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "syscap/profilegen/profile.hpp"
#include "syscap/profilegen/rule_filter.hpp"

namespace syscap::profilegen {

struct ContainerContext {
  std::string native_arch = "amd64";       // includes/excludes `arches` spelling
  std::vector<std::string> capabilities;   // the container's bounding set, CAP_* names
  // The host kernel; nullopt treats every minKernel as satisfied.
  std::optional<KernelVersion> kernel;
};

// The rules the container gets: excludes checked first, then includes (all must hold); kept
// rules lose includes, excludes and comment. An archMap entry for the native arch becomes
// `architectures` (native first, then its sub-architectures), as moby does.
Profile resolve_for_container(const Profile& profile, const ContainerContext& context);

// The architectures the profile's filter covers on a host whose native arch is `native_arch`
// (includes/excludes spelling, "amd64"): `architectures`, then the archMap entry for the native
// arch (that arch and its sub-architectures), without repeats. The one resolution
// resolve_for_container() and diff_profiles() use.
std::vector<std::string> effective_architectures(const Profile& profile, std::string_view native_arch);

// True if `action` lets the syscall run (ALLOW, LOG).
bool allows(Action action);

// The names of every syscall some allowing rule mentions, with or without argument conditions.
std::set<std::string> allowed_syscall_names(const Profile& resolved);

}  // namespace syscap::profilegen
