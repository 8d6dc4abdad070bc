// What one profile allows that another does not.
//
//   auto d = diff_profiles(*load_profile("a.json"), *load_profile("b.json"));
//   if (!d.empty()) fmt::print("{}", format_diff(d, "a.json", "b.json"));
//   // only in a.json: socket (args: arg0 == 10)
//   //                 ptrace
//
// Each side is reduced to permissions: (syscall, capabilities required, argument conditions,
// arches, minKernel) for every name of every allowing rule. A permission of A is "not in B"
// unless some permission of B covers it: same syscall, B asks for no more capabilities, B's
// conditions are a subset of A's (fewer conditions allow more), and B's arch and kernel
// filters are absent or the same.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "syscap/profile/profile.hpp"

namespace syscap::profile {

// One way a profile lets a syscall run.
struct Permission {
  std::string syscall;
  std::vector<std::string> caps;      // includes.caps
  std::vector<ArgCondition> args;     // all must hold
  std::vector<std::string> arches;    // includes.arches
  std::optional<std::string> min_kernel;
  std::vector<std::string> excluded_caps;    // excludes.caps
  std::vector<std::string> excluded_arches;  // excludes.arches
  bool operator==(const Permission&) const = default;

  // "socket with CAP_NET_RAW (args: arg0 == 2)"
  std::string describe() const;
};

struct ProfileDiff {
  std::vector<Permission> only_a;  // A allows, B does not
  std::vector<Permission> only_b;
  std::vector<std::string> architectures_only_a;
  std::vector<std::string> architectures_only_b;
  std::vector<std::string> other;  // "defaultAction: SCMP_ACT_ERRNO vs SCMP_ACT_ALLOW", ...
  bool empty() const {
    return only_a.empty() && only_b.empty() && architectures_only_a.empty() &&
           architectures_only_b.empty() && other.empty();
  }
};

// Every permission the profile grants, in rule order.
std::vector<Permission> permissions(const Profile& profile);

// True if `wider` lets through everything `narrower` does.
bool covers(const Permission& wider, const Permission& narrower);

// The differences between A and B.
ProfileDiff diff_profiles(const Profile& a, const Profile& b);

// Readable text: "only in NAME_A:" and "only in NAME_B:" sections, then the other differences;
// "no differences" when the diff is empty.
std::string format_diff(const ProfileDiff& diff, std::string_view name_a, std::string_view name_b);

}  // namespace syscap::profile
