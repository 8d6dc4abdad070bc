// The vocabulary of generate's options: the --tie families, parse_tie(), and the --runtime
// choices.
#include <algorithm>
#include <cctype>

#include "capability_names.hpp"
#include "did_you_mean.hpp"
#include "syscap/profilegen/generator.hpp"
#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/runtime_syscalls.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen {
namespace {

constexpr std::string_view kChownFamily[] = {"chown",   "chown32",  "fchown",  "fchown32",
                                             "fchownat", "lchown", "lchown32"};
constexpr std::string_view kSetuidFamily[] = {"setfsuid", "setfsuid32", "setresuid", "setresuid32",
                                              "setreuid", "setreuid32", "setuid",    "setuid32"};
constexpr std::string_view kSetgidFamily[] = {"setfsgid", "setfsgid32", "setgroups", "setgroups32",
                                              "setregid", "setregid32", "setresgid", "setresgid32",
                                              "setgid",   "setgid32"};
constexpr std::string_view kMountFamily[] = {"fsconfig",   "fsmount",  "fsopen", "fspick",
                                             "mount",      "mount_setattr", "move_mount",
                                             "open_tree",  "umount",   "umount2"};
constexpr TieFamily kFamilies[] = {
    {"chown", kChownFamily}, {"setuid", kSetuidFamily}, {"setgid", kSetgidFamily}, {"mount", kMountFamily}};

}  // namespace

std::span<const TieFamily> tie_families() { return kFamilies; }

std::vector<std::string> runtime_choices() {
  std::vector<std::string> out;
  for (auto r : tables::known_runtimes()) out.emplace_back(r);
  out.emplace_back("none");
  return out;
}

Result<std::vector<CapabilityTie>> parse_tie(std::string_view text) {
  const std::string object = "--tie " + std::string(text);
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return fail("parse", object, "expected SYSCALL=CAP_NAME or @FAMILY=CAP_NAME");
  }
  std::string_view syscall = text.substr(0, eq);
  // Any case, with or without CAP_ ("cap_kill", "KILL", "CAP_KILL"), as `enforce --cap-add` takes it.
  std::string_view given = text.substr(eq + 1);
  auto known = tables::capability_by_name(given);
  if (!known) {
    std::string upper(given);
    std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (!upper.starts_with("CAP_")) upper = "CAP_" + upper;
    std::string cause = "unknown capability \"" + std::string(given) + "\"";
    if (auto guess = detail::closest_match(upper, detail::capability_names())) {
      cause += " (did you mean " + std::string(*guess) + "?)";
    }
    return fail("parse", object, cause);
  }
  const std::string cap(tables::capability_name(*known));
  std::vector<CapabilityTie> ties;
  if (syscall.starts_with("@")) {
    std::string_view family = syscall.substr(1);
    for (const auto& f : kFamilies) {
      if (f.name != family) continue;
      for (auto s : f.syscalls) ties.push_back({std::string(s), cap, std::string(f.name)});
      return ties;
    }
    std::vector<std::string_view> names;
    for (const auto& f : kFamilies) names.push_back(f.name);
    return fail("parse", object,
                "unknown family \"@" + std::string(family) + "\"; expected one of @" + detail::join(names, ", @"));
  }
  if (!tables::is_known_syscall(syscall)) {
    return fail("parse", object, "\"" + std::string(syscall) + "\" is not a syscall name");
  }
  ties.push_back({std::string(syscall), cap, ""});
  return ties;
}

}  // namespace syscap::profilegen
