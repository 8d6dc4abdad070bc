// diff: what one profile allows that the other does not.
#include <gtest/gtest.h>

#include "syscap/profile/container_view.hpp"
#include "syscap/profile/diff.hpp"
#include "syscap/profile/docker_default.hpp"
#include "syscap/profile/generator.hpp"
#include "test_support.hpp"

namespace syscap::profile {
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
  EXPECT_EQ(d.only_a[0].syscall, "ptrace");
  ASSERT_EQ(d.only_b.size(), 1u);
  EXPECT_EQ(d.only_b[0].syscall, "getpid");
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
  EXPECT_EQ(d.only_a[0].describe(), "socket (args: arg0 == 10)");
  EXPECT_TRUE(d.only_b.empty());

  // Unrestricted socket covers every restricted one.
  Trace c = test::make_trace({"read", "socket"});
  auto d2 = diff_profiles(generated(a), generated(c));
  EXPECT_TRUE(d2.only_a.empty());
  ASSERT_EQ(d2.only_b.size(), 1u);
  EXPECT_EQ(d2.only_b[0].describe(), "socket");

  // A syscall allowed only with a capability is narrower than one allowed without.
  Trace e = test::make_trace({"read", "chown"});
  test::add_evidence(e, "CAP_CHOWN", "chown");
  Trace f = test::make_trace({"read", "chown"});
  auto d3 = diff_profiles(generated(e), generated(f));
  EXPECT_TRUE(d3.only_a.empty());
  ASSERT_EQ(d3.only_b.size(), 1u);
  EXPECT_EQ(d3.only_b[0].syscall, "chown");
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

TEST(Diff, AgainstDockerDefault) {
  // Docker's default allows far more than a small workload's profile, and nothing the
  // workload's profile allows is missing from Docker's default.
  Profile mine = generated(test::load_test_trace("hello"));
  ContainerContext amd64{.native_arch = "amd64", .capabilities = {}, .kernel = std::nullopt};
  for (auto c : docker_default_capabilities()) amd64.capabilities.emplace_back(c);
  auto d = diff_profiles(mine, resolve_for_container(docker_default_profile(), amd64));
  EXPECT_TRUE(d.only_a.empty()) << format_diff(d, "mine", "docker");
  EXPECT_GT(d.only_b.size(), 300u);
}

}  // namespace
}  // namespace syscap::profile
