// The Docker/moby seccomp profile, every field of it, as plain data.
//
//   auto p = syscap::profilegen::load_profile("profile.json");   // Result<Profile>
//   if (!p) return p.error();              // "profile.json: syscalls[3].args[0].op: ..."
//   p->syscalls.push_back({.names = {"read"}, .action = Action::Allow});
//   std::string text = syscap::profilegen::write_profile(*p);    // deterministic, diffable
//
// The field-by-field meaning is in docs/profile-format.md; parsing is strict (wrong types,
// unknown actions, operators, architectures, flags and fields are errors that name the JSON
// path), and parse -> write -> parse is lossless.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::profilegen {

enum class Action { Allow, Errno, Kill, KillThread, KillProcess, Trap, Trace, Log, Notify };
enum class CmpOp { NotEqual, LessThan, LessEqual, Equal, GreaterEqual, GreaterThan, MaskedEqual };

// "SCMP_ACT_ALLOW" <-> Action::Allow; "SCMP_CMP_MASKED_EQ" <-> CmpOp::MaskedEqual.
std::string_view to_string(Action action);
std::string_view to_string(CmpOp op);
std::optional<Action> parse_action(std::string_view text);
std::optional<CmpOp> parse_cmp_op(std::string_view text);

// The seccomp filter flags the format accepts ("SECCOMP_FILTER_FLAG_LOG", ...).
std::span<const std::string_view> known_flags();

// Every action / operator spelling the format accepts, in the order error messages list them.
std::span<const std::string_view> known_actions();
std::span<const std::string_view> known_cmp_ops();

// Every member has a default (`= {}`) so that designated initializers may skip fields without
// tripping g++ 12's -Wmissing-field-initializers: Rule{.names = {"read"}, .action = ...}.

// One argument condition. With MaskedEqual, `value` is the mask and `value_two` the operand.
struct ArgCondition {
  unsigned index = 0;  // 0..5
  std::uint64_t value = 0;
  std::optional<std::uint64_t> value_two = {};
  CmpOp op = CmpOp::Equal;
  bool operator==(const ArgCondition&) const = default;
};

// includes / excludes: caps are "CAP_*" names, arches are native names ("amd64").
struct RuleFilter {
  std::vector<std::string> caps = {};
  std::vector<std::string> arches = {};
  std::optional<std::string> min_kernel = {};  // "X.Y"
  bool empty() const { return caps.empty() && arches.empty() && !min_kernel; }
  bool operator==(const RuleFilter&) const = default;
};

// Where each of a rule's names stood in the file it was read from, for messages that quote
// "names[i]" after normalize() sorted them. Not part of what the profile means: equal always.
struct NamePositions {
  std::vector<std::size_t> index = {};  // index[k]: the file's position of names[k]; empty if not read
  std::size_t of(std::size_t k) const { return k < index.size() ? index[k] : k; }
  bool operator==(const NamePositions&) const { return true; }
};

struct Rule {
  std::vector<std::string> names = {};
  NamePositions name_positions = {};
  bool legacy_name = false;  // written as the deprecated single "name" field
  Action action = Action::Allow;
  std::optional<unsigned> errno_ret = {};
  std::optional<std::string> errno_name = {};  // Podman's per-rule "errno" ("EPERM"), kept for round trips
  std::vector<ArgCondition> args = {};
  std::string comment = {};
  std::optional<RuleFilter> includes = {};
  std::optional<RuleFilter> excludes = {};
  bool operator==(const Rule&) const = default;
};

struct ArchMapEntry {
  std::string architecture = {};                    // SCMP_ARCH_*
  std::vector<std::string> sub_architectures = {};  // SCMP_ARCH_*
  // Written as "subArchitectures": null rather than [] (Docker's own profile does this for
  // riscv64); only meaningful while sub_architectures is empty. Absent parses as null.
  bool sub_architectures_null = false;
  bool operator==(const ArchMapEntry&) const = default;
};

struct Profile {
  std::optional<Action> default_action = {};
  std::optional<unsigned> default_errno_ret = {};
  std::optional<std::string> default_errno_name = {};  // Podman's "defaultErrno" ("ENOSYS")
  std::optional<std::string> listener_path = {};
  std::optional<std::string> listener_metadata = {};
  std::vector<std::string> architectures = {};  // SCMP_ARCH_*
  std::vector<ArchMapEntry> arch_map = {};
  std::vector<Rule> syscalls = {};
  std::vector<std::string> flags = {};
  bool operator==(const Profile&) const = default;
};

// Parses profile JSON text; `source` (a file name) starts every error message.
Result<Profile> parse_profile(std::string_view json_text, std::string_view source);

// Reads and parses a profile file.
Result<Profile> load_profile(const std::string& path);

// The profile as JSON: stable key order, two-space indent, trailing newline.
std::string write_profile(const Profile& profile);

// Every syscall name the profile mentions that is not in our syscall tables (sorted, unique):
// kept in the profile, reported by the caller.
std::vector<std::string> unknown_syscall_names(const Profile& profile);

// Puts the parts whose order carries no meaning in order: names within each rule, caps and
// arches in includes/excludes. parse_profile() returns normalized profiles; rule order is kept.
void normalize(Profile& profile);

// Something legal but probably not what the author meant, at a JSON path.
struct ProfileNote {
  std::string path = {};  // "syscalls[3].args[0]"
  std::string text = {};  // "SCMP_CMP_MASKED_EQ without valueTwo: matches when (arg & value) == 0"
  // "profile.json: syscalls[3].args[0]: SCMP_CMP_MASKED_EQ without valueTwo: ..."
  std::string message(std::string_view source) const;
};

// Warnings a valid profile deserves (MASKED_EQ without valueTwo, errnoRet on ALLOW, two
// conditions on one argument index, 64-bit-only architectures, unknown syscall names, ...),
// in document order. The caller decides whether to print them.
std::vector<ProfileNote> profile_notes(const Profile& profile);

}  // namespace syscap::profilegen
