// `syscap record --pid` on processes that run already, with both engines: the window's
// syscalls equal what `strace -f -p` sees over a window of the same loop, the processes run on
// untouched afterwards (not stopped, not traced, still working), SIGINT ends the recording and
// not the workload, a threaded server keeps answering, and what cannot be attached to is named.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "e2e_support.hpp"
#include "syscap/proc_status.hpp"
#include "syscap/test/command.hpp"
#include "syscap/test/privilege.hpp"

namespace syscap::e2e {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A process started for a test, killed and reaped at the end.
struct Background {
  explicit Background(const std::vector<std::string>& argv) : pid(spawn(argv)) {}
  ~Background() {
    kill(pid, SIGKILL);
    wait_for(pid);
  }
  pid_t pid;
};

// Running, not stopped and not traced: as it was before anyone attached.
void expect_untouched(pid_t pid) {
  ASSERT_EQ(kill(pid, 0), 0) << "pid " << pid << " is gone";
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const char state = stat.at(stat.rfind(')') + 2);
  EXPECT_NE(state, 'T') << "stopped";
  EXPECT_NE(state, 't') << "left in a trace stop";
  EXPECT_EQ(status_number(pid, "TracerPid").value_or(-1), 0) << "still traced";
}

std::uintmax_t size_of(const fs::path& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

// A loop whose every turn makes the same calls: one fork+exec of /bin/echo, a write, a sleep.
std::vector<std::string> ticking_loop(const fs::path& file) {
  return {"sh", "-c", "while :; do /bin/echo tick >> " + file.string() + "; sleep 0.05; done"};
}

test::CommandResult attach(const std::string& engine, pid_t pid, const std::string& duration,
                           const std::string& out) {
  return test::run_command({SYSCAP_BINARY, "record", "--engine", engine, "--pid", std::to_string(pid),
                            "--duration", duration, "-o", out});
}

class Attach : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "bpf" && !bpf_engine_skip_reason().empty()) GTEST_SKIP() << bpf_engine_skip_reason();
  }
};

TEST_P(Attach, WindowEqualsStraceOfTheSameLoopAndTheProcessRunsOn) {
  TempDir dir;
  Background loop(ticking_loop(dir.path / "ticks"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  // strace sometimes never finishes detaching on SIGINT (seen with a vfork child stopped at a
  // syscall entry while its parent waits in vfork): SIGKILL it 5 s later; the kernel then
  // detaches its tracees, and what it wrote so far is the oracle.
  auto st = test::run_command({"timeout", "-s", "INT", "-k", "5", "1", "strace", "-f", "-qq", "-o",
                               dir.file("strace.txt"), "-p", std::to_string(loop.pid)});
  std::set<std::string> strace = parse_strace(read_file(dir.path / "strace.txt"));
  ASSERT_TRUE(strace.contains("execve")) << st.describe();
  expect_untouched(loop.pid);

  auto r = attach(GetParam(), loop.pid, "1000ms", dir.file("window.json"));
  ASSERT_EQ(r.status, 0) << r.describe();
  const json trace = json::parse(read_file(dir.path / "window.json"));
  std::set<std::string> ours = trace_names(trace);
  // A call asleep when a tracer attaches is restarted by the kernel (restart_syscall): ptrace's
  // attach interrupts it, BPF's does not; neither belongs to the loop.
  ours.erase("restart_syscall");
  strace.erase("restart_syscall");
  EXPECT_EQ(ours, strace) << describe_difference(ours, strace);
  EXPECT_TRUE(trace.at("exit").is_null());
  EXPECT_EQ(trace.at("window").at("pids"), json::array({loop.pid}));
  EXPECT_EQ(trace.at("window").at("ended_by"), "duration");
  EXPECT_GT(trace.at("processes").get<int>(), 2) << "the loop's children were not followed";
  EXPECT_NE(r.err.find("start-up was not seen"), std::string::npos) << r.describe();

  expect_untouched(loop.pid);
  const auto before = size_of(dir.path / "ticks");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_GT(size_of(dir.path / "ticks"), before) << "the loop stopped working after the recording";
}

TEST_P(Attach, SigintEndsTheRecordingNotTheWorkload) {
  TempDir dir;
  Background loop(ticking_loop(dir.path / "ticks"));
  const pid_t syscap = spawn({SYSCAP_BINARY, "-q", "record", "--engine", GetParam(), "--pid", std::to_string(loop.pid),
                              "-o", dir.file("t.json")});
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(syscap, SIGINT);
  const int status = wait_for(syscap, std::chrono::seconds(30));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const json trace = json::parse(read_file(dir.path / "t.json"));
  EXPECT_EQ(trace.at("window").at("ended_by"), "signal");
  EXPECT_TRUE(trace_names(trace).contains("wait4"));
  expect_untouched(loop.pid);
}

// The lines the trapper below has written once there are `n` (or after 5 s, as they are).
std::string lines_once(const fs::path& got, std::size_t n) {
  std::string lines;
  for (int i = 0; i < 100 && lines.size() < n * 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    lines = read_file(got);
  }
  return lines;
}

// Signals sent to the process while it is recorded reach it, none lost, and after as before.
// Each is sent once the one before has been handled: the shell runs a trap once its foreground
// `sleep` ends, and two of one signal that arrive before that are one (standard signals do not
// queue), which a loaded machine made happen with signals sent at fixed intervals.
TEST_P(Attach, SignalsDuringTheRecordingAreAllDelivered) {
  TempDir dir;
  const fs::path got = dir.path / "got";
  Background trapper({"sh", "-c", "trap 'echo usr1 >> " + got.string() + "' USR1; while :; do sleep 0.05; done"});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const pid_t syscap = spawn({SYSCAP_BINARY, "-q", "record", "--engine", GetParam(), "--pid",
                              std::to_string(trapper.pid), "--duration", "1500ms", "-o", dir.file("t.json")});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::string lines;
  for (std::size_t i = 1; i <= 3; ++i) {
    kill(trapper.pid, SIGUSR1);
    lines = lines_once(got, i);
    ASSERT_EQ(lines.size(), i * 5) << "signal " << i << " of those sent during the recording was not handled: "
                                   << lines;
  }
  const int status = wait_for(syscap, std::chrono::seconds(30));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  kill(trapper.pid, SIGUSR1);
  EXPECT_EQ(lines_once(got, 4), "usr1\nusr1\nusr1\nusr1\n") << "a signal was lost or doubled";
  expect_untouched(trapper.pid);
}

// The BPF engine judges capabilities only from the kernel's checks: where they are not watched
// (before Linux 6.14) its trace has none, and a test of them has nothing to look at.
#define skip_bpf_without_checks(trace)                                                                     \
  if (GetParam() == std::string("bpf") && !(trace).contains("kernel_checks"))                            \
  GTEST_SKIP() << "the BPF engine sees no capabilities here: "                                           \
               << (trace).value("kernel_checks_unseen", std::string("(no reason in the trace)"))

// Capabilities are inferred for what the window saw, as in a run: root chowning a file back
// and forth needs CAP_CHOWN.
TEST_P(Attach, CapabilitiesOfTheWindowAreInferredAsInARun) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (chown to another user)";
  TempDir dir;
  const std::string file = dir.file("f");
  test::run_command({"touch", file});
  Background chowner({"sh", "-c", "while :; do chown 65534 " + file + "; chown 0 " + file + "; sleep 0.05; done"});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto r = attach(GetParam(), chowner.pid, "1000ms", dir.file("t.json"));
  ASSERT_EQ(r.status, 0) << r.describe();
  const json trace = json::parse(read_file(dir.path / "t.json"));
  skip_bpf_without_checks(trace);
  std::set<std::string> caps;
  for (const auto& c : trace.at("capabilities")) caps.insert(c.at("name").get<std::string>());
  EXPECT_EQ(caps, std::set<std::string>{"CAP_CHOWN"}) << trace.at("capabilities").dump(1);
}

// A thread id given to --pid stands for its process, for the capability checks too: the
// kernel's checks of the whole process are watched, so the model's CAP_CHOWN is one the kernel
// was seen to check (under ptrace an unwatched process would list it as unchecked).
TEST_P(Attach, AThreadIdStandsForItsProcessInTheCapabilityChecks) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (chown to another user)";
  TempDir dir;
  const std::string file = dir.file("f");
  test::run_command({"touch", file});
  Background chowner({"python3", "-c",
                      "import os, threading, time\n"
                      "threading.Thread(target=lambda: time.sleep(1000), daemon=True).start()\n"
                      "while True:\n"
                      "    os.chown('" + file + "', 65534, -1); os.chown('" + file + "', 0, -1); time.sleep(0.05)\n"});
  pid_t thread = 0;
  for (int i = 0; i < 100 && thread == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::error_code ec;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(chowner.pid) + "/task", ec))
      if (const pid_t tid = std::stoi(task.path().filename()); tid != chowner.pid) thread = tid;
  }
  ASSERT_NE(thread, 0) << "python3 started no thread";
  auto r = attach(GetParam(), thread, "1000ms", dir.file("t.json"));
  ASSERT_EQ(r.status, 0) << r.describe();
  const json trace = json::parse(read_file(dir.path / "t.json"));
  EXPECT_EQ(trace.at("window").at("pids"), json::array({chowner.pid})) << trace.at("window").dump();
  skip_bpf_without_checks(trace);
  std::set<std::string> caps;
  for (const auto& c : trace.at("capabilities")) caps.insert(c.at("name").get<std::string>());
  EXPECT_EQ(caps, std::set<std::string>{"CAP_CHOWN"}) << trace.at("capabilities").dump(1);
  if (!trace.contains("kernel_checks")) GTEST_SKIP() << "the kernel's checks are not seen here: " << trace.value("kernel_checks_unseen", "");
  EXPECT_FALSE(trace.contains("unchecked_capabilities")) << trace.at("unchecked_capabilities").dump();
  bool chown_checked = false;
  for (const auto& c : trace.at("kernel_checks")) chown_checked |= c.at("capability") == "CAP_CHOWN";
  EXPECT_TRUE(chown_checked) << trace.at("kernel_checks").dump();
}

// A port nobody listens on now.
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

test::CommandResult fetch(int port) {
  return test::run_command({"python3", "-c",
                            "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen("
                            "'http://127.0.0.1:" + std::to_string(port) + "/hello.txt', timeout=10).read().decode())"});
}

TEST_P(Attach, AThreadedServerIsRecordedWhileServingAndKeepsAnswering) {
  TempDir dir;
  test::run_command({"sh", "-c", "echo hello > " + dir.file("hello.txt")});
  const int port = free_port();
  Background server({"python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir.path.string(),
                     std::to_string(port)});
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    up = fetch(port).out == "hello\n";
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(up) << "the server never answered";

  const pid_t syscap = spawn({SYSCAP_BINARY, "-q", "record", "--engine", GetParam(), "--pid",
                              std::to_string(server.pid), "--duration", "3s", "-o", dir.file("t.json")});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fetch(port).out, "hello\n") << "while recorded";
  const int status = wait_for(syscap, std::chrono::seconds(60));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  const json trace = json::parse(read_file(dir.path / "t.json"));
  const auto names = trace_names(trace);
  EXPECT_TRUE(names.contains("accept4") || names.contains("accept")) << trace.dump(1);
  EXPECT_TRUE(names.contains("sendto") || names.contains("write")) << trace.dump(1);
  EXPECT_TRUE(names.contains("clone3") || names.contains("clone")) << "no thread per request seen";
  expect_untouched(server.pid);
  EXPECT_EQ(fetch(port).out, "hello\n") << "after the recording";
}

// `profile --pid` writes the window's profile and says its start-up was not seen.
TEST_P(Attach, ProfileOfAWindowIsWrittenWithTheWarning) {
  TempDir dir;
  Background loop(ticking_loop(dir.path / "ticks"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto r = test::run_command({SYSCAP_BINARY, "profile", "--engine", GetParam(), "--pid", std::to_string(loop.pid),
                              "--duration", "700ms", "-o", dir.file("p.json"), "--trace", dir.file("t.json")});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("start-up was not seen"), std::string::npos) << r.describe();
  const json profile = json::parse(read_file(dir.path / "p.json"));
  EXPECT_EQ(profile.at("defaultAction"), "SCMP_ACT_ERRNO");
  EXPECT_TRUE(json::parse(read_file(dir.path / "t.json")).contains("window"));
  // generate of the window alone warns too.
  auto g = test::run_command({SYSCAP_BINARY, "generate", "-o", dir.file("g.json"), dir.file("t.json")});
  EXPECT_EQ(g.status, 0) << g.describe();
  EXPECT_NE(g.err.find("only attached windows"), std::string::npos) << g.describe();
  expect_untouched(loop.pid);
}

INSTANTIATE_TEST_SUITE_P(Engines, Attach, ::testing::Values("ptrace", "bpf"),
                         [](const auto& info) { return info.param; });

// What cannot be attached to is named, usage errors exit 2, and nothing is left attached.
TEST(AttachErrors, WhatCannotBeAttachedToIsNamedAndLeftAlone) {
  TempDir dir;
  auto missing = test::run_command({SYSCAP_BINARY, "record", "--pid", "999999999", "-o", dir.file("t.json")});
  EXPECT_EQ(missing.status, 1) << missing.describe();
  EXPECT_NE(missing.err.find("pid 999999999: no such process"), std::string::npos) << missing.describe();
  EXPECT_FALSE(fs::exists(dir.path / "t.json"));

  if (read_file("/proc/2/stat").find("(kthreadd)") != std::string::npos) {
    auto kthread = test::run_command({SYSCAP_BINARY, "record", "--pid", "2", "-o", dir.file("t.json")});
    EXPECT_EQ(kthread.status, 1) << kthread.describe();
    EXPECT_NE(kthread.err.find("kernel thread"), std::string::npos) << kthread.describe();
  }
  for (const std::vector<std::string>& usage :
       {std::vector<std::string>{"--pid", "1", "--", "true"}, {"--duration", "5s", "--", "true"},
        {"--pid", "1", "--duration", "1.5s"}, {"--pid", "1x"}, {"--pid", "1", "--verify-caps"}}) {
    std::vector<std::string> argv{SYSCAP_BINARY, "record", "-o", dir.file("u.json")};
    argv.insert(argv.end(), usage.begin(), usage.end());
    auto r = test::run_command(argv);
    EXPECT_EQ(r.status, 2) << r.describe();
  }

  Background loop(ticking_loop(dir.path / "ticks"));
  // Traced already: by strace.
  if (test::run_command({"strace", "-V"}).status == 0) {
    const pid_t strace = spawn({"strace", "-qq", "-o", "/dev/null", "-p", std::to_string(loop.pid)});
    for (int i = 0; i < 100 && status_number(loop.pid, "TracerPid").value_or(0) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto traced = test::run_command({SYSCAP_BINARY, "record", "--engine", "ptrace", "--pid",
                                     std::to_string(loop.pid), "--duration", "1s", "-o", dir.file("t.json")});
    EXPECT_EQ(traced.status, 1) << traced.describe();
    EXPECT_NE(traced.err.find("traced already (by pid " + std::to_string(strace) + ")"), std::string::npos)
        << traced.describe();
    EXPECT_EQ(status_number(loop.pid, "TracerPid").value_or(0), strace);
    kill(strace, SIGINT);
    wait_for(strace);
  }
  // Nothing half-attached: a second process that cannot be traced leaves the first untraced.
  if (test::run_command({"strace", "-V"}).status == 0) {
    Background other(ticking_loop(dir.path / "other"));
    const pid_t strace = spawn({"strace", "-qq", "-o", "/dev/null", "-p", std::to_string(loop.pid)});
    for (int i = 0; i < 100 && status_number(loop.pid, "TracerPid").value_or(0) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto half = test::run_command({SYSCAP_BINARY, "record", "--engine", "ptrace", "--pid", std::to_string(other.pid),
                                   "--pid", std::to_string(loop.pid), "-o", dir.file("t.json")});
    EXPECT_EQ(half.status, 1) << half.describe();
    expect_untouched(other.pid);
    kill(strace, SIGINT);
    wait_for(strace);
  }
  // Another user's process, without CAP_SYS_PTRACE.
  if (!test::holds_capability(CAP_SETUID)) GTEST_SKIP() << "needs CAP_SETUID to run syscap as another user";
  fs::permissions(dir.path, fs::perms::all);
  auto other = test::run_command({"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--inh-caps=-all",
                                  SYSCAP_BINARY, "record", "--engine", "ptrace", "--pid", std::to_string(loop.pid),
                                  "--duration", "1s", "-o", dir.file("o.json")});
  EXPECT_EQ(other.status, 1) << other.describe();
  EXPECT_NE(other.err.find("pid " + std::to_string(loop.pid)), std::string::npos) << other.describe();
  EXPECT_NE(other.err.find("not permitted"), std::string::npos) << other.describe();
  expect_untouched(loop.pid);
}

}  // namespace
}  // namespace syscap::e2e
