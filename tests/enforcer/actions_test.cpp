// Each action, loaded for real in a forked child; the outcome is the child's exit or signal.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <fmt/format.h>

#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

using test::confined;
using test::errno_of;

// getppid under a default-ALLOW profile whose only rule gives it `rule` (JSON fields).
std::string getppid_rule(const std::string& rule) {
  return fmt::format(R"({{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{{"names":["getppid"],{}}}]}})",
                     rule);
}

int call_getppid() { return errno_of(syscall(SYS_getppid)); }

TEST(Actions, ErrnoReturnsErrnoRet) {
  EXPECT_EXIT(confined(getppid_rule(R"("action":"SCMP_ACT_ERRNO","errnoRet":13)"), call_getppid),
              testing::ExitedWithCode(EACCES), "");
}

TEST(Actions, ErrnoWithoutErrnoRetIsEperm) {
  EXPECT_EXIT(confined(getppid_rule(R"("action":"SCMP_ACT_ERRNO")"), call_getppid),
              testing::ExitedWithCode(EPERM), "");
}

TEST(Actions, KillActionsEndTheProcessWithSigsys) {
  for (const char* action : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
                             "SCMP_ACT_TRAP"}) {
    SCOPED_TRACE(action);
    EXPECT_EXIT(confined(getppid_rule(fmt::format(R"("action":"{}")", action)), call_getppid),
                testing::KilledBySignal(SIGSYS), "");
  }
}

TEST(Actions, TraceWithoutTracerIsEnosys) {
  EXPECT_EXIT(confined(getppid_rule(R"("action":"SCMP_ACT_TRACE","errnoRet":5)"), call_getppid),
              testing::ExitedWithCode(ENOSYS), "");
}

TEST(Actions, LogAllows) {
  EXPECT_EXIT(confined(getppid_rule(R"("action":"SCMP_ACT_LOG")"),
                       [] { return syscall(SYS_getppid) == getppid() ? 0 : 1; }),
              testing::ExitedWithCode(0), "");
}

TEST(Actions, AllowUnderDefaultErrnoWithDefaultErrnoRet) {
  std::string json = R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":5,"syscalls":[
      {"names":["getppid","exit_group","exit"],"action":"SCMP_ACT_ALLOW"}]})";
  EXPECT_EXIT(confined(json, [] { return syscall(SYS_getppid) > 0 ? 0 : 1; }),
              testing::ExitedWithCode(0), "");
  EXPECT_EXIT(confined(json, [] { return errno_of(syscall(SYS_getpid)); }),
              testing::ExitedWithCode(EIO), "");
}

TEST(Actions, DefaultKillProcess) {
  std::string json = R"({"defaultAction":"SCMP_ACT_KILL_PROCESS","syscalls":[
      {"names":["exit_group","exit"],"action":"SCMP_ACT_ALLOW"}]})";
  EXPECT_EXIT(confined(json, [] { return errno_of(syscall(SYS_getpid)); }),
              testing::KilledBySignal(SIGSYS), "");
  EXPECT_EXIT(confined(json, [] { return 7; }), testing::ExitedWithCode(7), "");
}

TEST(Actions, LogFlagLoads) {
  std::string json = R"({"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_LOG",
      "SECCOMP_FILTER_FLAG_SPEC_ALLOW","SECCOMP_FILTER_FLAG_TSYNC"],
      "syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":9}]})";
  EXPECT_EXIT(confined(json, call_getppid), testing::ExitedWithCode(EBADF), "");
}

}  // namespace
}  // namespace syscap::enforcer
