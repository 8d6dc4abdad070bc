// Round trips through the real tools: `syscap profile` records a workload and writes its
// profile, `syscap enforce` runs the workload under it. The workload runs; a syscall it did not
// make while recorded is refused with EPERM; a workload that needed a capability runs with it
// and is refused without it.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "syscap/profilegen/profile.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

const std::string kWorkload = SYSCAP_ROUNDTRIP_WORKLOAD;

// Skips unless this build's syscap has `enforce` (another module's command).
void require_enforce() {
  auto help = test::run_syscap({"enforce", "--help"});
  if (help.status != 0) GTEST_SKIP() << "syscap enforce is not available: " << help.err;
}

// Records `args` with `syscap profile` and returns the profile's path.
std::string record_profile(const test::TempDir& tmp, const std::vector<std::string>& args) {
  std::vector<std::string> cmd = {"profile", "--runtime", "none", "--no-summary", "-o", tmp.file("p.json"), "--"};
  cmd.insert(cmd.end(), args.begin(), args.end());
  auto run = test::run_syscap(cmd);
  EXPECT_EQ(run.status, 0) << run.err;
  return tmp.file("p.json");
}

TEST(RoundTrip, WorkloadRunsUnderItsProfileAndOtherSyscallsGetEperm) {
  require_enforce();
  test::TempDir tmp;
  std::string profile = record_profile(tmp, {kWorkload, "base"});

  auto base = test::run_syscap({"enforce", "--profile", profile, "--", kWorkload, "base"});
  EXPECT_EQ(base.status, 0) << base.err;
  EXPECT_EQ(base.out, "ok\n");

  // Unconfined, `extra` can call uname (exit 3): the refusal below comes from the profile.
  auto free = test::run_syscap({"enforce", "--profile", test::data_path("docker-default.json"), "--", kWorkload, "extra"});
  EXPECT_EQ(free.status, 3) << free.err;
  auto extra = test::run_syscap({"enforce", "--profile", profile, "--", kWorkload, "extra"});
  EXPECT_EQ(extra.status, 0) << "uname was not refused with EPERM under the generated profile: " << extra.err;
  EXPECT_EQ(extra.out, "ok\n");
}

TEST(RoundTrip, CapabilityWorkloadRunsWithItsCapabilityAndIsRefusedWithout) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: chown to another uid needs CAP_CHOWN";
  require_enforce();
  test::TempDir tmp;
  std::string file = tmp.file("owned");
  std::ofstream(file) << "x";
  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);
  std::string profile = record_profile(tmp, {kWorkload, "chown", file});

  auto p = load_profile(profile);
  ASSERT_TRUE(p) << p.error().message();
  bool tied = false;
  for (const auto& r : p->syscalls) {
    bool has_chown = std::ranges::find(r.names, "chown") != r.names.end();
    if (has_chown) tied = r.includes && r.includes->caps == std::vector<std::string>{"CAP_CHOWN"};
  }
  EXPECT_TRUE(tied) << "chown is not tied to CAP_CHOWN in\n" << test::read_file(profile);

  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);
  auto with = test::run_syscap({"enforce", "--profile", profile, "--cap-drop", "ALL", "--cap-add", "CAP_CHOWN",
                                "--", kWorkload, "chown", file});
  EXPECT_EQ(with.status, 0) << with.err;
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 1000u);

  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);
  auto without = test::run_syscap({"enforce", "--profile", profile, "--cap-drop", "ALL", "--", kWorkload, "chown", file});
  EXPECT_EQ(without.status, 1) << "expected EPERM without CAP_CHOWN: " << without.err;
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
}

}  // namespace
}  // namespace syscap::profilegen
