#include <gtest/gtest.h>

#include <set>
#include <string>

#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/arg_rules.hpp"

namespace syscap::tracer {
namespace {

using tables::Arch;

TEST(ArgRules, EveryRuleNamesARealSyscallAndAnArgument) {
  for (const ArgRule& r : arg_rules()) {
    EXPECT_TRUE(tables::is_known_syscall(r.syscall)) << r.syscall;
    EXPECT_LE(r.index, 5) << r.syscall;
    EXPECT_FALSE(r.name.empty()) << r.syscall;
  }
}

TEST(ArgRules, NoDuplicates) {
  std::set<std::pair<std::string, int>> seen;
  for (const ArgRule& r : arg_rules())
    EXPECT_TRUE(seen.insert({std::string(r.syscall), r.index}).second) << r.syscall << " " << +r.index;
}

TEST(ArgRules, SocketKeepsDomainTypeProtocol) {
  auto rules = arg_rules_for("socket", Arch::X86_64);
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].index, 0);
  EXPECT_EQ(rules[0].name, "domain");
  EXPECT_EQ(rules[1].name, "type");
  EXPECT_EQ(rules[2].name, "protocol");
}

TEST(ArgRules, CloneFlagsAreArgZeroOnEveryArch) {
  for (Arch a : {Arch::X86_64, Arch::X86, Arch::X32, Arch::AARCH64}) {
    auto rules = arg_rules_for("clone", a);
    ASSERT_EQ(rules.size(), 1u);
    EXPECT_EQ(rules[0].index, 0);
    EXPECT_EQ(rules[0].name, "flags");
  }
}

TEST(ArgRules, I386OldMmapHasNoScalarProt) {
  EXPECT_TRUE(arg_rules_for("mmap", Arch::X86).empty());
  ASSERT_EQ(arg_rules_for("mmap2", Arch::X86).size(), 1u);
  EXPECT_EQ(arg_rules_for("mmap", Arch::X86_64).at(0).index, 2);
}

TEST(ArgRules, TheIssueListIsCovered) {
  const std::pair<const char*, int> wanted[] = {
      {"socket", 0},  {"socket", 1},   {"socket", 2},      {"socketpair", 0}, {"socketpair", 1},
      {"clone", 0},   {"unshare", 0},  {"setns", 1},       {"personality", 0}, {"prctl", 0},
      {"ioctl", 1},   {"fcntl", 1},    {"mmap", 2},        {"mprotect", 2},   {"kill", 1},
      {"tgkill", 2}};
  for (auto [name, index] : wanted) {
    bool found = false;
    for (const ArgRule& r : arg_rules_for(name, Arch::X86_64)) found |= r.index == index;
    EXPECT_TRUE(found) << name << " arg" << index;
  }
}

TEST(ArgRules, UninterestingSyscallsHaveNone) {
  EXPECT_TRUE(arg_rules_for("read", Arch::X86_64).empty());
  EXPECT_TRUE(arg_rules_for("no_such_call", Arch::X86_64).empty());
}

}  // namespace
}  // namespace syscap::tracer
