// A workload that asks for an untraced child (CLONE_UNTRACED, through clone or clone3, with and
// without CLONE_VFORK) still has that child followed and recorded, and behaves as it does
// natively: the tracer clears the flag at the call's seccomp stop.
#include <gtest/gtest.h>

#include <string>

#include "e2e_support.hpp"
#include "syscap/test/command.hpp"

namespace syscap::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class UntracedClone : public ::testing::TestWithParam<const char*> {};

TEST_P(UntracedClone, ChildIsFollowedAndRecorded) {
  const std::vector<std::string> argv = {workload("wl_untraced_clone"), GetParam()};
  // The workload exits 0 natively; 2 when its child never ended (it made no syscall).
  test::CommandOptions guard;
  guard.limit = 60s;
  const auto native = test::run_command(argv, guard);
  if (native.status == 77) GTEST_SKIP() << "this kernel has no clone3";
  ASSERT_EQ(native.status, 0) << native.describe();

  TempDir dir;
  // The guard: the vfork mode's parent waits in clone until its child ends, which an untraced
  // child under the filter never does.
  auto r = record(argv, dir.path, 90s);
  ASSERT_TRUE(r.exited) << r.err;
  EXPECT_EQ(r.status, native.status) << r.err;
  ASSERT_FALSE(r.trace.is_null()) << r.err;
  EXPECT_EQ(r.trace["exit"], json::parse(R"({"code": 0})"));
  EXPECT_EQ(r.trace["processes"], 2);
  // Only the child makes getpgid.
  EXPECT_TRUE(trace_names(r.trace, "SCMP_ARCH_X86_64").contains("getpgid")) << r.err;
  EXPECT_NE(r.err.find("CLONE_UNTRACED"), std::string::npos) << "the cleared flag went unmentioned: " << r.err;
}

TEST(Record, UntracedCloneKeepsTheFlagsTheWorkloadPassed) {
  // The trace (so a profile) has the flags as the workload passes them natively, not as
  // the tracer rewrote them.
  TempDir dir;
  auto r = record({workload("wl_untraced_clone"), "vfork"}, dir.path, 90s);
  ASSERT_EQ(r.status, 0) << r.err;
  const json* clone = nullptr;
  for (const auto& s : r.trace.at("syscalls"))
    if (s.at("name") == "clone" && s.at("arch") == "SCMP_ARCH_X86_64") clone = &s;
  ASSERT_TRUE(clone);
  ASSERT_EQ(clone->at("args")[0]["name"], "flags");
  const std::uint64_t asked = 0x00800000 | 0x00004000 | 17;  // CLONE_UNTRACED | CLONE_VFORK | SIGCHLD
  EXPECT_EQ(clone->at("args")[0]["values"], json::array({asked}));
}

INSTANTIATE_TEST_SUITE_P(Record, UntracedClone, ::testing::Values("clone", "clone3", "clone3_const", "vfork"));

}  // namespace
}  // namespace syscap::e2e
