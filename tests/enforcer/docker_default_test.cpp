// Docker's own default profile, compiled for all capabilities and for Docker's default 14,
// loaded in forked children that keep every capability: a refusal can only come from seccomp.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sched.h>
#include <unistd.h>

#include <fstream>

#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

std::string docker_default() {
  std::ifstream in(test::data_file("docker-default.json"));
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

int unshare_uts() { return test::errno_of(unshare(CLONE_NEWUTS)); }

TEST(DockerDefault, UnshareRefusedWithEpermOnlyWithoutSysAdmin) {
  if (!test::all_caps().has(CAP_SYS_ADMIN)) GTEST_SKIP() << "needs CAP_SYS_ADMIN to unshare";
  EXPECT_EXIT(test::confined(docker_default(), unshare_uts, docker_default_caps()),
              testing::ExitedWithCode(EPERM), "");
  EXPECT_EXIT(test::confined(docker_default(), unshare_uts, test::all_caps()),
              testing::ExitedWithCode(0), "");
}

TEST(DockerDefault, Clone3IsEnosysWithoutSysAdmin) {
  EXPECT_EXIT(test::confined(docker_default(), [] { return test::errno_of(syscall(435, nullptr, 0)); },
                             docker_default_caps()),
              testing::ExitedWithCode(ENOSYS), "");
}

}  // namespace
}  // namespace syscap::enforcer
