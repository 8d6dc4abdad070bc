// diff: what one profile allows that the other does not.
#include <gtest/gtest.h>

#include "syscap/profilegen/container_view.hpp"
#include "syscap/profilegen/diff.hpp"
#include "syscap/profilegen/docker_default.hpp"
#include "syscap/profilegen/generator.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

Profile generated(const Trace& t) {
  auto g = generate_profile(t, test::no_runtime());
  EXPECT_TRUE(g);
  return g ? g->profile : Profile{};
}

TEST(Diff, SameProfileHasNoDifferences) {
  Profile p = generated(test::load_test_trace("network"));
  auto d = diff_profiles(p, p);
  EXPECT_TRUE(d.empty());
  EXPECT_NE(format_diff(d, "a", "b").find("no differences"), std::string::npos);
}

TEST(Diff, ShowsSyscallsOnlyOneSideAllows) {
  Trace a = test::make_trace({"read", "write", "ptrace"});
  Trace b = test::make_trace({"read", "write", "getpid"});
  auto d = diff_profiles(generated(a), generated(b));
  ASSERT_EQ(d.only_a.size(), 1u);
  EXPECT_EQ(d.only_a[0].permission.syscall, "ptrace");
  ASSERT_EQ(d.only_b.size(), 1u);
  EXPECT_EQ(d.only_b[0].permission.syscall, "getpid");
  std::string text = format_diff(d, "a.json", "b.json");
  EXPECT_NE(text.find("only in a.json:\n  ptrace\n"), std::string::npos) << text;
  EXPECT_NE(text.find("only in b.json:\n  getpid\n"), std::string::npos) << text;
}

TEST(Diff, ArgumentRulesAndCapabilitiesAreCompared) {
  Trace a = test::make_trace({"read"});
  test::set_arg0(a, "socket", {2, 10});
  Trace b = test::make_trace({"read"});
  test::set_arg0(b, "socket", {2});
  auto d = diff_profiles(generated(a), generated(b));
  ASSERT_EQ(d.only_a.size(), 1u);
  EXPECT_EQ(d.only_a[0].permission.describe(), "socket (args: arg0 == 10)");
  EXPECT_EQ(d.only_a[0].allows_more, "");  // none of it: b allows no AF_INET6
  EXPECT_TRUE(d.only_b.empty());

  // Unrestricted socket covers every restricted one.
  Trace c = test::make_trace({"read", "socket"});
  auto d2 = diff_profiles(generated(a), generated(c));
  EXPECT_TRUE(d2.only_a.empty());
  ASSERT_EQ(d2.only_b.size(), 1u);
  EXPECT_EQ(d2.only_b[0].permission.describe(), "socket");
  // ... and allows more than they do: every domain but those two.
  EXPECT_EQ(d2.only_b[0].allows_more, "arg0 <= 1 or 3 <= arg0 <= 9 or arg0 >= 11");

  // A syscall allowed only with a capability is narrower than one allowed without.
  Trace e = test::make_trace({"read", "chown"});
  test::add_evidence(e, "CAP_CHOWN", "chown");
  Trace f = test::make_trace({"read", "chown"});
  auto d3 = diff_profiles(generated(e), generated(f));
  EXPECT_TRUE(d3.only_a.empty());
  ASSERT_EQ(d3.only_b.size(), 1u);
  EXPECT_EQ(d3.only_b[0].permission.syscall, "chown");
  EXPECT_EQ(diff_profiles(generated(f), generated(e)).only_a.size(), 1u);
}

TEST(Diff, ArchitecturesAndDefaultsAreShown) {
  auto d = diff_profiles(generated(test::load_test_trace("i386")), generated(test::load_test_trace("hello")));
  EXPECT_EQ(d.architectures_only_a, (std::vector<std::string>{"SCMP_ARCH_X86"}));
  Profile p = generated(test::load_test_trace("hello"));
  Profile q = p;
  q.default_errno_ret = 38;
  auto d2 = diff_profiles(p, q);
  ASSERT_EQ(d2.other.size(), 1u);
  EXPECT_EQ(d2.other[0], "defaultErrnoRet: 1 vs 38");
}

Profile with_rules(std::vector<Rule> rules, std::vector<std::string> arches = {"SCMP_ARCH_X86_64"}) {
  Profile p;
  p.default_action = Action::Errno;
  p.default_errno_ret = 1;
  p.architectures = std::move(arches);
  p.syscalls = std::move(rules);
  return p;
}

Rule allow(const std::string& name, std::vector<ArgCondition> args = {}) {
  return Rule{.names = {name}, .action = Action::Allow, .args = std::move(args)};
}

ArgCondition arg0(CmpOp op, std::uint64_t value, std::optional<std::uint64_t> value_two = std::nullopt) {
  return ArgCondition{.index = 0, .value = value, .value_two = value_two, .op = op};
}

const DiffOptions kAmd64{.native_arch = "SCMP_ARCH_X86_64"};

TEST(Diff, ArchMapIsResolvedForTheHost) {
  // Docker's way of listing the x86 family: archMap for the native arch.
  Profile plain = with_rules({allow("read")});
  Profile mapped = with_rules({allow("read")}, {});
  mapped.arch_map = {{.architecture = "SCMP_ARCH_X86_64", .sub_architectures = {}, .sub_architectures_null = false}};
  auto same = diff_profiles(plain, mapped, kAmd64);
  EXPECT_TRUE(same.empty()) << format_diff(same, "a", "b");

  mapped.arch_map[0].sub_architectures = {"SCMP_ARCH_X86", "SCMP_ARCH_X32"};
  auto d = diff_profiles(plain, mapped, kAmd64);
  EXPECT_TRUE(d.architectures_only_a.empty());
  EXPECT_EQ(d.architectures_only_b, (std::vector<std::string>{"SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
  EXPECT_TRUE(d.other.empty()) << format_diff(d, "a", "b");
  EXPECT_EQ(d.native_arch, "SCMP_ARCH_X86_64");

  // An entry for another host matters only there, and is named as such.
  mapped.arch_map = {{.architecture = "SCMP_ARCH_X86_64", .sub_architectures = {}, .sub_architectures_null = false},
                     {.architecture = "SCMP_ARCH_AARCH64", .sub_architectures = {"SCMP_ARCH_ARM"},
                      .sub_architectures_null = false}};
  auto other = diff_profiles(plain, mapped, kAmd64);
  EXPECT_TRUE(other.architectures_only_a.empty());
  EXPECT_TRUE(other.architectures_only_b.empty());
  ASSERT_EQ(other.other.size(), 1u);
  EXPECT_EQ(other.other[0], "architectures on other hosts (archMap): on SCMP_ARCH_AARCH64: SCMP_ARCH_X86_64 vs "
                            "SCMP_ARCH_AARCH64, SCMP_ARCH_ARM");

  // Docker's own profile (archMap only): on amd64 it adds x86 and x32; its other hosts are named.
  auto docker = diff_profiles(plain, docker_default_profile(), kAmd64);
  EXPECT_TRUE(docker.architectures_only_a.empty());
  EXPECT_EQ(docker.architectures_only_b, (std::vector<std::string>{"SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
  ASSERT_EQ(docker.other.size(), 2u) << format_diff(docker, "a", "docker");
  EXPECT_EQ(docker.other[0].rfind("architectures on other hosts (archMap) differ on SCMP_ARCH_AARCH64, ", 0), 0u)
      << docker.other[0];
  // Its rules for other hosts' arches (arm_fadvise64_64, s390_pci_mmio_read, ...) are only counted.
  EXPECT_EQ(docker.other[1].rfind("permissions for other hosts only (includes/excludes arches; not compared): 0 vs ", 0), 0u)
      << docker.other[1];
}

TEST(Diff, IncludesArchesAreEvaluatedForTheHost) {
  // Docker's default allows arch_prctl only with includes.arches [amd64, x32]: on an amd64 host
  // it covers a profile's arch_prctl.
  Profile mine = generated(test::load_test_trace("hello"));
  auto d = diff_profiles(mine, docker_default_profile(), kAmd64);
  EXPECT_TRUE(d.only_a.empty()) << format_diff(d, "mine", "docker");
  // Not on an arm64 host, where Docker's rule does not apply.
  auto arm = diff_profiles(mine, docker_default_profile(), DiffOptions{.native_arch = "SCMP_ARCH_AARCH64"});
  ASSERT_FALSE(arm.only_a.empty());
  EXPECT_EQ(arm.only_a[0].permission.syscall, "arch_prctl");
  // The same profile twice is no difference, arch-specific rules included.
  EXPECT_TRUE(diff_profiles(docker_default_profile(), docker_default_profile(), kAmd64).empty());
}

TEST(Diff, ArgumentValuesAreComparedAsSets) {
  // socket(AF_UNIX) is inside "any domain below AF_ALG".
  Profile eq1 = with_rules({allow("socket", {arg0(CmpOp::Equal, 1)})});
  Profile lt38 = with_rules({allow("socket", {arg0(CmpOp::LessThan, 38)})});
  auto d = diff_profiles(eq1, lt38, kAmd64);
  EXPECT_TRUE(d.only_a.empty()) << format_diff(d, "eq1", "lt38");
  ASSERT_EQ(d.only_b.size(), 1u);
  EXPECT_EQ(d.only_b[0].allows_more, "arg0 == 0 or 2 <= arg0 <= 37");
  EXPECT_EQ(format_diff(d, "eq1", "lt38"), "only in lt38:\n  socket (args: arg0 < 38) allows more: arg0 == 0 or 2 <= arg0 <= 37\n");

  // Several rules for one syscall allow the union of their values.
  Profile split = with_rules({allow("socket", {arg0(CmpOp::LessThan, 5)}), allow("socket", {arg0(CmpOp::GreaterEqual, 5)})});
  Profile any = with_rules({allow("socket")});
  EXPECT_TRUE(diff_profiles(any, split, kAmd64).empty());
  Profile ne2 = with_rules({allow("socket", {arg0(CmpOp::NotEqual, 2)})});
  Profile around2 = with_rules({allow("socket", {arg0(CmpOp::LessEqual, 1)}), allow("socket", {arg0(CmpOp::GreaterThan, 2)})});
  EXPECT_TRUE(diff_profiles(ne2, around2, kAmd64).empty());
  auto d2 = diff_profiles(any, ne2, kAmd64);
  ASSERT_EQ(d2.only_a.size(), 1u);
  EXPECT_EQ(d2.only_a[0].allows_more, "arg0 == 2");
  EXPECT_TRUE(d2.only_b.empty());

  // A value no rule of the other side allows: the whole rule is only on one side.
  Profile gt40 = with_rules({allow("socket", {arg0(CmpOp::GreaterThan, 40)})});
  auto d3 = diff_profiles(gt40, lt38, kAmd64);
  ASSERT_EQ(d3.only_a.size(), 1u);
  EXPECT_EQ(d3.only_a[0].allows_more, "");
}

TEST(Diff, MaskedArgumentRulesAreCompared) {
  constexpr std::uint64_t kNewUser = 0x10000000;
  // Docker's clone rule (no namespace flag) against one that lets CLONE_NEWUSER through.
  Profile no_ns = with_rules({allow("clone", {arg0(CmpOp::MaskedEqual, kNamespaceFlags, 0)})});
  Profile user_ns = with_rules({allow("clone", {arg0(CmpOp::MaskedEqual, kNamespaceFlags & ~kNewUser, 0)})});
  auto d = diff_profiles(no_ns, user_ns, kAmd64);
  EXPECT_TRUE(d.only_a.empty()) << format_diff(d, "no_ns", "user_ns");
  ASSERT_EQ(d.only_b.size(), 1u);
  EXPECT_EQ(d.only_b[0].allows_more, "e.g. arg0 == 0x10000000");
  EXPECT_TRUE(d.uncompared_a.empty());
  EXPECT_TRUE(d.uncompared_b.empty());

  // Two mask rules together: without NEWUSER, or with exactly NEWUSER among the flags.
  Profile either = with_rules({allow("clone", {arg0(CmpOp::MaskedEqual, kNamespaceFlags, 0)}),
                               allow("clone", {arg0(CmpOp::MaskedEqual, kNamespaceFlags, kNewUser)})});
  Profile user_or_none = with_rules({allow("clone", {arg0(CmpOp::MaskedEqual, kNamespaceFlags & ~kNewUser, 0)})});
  EXPECT_TRUE(diff_profiles(either, user_or_none, kAmd64).empty()) << format_diff(diff_profiles(either, user_or_none, kAmd64), "a", "b");

  // Single values against mask rules are decided value by value.
  Profile value = with_rules({allow("clone", {arg0(CmpOp::Equal, 0x11)})});  // SIGCHLD
  EXPECT_TRUE(diff_profiles(value, no_ns, kAmd64).only_a.empty());
  Profile ns_value = with_rules({allow("clone", {arg0(CmpOp::Equal, kNewUser | 0x11)})});
  EXPECT_EQ(diff_profiles(ns_value, no_ns, kAmd64).only_a.size(), 1u);
}

TEST(Diff, ComplexArgumentRulesAreNotGuessed) {
  ArgCondition arg1_is_1{.index = 1, .value = 1, .value_two = {}, .op = CmpOp::Equal};
  Profile two_args = with_rules({allow("socket", {arg0(CmpOp::Equal, 1), arg1_is_1})});
  // Decided through one condition: arg0 == 1 lies inside arg0 < 38 whatever arg1 is ...
  Profile lt38 = with_rules({allow("socket", {arg0(CmpOp::LessThan, 38)})});
  EXPECT_TRUE(diff_profiles(two_args, lt38, kAmd64).only_a.empty());
  EXPECT_TRUE(diff_profiles(two_args, lt38, kAmd64).uncompared_a.empty());
  // ... and outside arg0 == 2, so none of it is allowed there.
  Profile eq2 = with_rules({allow("socket", {arg0(CmpOp::Equal, 2)})});
  auto none = diff_profiles(two_args, eq2, kAmd64);
  ASSERT_EQ(none.only_a.size(), 1u) << format_diff(none, "a", "b");
  EXPECT_EQ(none.only_a[0].allows_more, "");

  // Partly inside: whether the rest is allowed depends on both arguments, so it is not guessed.
  Profile lt38_arg1 = with_rules({allow("socket", {arg0(CmpOp::LessThan, 38), arg1_is_1})});
  Profile eq5 = with_rules({allow("socket", {arg0(CmpOp::Equal, 5)}), allow("socket", {arg1_is_1})});
  auto d = diff_profiles(lt38_arg1, with_rules({allow("socket", {arg0(CmpOp::LessThan, 10)})}), kAmd64);
  EXPECT_TRUE(d.only_a.empty());
  ASSERT_EQ(d.uncompared_a.size(), 1u);
  EXPECT_FALSE(d.empty());
  std::string text = format_diff(d, "a", "b");
  EXPECT_NE(text.find("cannot compare"), std::string::npos) << text;
  EXPECT_NE(text.find("a: socket (args: arg0 < 38, arg1 == 1) against b's socket rules: conditions on several arguments"),
            std::string::npos)
      << text;
  // A rule on the other argument covers it, though the value sets alone cannot show that.
  EXPECT_TRUE(diff_profiles(lt38_arg1, eq5, kAmd64).only_a.empty());
  // The textual check still decides what it can: the same two conditions cover themselves.
  EXPECT_TRUE(diff_profiles(two_args, two_args, kAmd64).empty());
}

TEST(Diff, AgainstDockerDefault) {
  // Docker's default allows far more than a small workload's profile, and nothing the
  // workload's profile allows is missing from Docker's default.
  Profile mine = generated(test::load_test_trace("hello"));
  ContainerContext amd64{.native_arch = "amd64", .capabilities = {}, .kernel = std::nullopt};
  for (auto c : docker_default_capability_names()) amd64.capabilities.emplace_back(c);
  auto d = diff_profiles(mine, resolve_for_container(docker_default_profile(), amd64));
  EXPECT_TRUE(d.only_a.empty()) << format_diff(d, "mine", "docker");
  EXPECT_GT(d.only_b.size(), 300u);
}

}  // namespace
}  // namespace syscap::profilegen
