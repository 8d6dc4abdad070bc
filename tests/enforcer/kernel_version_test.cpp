#include <gtest/gtest.h>

#include "syscap/enforcer/filter_plan.hpp"

namespace syscap::enforcer {
namespace {

TEST(KernelVersion, ReadsTwoIntegersLikeMoby) {
  auto v = parse_kernel_version("6.18.44-fc-v857");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->major, 6);
  EXPECT_EQ(v->minor, 18);
  EXPECT_EQ(*parse_kernel_version("4.8"), (KernelVersion{4, 8}));
  EXPECT_LT(*parse_kernel_version("6.9.1"), *parse_kernel_version("6.18"));
}

TEST(KernelVersion, RejectsNonVersions) {
  EXPECT_FALSE(parse_kernel_version("six").has_value());
  EXPECT_FALSE(parse_kernel_version("6").has_value());
  EXPECT_FALSE(parse_kernel_version("").has_value());
}

TEST(KernelVersion, RunningKernelParses) {
  auto v = running_kernel_version();
  ASSERT_TRUE(v.has_value()) << v.error().message();
  EXPECT_GE(v->major, 3);
}

}  // namespace
}  // namespace syscap::enforcer
