// Warnings for profiles that are valid but probably do not do what their author meant.
#include <algorithm>
#include <set>

#include "json_reader.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen {
namespace {

using detail::field_path;
using detail::index_path;

bool uses_ret_data(Action action) { return action == Action::Errno || action == Action::Trace; }

// runc uses EPERM when an ERRNO action has no errnoRet.
constexpr unsigned kDefaultErrno = 1;

void note_args(const Rule& rule, const std::string& path, std::vector<ProfileNote>& notes) {
  std::set<unsigned> seen;
  for (std::size_t j = 0; j < rule.args.size(); ++j) {
    const ArgCondition& arg = rule.args[j];
    std::string arg_path = index_path(field_path(path, "args"), j);
    if (arg.op == CmpOp::MaskedEqual && !arg.value_two) {
      notes.push_back({arg_path, "SCMP_CMP_MASKED_EQ without valueTwo compares with 0: matches only "
                                 "when none of the bits in value are set ((arg & value) == 0)"});
    }
    if (arg.op != CmpOp::MaskedEqual && arg.value_two && *arg.value_two != 0) {
      notes.push_back({arg_path, "valueTwo is ignored with " + std::string(to_string(arg.op))});
    }
    if (!seen.insert(arg.index).second) {
      notes.push_back({arg_path, "a second condition on argument " + std::to_string(arg.index) +
                                     ": runc and crun split these into separate rules, so either "
                                     "condition matching is enough (OR, not AND)"});
    }
  }
}

void note_rule(const Profile& profile, const Rule& rule, const std::string& path,
               std::vector<ProfileNote>& notes) {
  std::string names_path = field_path(path, rule.legacy_name ? "name" : "names");
  if (rule.names.empty()) notes.push_back({names_path, "no syscall names: the rule matches nothing"});
  std::set<std::string_view> seen;
  std::string unknown;
  for (const auto& name : rule.names) {
    if (!seen.insert(name).second) notes.push_back({names_path, "\"" + name + "\" is listed twice"});
    // Other architectures' syscalls (Docker's s390_*, arm_*, riscv_*) are deliberate in a
    // profile for several machines: only a name that is a syscall nowhere is worth a note.
    if (!tables::is_known_syscall(name) && !tables::is_syscall_on_any_arch(name))
      unknown += (unknown.empty() ? "" : ", ") + name;
  }
  if (!unknown.empty()) {
    notes.push_back({names_path, "not a syscall on any architecture libseccomp knows: " + unknown +
                                     "; kept, though runtimes skip names their libseccomp does "
                                     "not know"});
  }
  if (rule.errno_ret && !uses_ret_data(rule.action)) {
    notes.push_back({field_path(path, "errnoRet"),
                     "errnoRet is ignored with " + std::string(to_string(rule.action))});
  }
  if (rule.errno_name && !rule.errno_ret) {
    notes.push_back({field_path(path, "errno"), "'errno' is Podman's field; Docker ignores it (set "
                                                "errnoRet to the number)"});
  }
  bool same_as_default = profile.default_action == rule.action && rule.action != Action::Trace &&
                         (rule.action != Action::Errno ||
                          rule.errno_ret.value_or(kDefaultErrno) ==
                              profile.default_errno_ret.value_or(kDefaultErrno));
  if (same_as_default) {
    notes.push_back({field_path(path, "action"), "the same action as defaultAction: the rule changes "
                                                 "nothing (crun skips such rules)"});
  }
  note_args(rule, path, notes);
}

}  // namespace

std::string ProfileNote::message(std::string_view source) const {
  std::string m(source);
  if (!path.empty()) m += (m.empty() ? "" : ": ") + path;
  return m + (m.empty() ? "" : ": ") + text;
}

std::vector<ProfileNote> profile_notes(const Profile& profile) {
  std::vector<ProfileNote> notes;
  if (profile.default_errno_ret && profile.default_action && !uses_ret_data(*profile.default_action)) {
    notes.push_back({"defaultErrnoRet", "ignored with " + std::string(to_string(*profile.default_action))});
  }
  if (profile.default_errno_name && !profile.default_errno_ret) {
    notes.push_back({"defaultErrno", "'defaultErrno' is Podman's field; Docker ignores it (set "
                                     "defaultErrnoRet to the number)"});
  }
  const auto& arches = profile.architectures;
  auto lists = [&arches](std::string_view a) { return std::ranges::find(arches, a) != arches.end(); };
  if (lists("SCMP_ARCH_X86_64") && !lists("SCMP_ARCH_X86")) {
    notes.push_back({"architectures", "SCMP_ARCH_X86_64 without SCMP_ARCH_X86: 32-bit (int 0x80) "
                                      "syscalls are killed with SIGSYS whatever the rules say"});
  }
  for (std::size_t i = 0; i < profile.syscalls.size(); ++i) {
    note_rule(profile, profile.syscalls[i], index_path("syscalls", i), notes);
  }
  return notes;
}

}  // namespace syscap::profilegen
