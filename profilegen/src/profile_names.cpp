// The spellings of actions, operators and flags in profile JSON.
#include <array>
#include <cstddef>
#include <utility>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {
namespace {

// Indexed by the enum's value, so the enum order and these tables must agree.
constexpr std::array<std::string_view, 9> kActionNames = {
    "SCMP_ACT_ALLOW",       "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",  "SCMP_ACT_TRACE", "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",
};
static_assert(static_cast<std::size_t>(Action::Notify) + 1 == kActionNames.size());

constexpr std::array<std::string_view, 7> kCmpOpNames = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};
static_assert(static_cast<std::size_t>(CmpOp::MaskedEqual) + 1 == kCmpOpNames.size());

// The OCI runtime spec's list; runtimes set TSYNC themselves but accept it.
constexpr std::array<std::string_view, 4> kFlagNames = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

template <typename Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Action action) { return kActionNames.at(std::to_underlying(action)); }

std::string_view to_string(CmpOp op) { return kCmpOpNames.at(std::to_underlying(op)); }

std::optional<Action> parse_action(std::string_view text) {
  return find_name<Action>(kActionNames, text);
}

std::optional<CmpOp> parse_cmp_op(std::string_view text) {
  return find_name<CmpOp>(kCmpOpNames, text);
}

std::span<const std::string_view> known_flags() { return kFlagNames; }

std::span<const std::string_view> known_actions() { return kActionNames; }

std::span<const std::string_view> known_cmp_ops() { return kCmpOpNames; }

}  // namespace syscap::profilegen
