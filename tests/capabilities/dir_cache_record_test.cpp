// The directory cache on real workloads: a shell first walks a directory (so the cache holds
// it), then a command of the workload changes what that path names (chown+chmod, rename,
// a new symlink where nothing was, a mount, another mount namespace), then the shell walks it
// again. The second walk must see the change: CAP_DAC_READ_SEARCH for searching a directory
// whose mode now denies it. With a stale cache the second walk would find nothing.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>

#include <linux/capability.h>

#include "capability_workloads.hpp"
#include "syscap/test/privilege.hpp"
#include "syscap/capabilities/observer.hpp"
#include "syscap/tracer/recorder.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::testing {
namespace {

namespace fs = std::filesystem;

class DirCacheRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (CAP_DAC_READ_SEARCH, CAP_CHOWN, mount)";
    char tmpl[] = "/tmp/syscap-dircache-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // A directory `name` with a readable file f, owned by `uid` with `mode`.
  void make_dir(const std::string& name, unsigned mode, uid_t uid) {
    const std::string d = dir_ + "/" + name;
    ASSERT_EQ(mkdir(d.c_str(), 0755), 0);
    ASSERT_EQ(close(open((d + "/f").c_str(), O_CREAT | O_WRONLY, 0644)), 0);
    ASSERT_EQ(chown(d.c_str(), uid, uid), 0);
    ASSERT_EQ(chmod(d.c_str(), mode), 0);
  }

  // Traces `sh -c script`; returns every CAP_DAC_READ_SEARCH evidence `why`.
  std::vector<std::string> search_evidence(const std::string& script) {
    tracer::Recorder recorder;
    capabilities::CapabilityObserver caps;
    tracer::TracerOptions opts;
    opts.command = {"sh", "-c", script};
    opts.observers = {&recorder, &caps};
    opts.forward_signals = false;
    auto run = tracer::run_traced(opts);
    EXPECT_TRUE(run.has_value()) << (run ? "" : run.error().message());
    if (run) {
      EXPECT_EQ(run->exit.shell_status(), 0) << script;
    }
    std::vector<std::string> whys;
    for (const auto& r : caps.capabilities())
      if (r.name == "CAP_DAC_READ_SEARCH")
        for (const auto& e : r.evidence) whys.push_back(e.why);
    return whys;
  }

  // Whether some evidence says a search of `path` (as shown: mode 0700, uid 1000) was denied.
  static bool denied_search_of(const std::vector<std::string>& whys, const std::string& path) {
    const std::string shown = fmt::format("{} (mode 0700, uid 1000", path);
    for (const std::string& w : whys)
      if (w.find(shown) != std::string::npos && w.find("searching it") != std::string::npos) return true;
    return false;
  }

  std::string dir_;
};

TEST_F(DirCacheRecordTest, ChownAndChmodOfAWalkedDirectory) {
  make_dir("d", 0755, 0);
  const std::string d = dir_ + "/d";
  const auto whys = search_evidence(
      fmt::format("cat {0}/f && chown 1000:1000 {0} && chmod 0700 {0} && cat {0}/f", d));
  EXPECT_TRUE(denied_search_of(whys, d)) << ::testing::PrintToString(whys);
}

TEST_F(DirCacheRecordTest, ChmodAloneOfAWalkedDirectory) {
  make_dir("d", 0755, 1000);
  const std::string d = dir_ + "/d";
  const auto whys = search_evidence(fmt::format("cat {0}/f && chmod 0700 {0} && cat {0}/f", d));
  EXPECT_TRUE(denied_search_of(whys, d)) << ::testing::PrintToString(whys);
}

TEST_F(DirCacheRecordTest, RenameOverAWalkedDirectory) {
  make_dir("a", 0755, 0);
  make_dir("locked", 0700, 1000);
  const std::string a = dir_ + "/a";
  const auto whys = search_evidence(
      fmt::format("cat {0}/a/f && mv {0}/a {0}/old && mv {0}/locked {0}/a && cat {0}/a/f", dir_));
  EXPECT_TRUE(denied_search_of(whys, a)) << ::testing::PrintToString(whys);
}

TEST_F(DirCacheRecordTest, SymlinkWhereTheWalkFoundNothing) {
  make_dir("locked", 0700, 1000);
  // The first cat fails at the missing "l"; ln -s then makes it lead into the locked directory.
  const auto whys = search_evidence(
      fmt::format("! cat {0}/l/f 2>/dev/null && ln -s {0}/locked {0}/l && cat {0}/l/f", dir_));
  EXPECT_TRUE(denied_search_of(whys, dir_ + "/locked")) << ::testing::PrintToString(whys);
}

TEST_F(DirCacheRecordTest, BindMountOverAWalkedDirectory) {
  if (!test::holds_capability(CAP_SYS_ADMIN)) GTEST_SKIP() << "needs CAP_SYS_ADMIN (mount), which this process lacks";
  make_dir("d", 0755, 0);
  make_dir("locked", 0700, 1000);
  const std::string d = dir_ + "/d";
  const auto whys = search_evidence(fmt::format(
      "cat {0}/f && mount --bind {1}/locked {0} && cat {0}/f; s=$?; umount {0}; exit $s", d, dir_));
  // Through the bind mount the kernel names the directory by its mount point.
  EXPECT_TRUE(denied_search_of(whys, d)) << ::testing::PrintToString(whys);
}

TEST_F(DirCacheRecordTest, WhatAnotherMountNamespaceSawIsNotReused) {
  if (!test::holds_capability(CAP_SYS_ADMIN))
    GTEST_SKIP() << "needs CAP_SYS_ADMIN (unshare -m, mount), which this process lacks";
  make_dir("d", 0700, 1000);
  const std::string d = dir_ + "/d";
  // In its own mount namespace, a shell mounts an open tmpfs over d and walks it; the
  // namespace then dies without an umount call. Back in ours, d is the locked directory again.
  const auto whys = search_evidence(fmt::format(
      "unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=0755 none {0} && "
      "touch {0}/f && cat {0}/f' && cat {0}/f", d));
  EXPECT_TRUE(denied_search_of(whys, d)) << ::testing::PrintToString(whys);
}

}  // namespace
}  // namespace syscap::testing
