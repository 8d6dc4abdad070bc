// Docker's own default profile, compiled for all capabilities and for Docker's default 14,
// loaded in forked children that keep every capability: a refusal can only come from seccomp.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "syscap/tables/arch.hpp"
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

// Docker's default allows x86_64 numbers the kernel reserves (set_thread_area 205,
// get_thread_area 211, epoll_ctl_old 214, epoll_wait_old 215; lookup_dcookie 212 only with
// CAP_SYS_ADMIN); runc's libseccomp resolves those names, so the calls reach the kernel and
// get its ENOSYS. A reserved number the profile does not allow gets the default EPERM.
TEST(DockerDefault, ReservedNumbersItNamesReachTheKernel) {
  if (tables::native_arch() != tables::Arch::X86_64) GTEST_SKIP() << "x86_64 syscall numbers";
  for (long nr : {205L, 211L, 214L, 215L})
    EXPECT_EXIT(test::confined(docker_default(), [nr] { return test::errno_of(syscall(nr, 0, 0, 0, 0)); },
                               docker_default_caps()),
                testing::ExitedWithCode(ENOSYS), "")
        << "syscall " << nr;
  for (long nr : {134L /* uselib: not named */, 212L /* lookup_dcookie: CAP_SYS_ADMIN only */})
    EXPECT_EXIT(test::confined(docker_default(), [nr] { return test::errno_of(syscall(nr, 0, 0, 0, 0)); },
                               docker_default_caps()),
                testing::ExitedWithCode(EPERM), "")
        << "syscall " << nr;
}

TEST(DockerDefault, Clone3IsEnosysWithoutSysAdmin) {
  EXPECT_EXIT(test::confined(docker_default(), [] { return test::errno_of(syscall(435, nullptr, 0)); },
                             docker_default_caps()),
              testing::ExitedWithCode(ENOSYS), "");
}

}  // namespace
}  // namespace syscap::enforcer
