// The one evaluation of includes/excludes/minKernel and the one kernel-version reader, shared by
// the container view and the enforcer's plan.
#include <gtest/gtest.h>

#include <algorithm>

#include "syscap/profilegen/rule_filter.hpp"

namespace syscap::profilegen {
namespace {

TEST(MinKernel, ExactlyMajorDotMinor) {
  EXPECT_EQ(*parse_min_kernel("4.8"), (KernelVersion{4, 8}));
  EXPECT_EQ(*parse_min_kernel("5.10"), (KernelVersion{5, 10}));
  auto zero = parse_min_kernel("0.0");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().cause.find("\"0.0\" is not allowed"), std::string::npos);
  auto three = parse_min_kernel("4.8.1");
  ASSERT_FALSE(three);
  EXPECT_NE(three.error().cause.find("\"4.8.1\" is not a kernel version"), std::string::npos) << three.error().cause;
  EXPECT_NE(three.error().cause.find("write \"4.8\""), std::string::npos) << three.error().cause;
  for (const char* bad : {"4", "4.", "v4.8", "4.8-rc1", " 4.8", "+4.8", "1234567890.1", "4.x"})
    EXPECT_FALSE(parse_min_kernel(bad).has_value()) << bad;
}

Rule rule_with(std::optional<RuleFilter> includes, std::optional<RuleFilter> excludes) {
  Rule r;
  r.names = {"ptrace"};
  r.includes = std::move(includes);
  r.excludes = std::move(excludes);
  return r;
}

FilterContext context(std::vector<std::string> caps, std::optional<KernelVersion> kernel) {
  static std::vector<std::string> held;
  held = std::move(caps);
  return {.native_arch = "amd64",
          .has_capability = [](std::string_view c) { return std::ranges::find(held, c) != held.end(); },
          .kernel = kernel};
}

TEST(KeepsRule, ExcludesFirstThenIncludes) {
  RuleFilter admin{.caps = {"CAP_SYS_ADMIN"}};
  // includes.caps: every capability must be held.
  EXPECT_TRUE(*keeps_rule(rule_with(admin, std::nullopt), context({"CAP_SYS_ADMIN"}, KernelVersion{6, 1})));
  EXPECT_FALSE(*keeps_rule(rule_with(admin, std::nullopt), context({}, KernelVersion{6, 1})));
  // moby compares exact names: "SYS_ADMIN" is not "CAP_SYS_ADMIN".
  EXPECT_FALSE(*keeps_rule(rule_with(admin, std::nullopt), context({"SYS_ADMIN"}, KernelVersion{6, 1})));
  // excludes.caps: any held capability drops the rule, even when includes would keep it.
  EXPECT_FALSE(*keeps_rule(rule_with(admin, admin), context({"CAP_SYS_ADMIN"}, KernelVersion{6, 1})));
  // arches.
  EXPECT_FALSE(*keeps_rule(rule_with(RuleFilter{.arches = {"arm64"}}, std::nullopt), context({}, std::nullopt)));
  EXPECT_FALSE(*keeps_rule(rule_with(std::nullopt, RuleFilter{.arches = {"amd64"}}), context({}, std::nullopt)));
}

TEST(KeepsRule, MinKernel) {
  RuleFilter from48{.min_kernel = "4.8"};
  EXPECT_TRUE(*keeps_rule(rule_with(from48, std::nullopt), context({}, KernelVersion{4, 8})));
  EXPECT_FALSE(*keeps_rule(rule_with(from48, std::nullopt), context({}, KernelVersion{4, 4})));
  EXPECT_FALSE(*keeps_rule(rule_with(std::nullopt, from48), context({}, KernelVersion{6, 18})));
  EXPECT_TRUE(*keeps_rule(rule_with(std::nullopt, from48), context({}, KernelVersion{4, 4})));
  // An unknown host kernel counts as new enough.
  EXPECT_TRUE(*keeps_rule(rule_with(from48, std::nullopt), context({}, std::nullopt)));
  auto bad = keeps_rule(rule_with(RuleFilter{.min_kernel = "4"}, std::nullopt), context({}, std::nullopt));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().object, "includes.minKernel");
}

}  // namespace
}  // namespace syscap::profilegen
