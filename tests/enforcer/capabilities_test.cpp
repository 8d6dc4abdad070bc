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

TEST(Capabilities, NamesComeFromTheTables) {
  CapSet s;
  s.add(CAP_SYS_ADMIN);
  s.add(CAP_CHOWN);
  s.add(63);
  EXPECT_EQ(capability_names(s), (std::vector<std::string>{"CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_63"}));
}

TEST(Capabilities, DockerDefaultIsFourteen) {
  auto names = capability_names(docker_default_caps());
  EXPECT_EQ(names.size(), 14u);
  EXPECT_NE(std::ranges::find(names, "CAP_AUDIT_WRITE"), names.end());
  EXPECT_EQ(std::ranges::find(names, "CAP_SYS_ADMIN"), names.end());
}

CapSet everything() {
  CapSet all;
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) all.add(cap);
  return all;
}

TEST(Capabilities, DockerArithmetic) {
  const CapSet held = everything();
  using V = std::vector<std::string>;
  // No options: Docker's 14.
  EXPECT_EQ(*resolve_cap_options(held, V{}, V{}), docker_default_caps());
  // drop ALL keeps exactly the added ones; a comma list is several.
  auto only = resolve_cap_options(held, V{"ALL"}, V{"chown,CAP_KILL"});
  ASSERT_TRUE(only.has_value()) << only.error().message();
  EXPECT_EQ(capability_names(*only), (V{"CAP_CHOWN", "CAP_KILL"}));
  // add ALL keeps everything held and not dropped
  auto most = resolve_cap_options(held, V{"SYS_ADMIN,NET_RAW"}, V{"ALL"});
  ASSERT_TRUE(most.has_value());
  EXPECT_FALSE(most->has(CAP_SYS_ADMIN));
  EXPECT_FALSE(most->has(CAP_NET_RAW));
  EXPECT_TRUE(most->has(CAP_SYS_PTRACE));
  // otherwise the defaults - drops + adds
  auto some = resolve_cap_options(held, V{"NET_RAW"}, V{"SYS_ADMIN"});
  ASSERT_TRUE(some.has_value());
  EXPECT_FALSE(some->has(CAP_NET_RAW));
  EXPECT_TRUE(some->has(CAP_SYS_ADMIN));
  EXPECT_TRUE(some->has(CAP_CHOWN));
  // A caller that holds nothing gets nothing by default, and cannot add.
  EXPECT_EQ(*resolve_cap_options(CapSet{}, V{}, V{}), CapSet{});
  EXPECT_EQ(*resolve_cap_options(CapSet{}, V{}, V{"ALL"}), CapSet{});
}

TEST(Capabilities, EveryValueIsParsedWholeOrRefused) {
  using V = std::vector<std::string>;
  for (const char* bad : {"KILL CHOWN", "KILL;CHOWN", "CAP_KILL,garbage", "NET_ADMIN,BOGUS", "", "CAP_FLY"}) {
    auto add = resolve_cap_options(everything(), V{}, V{bad});
    ASSERT_FALSE(add.has_value()) << bad;
    EXPECT_TRUE(add.error().message().starts_with("--cap-add")) << add.error().message();
    auto drop = resolve_cap_options(everything(), V{bad}, V{});
    ASSERT_FALSE(drop.has_value()) << bad;
    EXPECT_TRUE(drop.error().message().starts_with("--cap-drop")) << drop.error().message();
  }
  auto missing = resolve_cap_options(docker_default_caps(), V{}, V{"SYS_MODULE"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("cannot be granted"), std::string::npos) << missing.error().message();
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
