#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "syscap/enforcer/capabilities.hpp"
#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

TEST(Capabilities, NamesWithOrWithoutPrefixAnyCase) {
  EXPECT_EQ(capability_number("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
  EXPECT_EQ(capability_number("sys_admin"), CAP_SYS_ADMIN);
  EXPECT_EQ(capability_number("Net_Raw"), CAP_NET_RAW);
  EXPECT_EQ(capability_number("ALL"), std::nullopt);
  EXPECT_EQ(capability_number("CAP_NOPE"), std::nullopt);
  EXPECT_EQ(capability_number("12"), std::nullopt);
  EXPECT_EQ(capability_name(CAP_SYS_ADMIN), "CAP_SYS_ADMIN");
}

TEST(Capabilities, DockerDefaultIsFourteen) {
  auto names = capability_names(docker_default_caps());
  EXPECT_EQ(names.size(), 14u);
  EXPECT_NE(std::ranges::find(names, "CAP_AUDIT_WRITE"), names.end());
  EXPECT_EQ(std::ranges::find(names, "CAP_SYS_ADMIN"), names.end());
}

TEST(Capabilities, DockerArithmetic) {
  CapSet base = docker_default_caps();
  base.add(CAP_SYS_ADMIN);
  using V = std::vector<std::string>;
  // drop ALL keeps exactly the added ones
  auto only = resolve_cap_options(base, V{"ALL"}, V{"chown", "CAP_KILL"});
  ASSERT_TRUE(only.has_value());
  EXPECT_EQ(capability_names(*only), (V{"CAP_CHOWN", "CAP_KILL"}));
  // add ALL keeps everything not dropped
  auto most = resolve_cap_options(base, V{"SYS_ADMIN"}, V{"ALL"});
  ASSERT_TRUE(most.has_value());
  EXPECT_EQ(*most, docker_default_caps());
  // otherwise base - drops + adds
  auto some = resolve_cap_options(docker_default_caps(), V{"NET_RAW"}, V{"SYS_ADMIN"});
  EXPECT_FALSE(some.has_value()) << "SYS_ADMIN is not in that base";
  auto fewer = resolve_cap_options(base, V{"NET_RAW"}, V{});
  ASSERT_TRUE(fewer.has_value());
  EXPECT_FALSE(fewer->has(CAP_NET_RAW));
  EXPECT_TRUE(fewer->has(CAP_SYS_ADMIN));
}

TEST(Capabilities, UnknownOrUngrantableCapsAreErrors) {
  using V = std::vector<std::string>;
  auto unknown = resolve_cap_options(docker_default_caps(), V{}, V{"CAP_FLY"});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("unknown capability"), std::string::npos);
  auto missing = resolve_cap_options(docker_default_caps(), V{}, V{"SYS_MODULE"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("bounding set"), std::string::npos);
}

// /proc/self/status "CapXxx:" as a number.
std::uint64_t status_caps(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(key + ":")) return std::stoull(line.substr(key.size() + 1), nullptr, 16);
  return ~0ULL;
}

TEST(Capabilities, ApplySetsBoundingPermittedEffectiveAndClearsTheRest) {
  if (!test::all_caps().has(CAP_SETPCAP)) GTEST_SKIP() << "needs CAP_SETPCAP to drop bounding caps";
  CapSet want = docker_default_caps();
  pid_t pid = fork();
  if (pid == 0) {
    if (!apply_capabilities(want)) _exit(2);
    bool ok = status_caps("CapBnd") == want.bits && status_caps("CapPrm") == want.bits &&
              status_caps("CapEff") == want.bits && status_caps("CapInh") == 0 &&
              status_caps("CapAmb") == 0;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace syscap::enforcer
