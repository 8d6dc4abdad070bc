// The event loop on real workloads, through the library API (the CLI is tested in tests/e2e).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <string>

#include "syscap/command_path.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/test/ia32.hpp"
#include "syscap/tracer/recorder.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::tracer {
namespace {

using tables::Arch;

std::string workload(const char* name) { return std::string(SYSCAP_WORKLOAD_DIR) + "/" + name; }

TracerOptions options(std::vector<std::string> command, std::vector<SyscallObserver*> observers) {
  TracerOptions o;
  o.command = std::move(command);
  o.observers = std::move(observers);
  return o;
}

// Asks for the exit of every getppid, and remembers process events.
class Probe : public SyscallObserver {
 public:
  Resume on_syscall(const SeccompStop& s) override {
    ++entries;
    const bool getppid = (s.arch == Arch::X86_64 && s.nr == 110) || (s.arch == Arch::X86 && s.nr == 64);
    return getppid ? Resume::ReportExit : Resume::Continue;
  }
  void on_syscall_exit(const SyscallExit& e) override {
    exits.push_back(e);
  }
  void on_task_start(pid_t pid) override { started.insert(pid); }
  void on_exec(pid_t pid, pid_t former) override { execs.push_back({pid, former}); }
  void on_task_exit(pid_t pid, int) override { exited.insert(pid); }

  int entries = 0;
  std::vector<SyscallExit> exits;
  std::set<pid_t> started, exited;
  std::vector<std::pair<pid_t, pid_t>> execs;
};

TEST(RunTraced, ExitStopsDeliverTheResult) {
  Probe probe;
  auto run = run_traced(options({workload("wl_storm"), "5"}, {&probe}));
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->exit.code, 0);
  ASSERT_EQ(probe.exits.size(), 5u);
  for (const auto& e : probe.exits) {
    EXPECT_FALSE(e.is_error);
    EXPECT_EQ(e.rval, getpid());  // the workload's parent is this test
    EXPECT_EQ(e.nr, 110);
    EXPECT_EQ(e.arch, Arch::X86_64);
  }
}

TEST(RunTraced, ExitStopsOfInt80Calls) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Int80);
  Probe probe;
  auto run = run_traced(options({workload("wl_int80")}, {&probe}));
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->exit.code, 0);
  bool saw_i386 = false;
  for (const auto& e : probe.exits)
    if (e.arch == Arch::X86) {
      saw_i386 = true;
      EXPECT_EQ(e.rval, getpid());
    }
  EXPECT_TRUE(saw_i386);
}

TEST(RunTraced, ThreadsAreFollowed) {
  Probe probe;
  auto run = run_traced(options({workload("wl_threads"), "threads"}, {&probe}));
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->exit.code, 0);
  EXPECT_EQ(run->processes, 5u);
  EXPECT_EQ(probe.started.size(), 4u);  // the four threads; the root never reports a first stop
  EXPECT_EQ(probe.exited.size(), 5u);
}

TEST(RunTraced, ExecFromANonLeaderThread) {
  Probe probe;
  auto run = run_traced(options({workload("wl_threads"), "exec-from-thread"}, {&probe}));
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->exit.code, 0);
  ASSERT_EQ(probe.execs.size(), 2u);  // the command itself, then the thread's exec
  EXPECT_EQ(probe.execs[0].first, probe.execs[0].second);
  EXPECT_EQ(probe.execs[1].first, run->pid);  // the thread took the leader's id
  EXPECT_NE(probe.execs[1].second, run->pid);
}

TEST(RunTraced, SignalDeathIsTheExitStatus) {
  Probe probe;
  auto run = run_traced(options({workload("wl_signals"), "segv"}, {&probe}));
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_FALSE(run->exit.code);
  EXPECT_EQ(run->exit.signo, SIGSEGV);
  EXPECT_EQ(run->exit.shell_status(), 128 + SIGSEGV);
}

TEST(RunResult, ARunEndedBySignalAfterItsFirstProcessExitedZeroIsNoSuccess) {
  RunResult run;
  run.exit.code = 0;
  EXPECT_EQ(run.shell_status(), 0);
  run.interrupted_by = SIGTERM;
  EXPECT_EQ(run.shell_status(), 128 + SIGTERM);
  run.exit.code = 3;  // the first process's own failure says more
  EXPECT_EQ(run.shell_status(), 3);
  run.exit = ExitStatus::from_wait_status(SIGINT);  // killed by SIGINT
  EXPECT_EQ(run.shell_status(), 128 + SIGINT);
}

TEST(RunTraced, CommandNotFoundRunsNothing) {
  Probe probe;
  auto run = run_traced(options({"syscap-no-such-command"}, {&probe}));
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().sys_errno, ENOENT);
  EXPECT_EQ(probe.entries, 0);
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);  // no child was left behind
  EXPECT_EQ(errno, ECHILD);
}

TEST(RunTraced, NonExecutableFileIsAnError) {
  char path[] = "/tmp/syscap-noexec-XXXXXX";
  int fd = mkstemp(path);  // mode 0600: not executable, even for root
  ASSERT_GE(fd, 0);
  close(fd);
  auto run = run_traced(options({path}, {}));
  unlink(path);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().sys_errno, EACCES);
}

TEST(ResolveCommand, SearchesPathLikeExecvp) {
  auto sh = find_command("sh");
  ASSERT_TRUE(sh);
  EXPECT_EQ(sh->back(), 'h');
  EXPECT_NE(sh->find('/'), std::string::npos);
  EXPECT_EQ(find_command("./definitely-not-here").error().sys_errno, ENOENT);
}

}  // namespace
}  // namespace syscap::tracer
