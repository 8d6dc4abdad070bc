#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <string>

#include "syscap/tables/kernel_version.hpp"

namespace syscap::tables {
namespace {

TEST(KernelVersion, ReadsTwoIntegersLikeMoby) {
  auto v = parse_kernel_release("6.18.44-fc-v857");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->major, 6);
  EXPECT_EQ(v->minor, 18);
  EXPECT_EQ(*parse_kernel_release("4.8"), (KernelVersion{4, 8}));
  EXPECT_LT(*parse_kernel_release("6.9.1"), *parse_kernel_release("6.18"));
}

TEST(KernelVersion, RejectsNonVersions) {
  for (const char* bad : {"six", "6", "", "6.", ".6", "-6.1", "6.-1", "99999999999999999999.1"})
    EXPECT_FALSE(parse_kernel_release(bad).has_value()) << bad;
}

TEST(KernelVersion, SaysHowMuchOfTheTextItRead) {
  std::size_t used = 0;
  EXPECT_EQ(read_kernel_version("5.10-rc1", used), (KernelVersion{5, 10}));
  EXPECT_EQ(used, 4u);
  EXPECT_FALSE(read_kernel_version("v5.10", used).has_value());
}

// The running kernel's version is its `uname -r` read the same way.
TEST(KernelVersion, TheRunningKernelIsUnamesRelease) {
  utsname names{};
  ASSERT_EQ(uname(&names), 0);
  auto running = running_kernel_version();
  ASSERT_TRUE(running.has_value()) << running.error().message();
  EXPECT_EQ(*running, *parse_kernel_release(names.release)) << names.release;
  EXPECT_GE(*running, (KernelVersion{3, 0})) << names.release;
}

}  // namespace
}  // namespace syscap::tables
