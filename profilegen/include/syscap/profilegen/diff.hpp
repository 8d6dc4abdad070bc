// What one profile allows that another does not.
//
//   auto d = diff_profiles(*load_profile("a.json"), *load_profile("b.json"));
//   if (!d.empty()) fmt::print("{}", format_diff(d, "a.json", "b.json"));
//   // only in a.json:
//   //   ptrace
//   //   socket (args: arg0 < 41) allows more: 38 <= arg0 <= 40
//
// Each side is reduced to permissions: (syscall, capabilities required, argument conditions,
// arches, minKernel) for every name of every allowing rule. A permission of A is compared with
// the permissions of B that apply at least as widely (same syscall, no more capabilities, arch
// and kernel filters absent or the same). One of those without conditions, or with a subset of
// A's conditions, covers it. Otherwise, where A's rule and those of B are single conditions on
// one argument (EQ, NE, LT, LE, GT, GE, MASKED_EQ; several rules for one syscall allow the union
// of their values), the sets of values are compared: A "allows more" only by the values no rule
// of B allows. A rule with several conditions is decided through one of them where that
// suffices; anything more complex is reported as "cannot compare", never guessed.
// Architectures are compared as the filter sees them on a host: `architectures` plus the archMap
// entry of the host's native arch (effective_architectures()); includes/excludes `arches` are
// evaluated for that host too, and permissions only other hosts get are just counted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {

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

// A permission of one side that the other side does not (entirely) cover.
struct Difference {
  Permission permission;
  // Empty when the other side allows none of it; else the argument values only this side allows
  // ("38 <= arg0 <= 40", "arg0 != 2", "e.g. arg0 == 0x10000000").
  std::string allows_more;
  // Non-empty when the argument rules could not be compared: why. The permission may then be
  // covered or not.
  std::string cannot_compare;
};

struct DiffOptions {
  // The host architecture (SCMP_ARCH_*) archMap entries are resolved for; empty: this machine's.
  std::string native_arch;
};

struct ProfileDiff {
  std::vector<Difference> only_a;        // A allows, B does not (allows_more: only that part)
  std::vector<Difference> only_b;
  std::vector<Difference> uncompared_a;  // A's argument rules B's could not be compared with
  std::vector<Difference> uncompared_b;
  std::vector<std::string> architectures_only_a;
  std::vector<std::string> architectures_only_b;
  std::string native_arch;         // the host architecture the architectures were resolved for
  std::vector<std::string> other;  // "defaultAction: SCMP_ACT_ERRNO vs SCMP_ACT_ALLOW", ...
  bool empty() const {
    return only_a.empty() && only_b.empty() && uncompared_a.empty() && uncompared_b.empty() &&
           architectures_only_a.empty() && architectures_only_b.empty() && other.empty();
  }
};

// Every permission the profile grants, in rule order.
std::vector<Permission> permissions(const Profile& profile);

// True if `wider` lets through everything `narrower` does, judged by the text of the conditions
// (`wider`'s are a subset of `narrower`'s); diff_profiles() also compares value sets.
bool covers(const Permission& wider, const Permission& narrower);

// The differences between A and B.
ProfileDiff diff_profiles(const Profile& a, const Profile& b, const DiffOptions& options = {});

// Readable text: "only in NAME_A:" and "only in NAME_B:" sections, then what could not be
// compared, then the other differences; "no differences" when the diff is empty.
std::string format_diff(const ProfileDiff& diff, std::string_view name_a, std::string_view name_b);

}  // namespace syscap::profilegen
