// The one parser of /proc's "Key:\tvalue" files (proc_files.hpp) on real processes: this one,
// one of its threads, a child, and a child that is gone; and on a real fdinfo file.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <fmt/format.h>
#include <string>
#include <thread>

#include "proc_files.hpp"

namespace syscap::capabilities::detail {
namespace {

TEST(ProcFieldTest, ReadsTheKeysOwnLineOnly) {
  auto status = read_file("/proc/self/status");
  ASSERT_TRUE(status);
  auto uid = proc_field(*status, "Uid");
  ASSERT_TRUE(uid);
  auto words = split_ws(*uid);  // real, effective, saved, fs
  ASSERT_EQ(words.size(), 4u);
  EXPECT_EQ(to_u64(words[0]), getuid());
  EXPECT_EQ(to_u64(words[1]), geteuid());
  // "Cap" is a prefix of CapInh, CapPrm, ...: no line has the key "Cap" itself.
  EXPECT_EQ(proc_field(*status, "Cap"), std::nullopt);
  EXPECT_EQ(proc_field(*status, "NoSuchKey"), std::nullopt);
  EXPECT_EQ(proc_field("Pid:\t12\nTgid:\t34\n", "Tgid"), "\t34");
  EXPECT_EQ(proc_field("Pid:\t12\nTgid:\t34", "Tgid"), "\t34") << "a last line without a newline";
}

TEST(ProcFieldTest, ReadsFdinfoFlags) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  auto info = read_file(fmt::format("/proc/self/fdinfo/{}", fds[0]));
  close(fds[0]);
  close(fds[1]);
  ASSERT_TRUE(info);
  auto flags = proc_field(*info, "flags");
  ASSERT_TRUE(flags);
  EXPECT_NE(to_u64(*flags, 8) & O_NONBLOCK, 0u) << *flags;
}

TEST(StatusNumberTest, ThisProcess) {
  EXPECT_EQ(status_number(getpid(), "Tgid"), getpid());
  EXPECT_EQ(status_number(getpid(), "PPid"), getppid());
  EXPECT_EQ(status_number(getpid(), "NoSuchKey"), std::nullopt);
}

TEST(StatusNumberTest, AThreadNamesItsThreadGroup) {
  std::atomic<pid_t> tid{0};
  std::atomic<bool> done{false};
  std::thread t([&] {
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    while (!done) std::this_thread::yield();
  });
  while (tid == 0) std::this_thread::yield();
  const auto tgid = status_number(tid, "Tgid");
  const auto ppid = status_number(tid, "PPid");
  done = true;
  t.join();
  ASSERT_NE(tid.load(), getpid());
  EXPECT_EQ(tgid, getpid());
  EXPECT_EQ(ppid, getppid());
}

TEST(StatusNumberTest, AChildAndThenNothingOnceItIsGone) {
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(go[1]);  // else its own copy keeps the pipe open and the read never ends
    char c;
    (void)!read(go[0], &c, 1);
    _exit(0);
  }
  close(go[0]);
  EXPECT_EQ(status_number(child, "PPid"), getpid());
  EXPECT_EQ(status_number(child, "Tgid"), child);
  close(go[1]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(status_number(child, "Tgid"), std::nullopt) << "the child is reaped";
}

}  // namespace
}  // namespace syscap::capabilities::detail
