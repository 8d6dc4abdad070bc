// SIGINT/SIGTERM sent to `syscap record` reach every process of the workload, not only the
// first: a shell waiting for its child, and processes that outlive the first. The trace is
// always written, and a run ended by the signal never exits 0.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "e2e_support.hpp"

namespace syscap::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Fields of /proc/<pid>/stat: its command name, state and parent; nullopt when it is gone.
struct ProcStat {
  std::string comm;
  char state = '?';
  pid_t ppid = 0;
};
std::optional<ProcStat> proc_stat(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto open = stat.find('(');
  const auto close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 4 >= stat.size()) return std::nullopt;
  return ProcStat{stat.substr(open + 1, close - open - 1), stat[close + 2], std::stoi(stat.substr(close + 4))};
}

// True while `pid` exists and is not a zombie.
bool running(pid_t pid) {
  auto s = proc_stat(pid);
  return s && s->state != 'Z';
}

// A child of `parent` named `comm` (any name when empty), zombies included, or 0.
pid_t child_named(pid_t parent, const std::string& comm = "") {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    auto s = proc_stat(pid);
    if (s && s->ppid == parent && (comm.empty() || s->comm == comm)) return pid;
  }
  return 0;
}

// Polls `done` every 10 ms for up to `limit`; whether it became true.
template <typename F>
bool poll_until(F done, std::chrono::milliseconds limit = 30s) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// The pid a shell wrote to `file` ("123\n"), once the file is complete; 0 before.
pid_t pid_in(const std::filesystem::path& file) {
  const std::string text = read_file(file);
  if (text.empty() || text.back() != '\n') return 0;
  return std::stoi(text);
}

// Both engines forward signals the same way.
class RecordSignals : public ::testing::TestWithParam<std::string> {};
#define SKIP_UNLESS_ENGINE_RUNS() \
  if (GetParam() == "bpf" && !bpf_engine_skip_reason().empty()) GTEST_SKIP() << bpf_engine_skip_reason()

TEST_P(RecordSignals, SigintEndsAShellWaitingForItsChild) {
  SKIP_UNLESS_ENGINE_RUNS();
  const std::string engine = GetParam();
  (void)engine;
  // Before: only the shell was signalled, and it went on waiting for its `sleep`.
  TempDir dir;
  const auto trace = dir.path / "trace.json";
  const auto out = dir.path / "out";
  const pid_t syscap = spawn({SYSCAP_BINARY, "record", "-q", "--engine", engine, "-o", trace.string(), "--", "sh", "-c",
                              "sleep 30; echo after"},
                             out.string());
  pid_t shell = 0, sleeper = 0;
  ASSERT_TRUE(poll_until([&] {
    shell = child_named(syscap, "sh");
    sleeper = shell ? child_named(shell, "sleep") : 0;
    return sleeper != 0 && running(sleeper);
  })) << "the workload's sleep never started";

  const auto sent = Clock::now();
  kill(syscap, SIGINT);
  const int status = wait_for(syscap, 60s);
  const auto took = Clock::now() - sent;
  ASSERT_NE(status, -1) << "syscap did not end within 60 s";
  // Generous: the sleep had ~30 s left; a forwarded signal ends it at once.
  EXPECT_LT(took, 10s) << "syscap waited for the sleep to finish";
  ASSERT_TRUE(WIFEXITED(status)) << "syscap itself died";
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGINT);
  EXPECT_EQ(read_file(out), "") << "the shell went on after its child";
  EXPECT_FALSE(running(sleeper));
  ASSERT_TRUE(std::filesystem::exists(trace));
  const json t = json::parse(read_file(trace));
  EXPECT_EQ(t["exit"]["signo"], SIGINT);
  EXPECT_EQ(t["processes"], 2);
}

// `sh -c 'sleep 30 & ...; exit 0'` under syscap: returns syscap's pid and the sleep's, once
// syscap has reaped the shell (so it has seen the first process end and waits for the sleep
// alone).
struct Outlived {
  pid_t syscap = 0;
  pid_t sleeper = 0;
};
Outlived start_outlived_sleep(const std::string& engine, const TempDir& dir, const std::string& before = "") {
  const auto pid_file = dir.path / "sleeper.pid";
  const pid_t syscap = spawn({SYSCAP_BINARY, "record", "-q", "--engine", engine, "-o", dir.file("trace.json"), "--", "sh", "-c",
                              before + "sleep 30 & echo $! > " + pid_file.string() + "; exit 0"});
  pid_t sleeper = 0;
  const bool started = poll_until([&] {
    sleeper = pid_in(pid_file);
    return sleeper != 0 && running(sleeper) && child_named(syscap, "sh") == 0;
  });
  if (!started) {
    kill(syscap, SIGKILL);
    wait_for(syscap);
    return {};
  }
  return {syscap, sleeper};
}

TEST_P(RecordSignals, SigtermReachesProcessesThatOutliveTheFirst) {
  SKIP_UNLESS_ENGINE_RUNS();
  const std::string engine = GetParam();
  (void)engine;
  // Before: with the first process gone there was no one to forward to, and SIGTERM did nothing.
  TempDir dir;
  const Outlived run = start_outlived_sleep(GetParam(), dir);
  ASSERT_NE(run.syscap, 0) << "the background sleep never started, or the shell never exited";

  kill(run.syscap, SIGTERM);
  // Generous: the sleep had ~30 s left; a forwarded signal ends it at once.
  EXPECT_TRUE(poll_until([&] { return !running(run.sleeper); }, 10s)) << "the sleep outlived SIGTERM";
  const int status = wait_for(run.syscap, 60s);
  ASSERT_NE(status, -1) << "syscap did not end within 60 s";
  ASSERT_TRUE(WIFEXITED(status)) << "syscap itself died";
  // The first process exited 0, but the run was ended by SIGTERM: not a success.
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  ASSERT_TRUE(std::filesystem::exists(dir.path / "trace.json"));
  const json t = json::parse(read_file(dir.path / "trace.json"));
  EXPECT_EQ(t["exit"], json::parse(R"({"code": 0})"));  // the first process's own end
  EXPECT_EQ(t["processes"], 2);
}

TEST_P(RecordSignals, ThirdSigtermKillsWhatIgnoresTheFirstTwoAndIsNoSuccess) {
  SKIP_UNLESS_ENGINE_RUNS();
  const std::string engine = GetParam();
  (void)engine;
  // The sleep ignores SIGTERM (the shell's trap is inherited): the third signal kills it.
  TempDir dir;
  const Outlived run = start_outlived_sleep(GetParam(), dir, "trap '' TERM; ");
  ASSERT_NE(run.syscap, 0) << "the background sleep never started, or the shell never exited";

  int status = -1;
  int sent = 0;
  bool ended = false;
  // Spaced out so that no two are pending at once (the kernel would merge them into one).
  while (!ended && sent < 10) {
    kill(run.syscap, SIGTERM);
    ++sent;
    ended = poll_until([&] { return waitpid(run.syscap, &status, WNOHANG) == run.syscap; }, 500ms);
  }
  if (!ended) status = wait_for(run.syscap, 60s);
  ASSERT_NE(status, -1) << "syscap did not end";
  EXPECT_GE(sent, 3) << "it ended before the third signal although the sleep ignores SIGTERM";
  EXPECT_FALSE(running(run.sleeper));
  ASSERT_TRUE(WIFEXITED(status)) << "syscap itself died";
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGKILL);
  ASSERT_TRUE(std::filesystem::exists(dir.path / "trace.json"));
  EXPECT_NO_THROW(json::parse(read_file(dir.path / "trace.json")));
}

INSTANTIATE_TEST_SUITE_P(Engines, RecordSignals, ::testing::Values("ptrace", "bpf"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace syscap::e2e
