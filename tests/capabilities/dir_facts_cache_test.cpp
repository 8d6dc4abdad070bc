// The directory cache of the capability checker (tracer/src/dir_facts_cache.hpp): a path
// resolved from cached directories must give exactly what the walk through /proc gives, for
// every shape of path; and the cache must forget what a change may have made wrong.
// White-box: the view and the cache are internal to syscap_tracer. The "tracee" is this test
// process, which /proc describes like any other.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fmt/format.h>

#include "proc_view.hpp"
#include "dir_facts_cache.hpp"

namespace syscap::capabilities::detail {
namespace {

namespace fs = std::filesystem;

std::string show(const std::optional<FileFacts>& f) {
  if (!f) return "-";
  return fmt::format("{} {:o} {}:{}", f->path, f->mode, f->uid, f->gid);
}

std::string show(const std::optional<PathFacts>& p) {
  if (!p) return "unresolved";
  std::string s = "walked:";
  for (const FileFacts& d : p->walked) s += " [" + show(d) + "]";
  return s + " parent: [" + show(p->parent) + "] target: [" + show(p->target) + "]";
}

class DirFactsCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/syscap-dircache-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    fs::create_directories(dir_ + "/a/b");
    fs::create_directories(dir_ + "/closed");
    ASSERT_EQ(chmod((dir_ + "/closed").c_str(), 0700), 0);
    ASSERT_EQ(close(open((dir_ + "/a/b/file").c_str(), O_CREAT | O_WRONLY, 0640)), 0);
    fs::create_directory_symlink("b", dir_ + "/a/link");
    fs::create_symlink("b/file", dir_ + "/a/flink");
    fs::create_symlink("nowhere", dir_ + "/a/dangling");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // resolve() without a cache, and twice with one (the first fills it, the second reads it).
  void expect_same(int dirfd, const std::string& path, bool follow) {
    SCOPED_TRACE(fmt::format("dirfd {} path {} follow {}", dirfd, path, follow));
    ProcTraceeView plain(getpid(), callers_, nondumpable_);
    const std::string walked = show(plain.resolve(dirfd, path, follow));
    ProcTraceeView filling(getpid(), callers_, nondumpable_, &cache_);
    EXPECT_EQ(show(filling.resolve(dirfd, path, follow)), walked);
    ProcTraceeView reading(getpid(), callers_, nondumpable_, &cache_);
    const auto hits = cache_.hits();
    EXPECT_EQ(show(reading.resolve(dirfd, path, follow)), walked);
    EXPECT_EQ(cache_.hits(), hits + 1) << "the second resolve did not come from the cache";
  }

  std::string dir_;
  std::unordered_map<pid_t, ProcessFacts> callers_;
  std::set<pid_t> nondumpable_;
  DirFactsCache cache_;
};

TEST_F(DirFactsCacheTest, CachedResolutionEqualsTheWalk) {
  for (bool follow : {true, false}) {
    for (const char* rel : {"", "/", "/a", "/a/b/file", "/a/b/", "/a/b/.", "/a/b/..", "/a/b/../b/file",
                            "/a//b///file", "/a/link/file", "/a/link", "/a/flink", "/a/dangling",
                            "/a/missing", "/a/missing/x", "/a/b/file/x", "/closed/x", "/a/dangling/x",
                            "/a/b/file/", "/a/flink/", "/a/link/", "/a/dangling/"})
      expect_same(AT_FDCWD, dir_ + rel, follow);
    expect_same(AT_FDCWD, "/", follow);
  }
}

TEST_F(DirFactsCacheTest, RelativePathsFromTheCwdAndADirfd) {
  const fs::path before = fs::current_path();
  fs::current_path(dir_);
  for (const char* rel : {"a/b/file", "a/link/file", "./a/b", "a/b/../b", "a/missing/x", "", "."})
    expect_same(AT_FDCWD, rel, true);
  fs::current_path(before);
  const int dirfd = open((dir_ + "/a").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dirfd, 0);
  for (const char* rel : {"b/file", "link/file", "flink", "b/missing/x", "../a/b"})
    expect_same(dirfd, rel, true);
  close(dirfd);
}

// The same directory through a bind mount is another start for relative paths: a file
// system mounted below one of the two views must not answer for the other.
TEST_F(DirFactsCacheTest, BindMountedStartsAreKeptApart) {
  if (unshare(CLONE_NEWNS) != 0)  // a mount namespace of this test's own
    GTEST_SKIP() << "needs to mount: unshare(CLONE_NEWNS): " << std::strerror(errno);
  ASSERT_EQ(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), 0);
  fs::create_directory(dir_ + "/view");
  ASSERT_EQ(mount((dir_ + "/a").c_str(), (dir_ + "/view").c_str(), nullptr, MS_BIND, nullptr), 0);
  ASSERT_EQ(mount("none", (dir_ + "/view/b").c_str(), "tmpfs", 0, "mode=0711"), 0);
  const int plain = open((dir_ + "/a").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  const int bound = open((dir_ + "/view").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(plain, 0);
  ASSERT_GE(bound, 0);
  expect_same(plain, "b/file", true);
  expect_same(bound, "b/file", true);  // b is the tmpfs (0711) here, the plain directory there
  umount2((dir_ + "/view/b").c_str(), MNT_DETACH);
  umount2((dir_ + "/view").c_str(), MNT_DETACH);
  close(plain);
  close(bound);
}

TEST_F(DirFactsCacheTest, ProcSelfMeansTheCallerAndIsNeverCached) {
  // The caller is a child of this test: "self" must name it, not the process that looks.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  struct Reap {
    pid_t pid;
    ~Reap() {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  } reap{child};
  ProcTraceeView view(child, callers_, nondumpable_, &cache_);
  for (int round = 0; round < 2; ++round) {
    auto p = view.resolve(AT_FDCWD, "/proc/self/status", true);
    ASSERT_TRUE(p && p->target);
    EXPECT_EQ(p->target->path, fmt::format("/proc/{}/status", child));
    auto t = view.resolve(AT_FDCWD, "/proc/thread-self/stat", true);
    ASSERT_TRUE(t && t->target);
    EXPECT_EQ(t->target->path, fmt::format("/proc/{}/task/{}/stat", child, child));
  }
  // Caching stops at /proc, procfs's root: nothing below it is kept.
  EXPECT_EQ(cache_.find("/proc"), nullptr) << "the walk into /proc lands on procfs's root";
  EXPECT_NE(cache_.find("/"), nullptr);
}

TEST_F(DirFactsCacheTest, AChangeDropsWhatItMayHaveMadeWrong) {
  ProcTraceeView view(getpid(), callers_, nondumpable_, &cache_);
  view.resolve(AT_FDCWD, dir_ + "/a/b/file", true);
  view.resolve(AT_FDCWD, dir_ + "/a/missing/x", true);
  const std::string b = dir_ + "/a/b", missing = dir_ + "/a/missing";
  ASSERT_NE(cache_.find(b), nullptr);
  ASSERT_TRUE(cache_.missing(missing));

  // Creating a directory or symlink: only "missing" entries go; the cache is bypassed until
  // the call has run.
  cache_.change_started(42, DirFactsCache::Change::Create);
  EXPECT_NE(cache_.find(b), nullptr);
  EXPECT_FALSE(cache_.missing(missing));
  EXPECT_FALSE(cache_.usable());
  view.resolve(AT_FDCWD, dir_ + "/a/missing/x", true);
  EXPECT_FALSE(cache_.missing(missing)) << "nothing is learnt while a change is running";
  cache_.change_finished(7);
  EXPECT_FALSE(cache_.usable()) << "another tracee's stop does not end 42's change";
  cache_.change_finished(42);
  EXPECT_TRUE(cache_.usable());

  // Renaming, removing, chmod, chown, mount: everything goes.
  cache_.change_started(42, DirFactsCache::Change::Alter);
  EXPECT_EQ(cache_.find(b), nullptr);
  cache_.change_finished(42);

  // Another root or mount table: no cache for the rest of the run, paths are walked.
  cache_.disable("test");
  EXPECT_FALSE(cache_.usable());
  const auto misses = cache_.misses();
  auto p = view.resolve(AT_FDCWD, dir_ + "/a/b/file", true);
  ASSERT_TRUE(p && p->target);
  EXPECT_EQ(cache_.find(b), nullptr);
  EXPECT_EQ(cache_.misses(), misses) << "a disabled cache is not even consulted";
}

TEST_F(DirFactsCacheTest, LiveModeOfTheStartDirectory) {
  // The directory a relative path starts from is stat'ed on every call: its mode is current
  // even though its name came from the cache.
  const int dirfd = open((dir_ + "/a").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dirfd, 0);
  ProcTraceeView view(getpid(), callers_, nondumpable_, &cache_);
  view.resolve(dirfd, "b/file", true);
  ASSERT_EQ(chmod((dir_ + "/a").c_str(), 0711), 0);
  auto p = view.resolve(dirfd, "b/file", true);
  ASSERT_TRUE(p && !p->walked.empty());
  EXPECT_EQ(p->walked[0].mode & 07777, 0711u);
  close(dirfd);
}

}  // namespace
}  // namespace syscap::capabilities::detail
