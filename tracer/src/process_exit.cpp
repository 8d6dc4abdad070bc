// exit_process (process_exit.hpp) and the descriptors held until it (held_until_exit.hpp).
//
// The helper is a process that shares this one's memory (CLONE_VM: started in tens of
// microseconds, nothing copied) with a copy of its descriptor table. It closes every descriptor
// but the held ones at once, then waits on a pipe whose other end only this process has: the
// read returns when this process has exited. Then the helper exits, and the kernel releases
// the held descriptors, and the memory the two shared, in it. This process calls nothing after
// starting it but _exit: the helper runs on its own stack, but with this process's thread
// pointer (errno), so the two must not both be running C library code. The helper is this
// process's child: once this process has gone it is the caller's subreaper's or init's to reap.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "held_until_exit.hpp"
#include "syscap/tracer/process_exit.hpp"

namespace syscap::tracer {

namespace {

struct Held {
  std::vector<int> fds;
  std::vector<std::function<void()>> release_here;
};

Held& held() {
  static Held h;
  return h;
}

// What the helper reads: set before it starts, never written after.
constexpr std::size_t kMaxHelperFds = 64;
struct HelperPlan {
  std::array<int, kMaxHelperFds> keep{};  // ascending: the held descriptors and wait_fd
  std::size_t kept = 0;
  int wait_fd = -1;   // the pipe's read end
  int write_fd = -1;  // its write end, which the helper must not hold
};
HelperPlan g_plan;
alignas(64) unsigned char g_helper_stack[32 * 1024];

// The helper. System calls only, through syscall(), which no sanitizer intercepts: it shares
// this process's thread pointer (see the top of the file). Where any of them fails it exits at
// once: released early rather than holding a descriptor of the caller's, or waiting forever on
// a pipe it holds open itself.
int hold_until_parent_exits(void*) {
  if (syscall(SYS_close, g_plan.write_fd) != 0) syscall(SYS_exit_group, 0);
  unsigned int next = 0;
  for (std::size_t i = 0; i < g_plan.kept; ++i) {
    const auto fd = static_cast<unsigned int>(g_plan.keep[i]);
    if (fd > next && syscall(SYS_close_range, next, fd - 1, 0) != 0) syscall(SYS_exit_group, 0);
    next = fd + 1;
  }
  if (syscall(SYS_close_range, next, ~0U, 0) != 0) syscall(SYS_exit_group, 0);
  // Nor the caller's working directory (its file system stays unmountable while held); a
  // failure here holds nothing that matters.
  syscall(SYS_chdir, "/");
  // Every signal is blocked (inherited): the read ends at end of file, when this process's
  // write end closes with it.
  char byte;
  while (syscall(SYS_read, g_plan.wait_fd, &byte, 1) > 0) {
  }
  syscall(SYS_exit_group, 0);
  return 0;
}

// Sanitized builds release before they exit: their leak check runs at exit, and their
// run-time library knows nothing of a process sharing their memory.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kHelperAllowed = false;
#else
constexpr bool kHelperAllowed = true;
#endif

// Starts the helper for the held descriptors; false where it cannot start (nothing changed).
bool start_helper() {
  auto& fds = held().fds;
  // close_range (Linux 5.9) on a range that holds nothing: where it is missing, the helper
  // could not close what it must not hold.
  if (!kHelperAllowed || fds.size() + 1 > kMaxHelperFds || syscall(SYS_close_range, ~0U, ~0U, 0) != 0) return false;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
  g_plan.kept = 0;
  for (int fd : fds) g_plan.keep[g_plan.kept++] = fd;
  g_plan.keep[g_plan.kept++] = pipe_fds[0];
  std::sort(g_plan.keep.begin(), g_plan.keep.begin() + static_cast<std::ptrdiff_t>(g_plan.kept));
  g_plan.wait_fd = pipe_fds[0];
  g_plan.write_fd = pipe_fds[1];
  // The helper starts with every signal blocked (this process has no more use for them): no
  // handler of this process runs in it, and its read is not interrupted.
  sigset_t all, before;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &before);
  const pid_t pid = clone(hold_until_parent_exits, g_helper_stack + sizeof g_helper_stack, CLONE_VM | SIGCHLD, nullptr);
  if (pid < 0) {
    sigprocmask(SIG_SETMASK, &before, nullptr);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return false;
  }
  return true;  // the write end closes when this process exits
}

}  // namespace

namespace detail {

void hold_until_exit(std::vector<int> fds, std::function<void()> release_here) {
  auto& h = held();
  h.fds.insert(h.fds.end(), fds.begin(), fds.end());
  h.release_here.push_back(std::move(release_here));
}

}  // namespace detail

void exit_process(int status) {
  std::fflush(nullptr);
  auto& h = held();
  if (!h.release_here.empty() && start_helper()) _exit(status);
  for (auto& release : h.release_here) release();
  h.release_here.clear();
  std::exit(status);
}

}  // namespace syscap::tracer
