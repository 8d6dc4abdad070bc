// What `syscap record` does beyond seeing syscalls: exit statuses, traces of killed and
// interrupted workloads, daemons, job control, 32-bit calls, the CLI's messages.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "e2e_support.hpp"
#include "syscap/test/command.hpp"
#include "syscap/test/ia32.hpp"

namespace syscap::e2e {
namespace {

using nlohmann::json;

const json* find_call(const json& trace, const std::string& name, const std::string& arch) {
  for (const auto& s : trace.at("syscalls"))
    if (s.at("name") == name && s.at("arch") == arch) return &s;
  return nullptr;
}

TEST(Record, ExitCodeIsTheWorkloads) {
  TempDir dir;
  auto r = record({workload("wl_signals"), "exit", "42"}, dir.path);
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.status, 42);
  ASSERT_FALSE(r.trace.is_null());
  EXPECT_EQ(r.trace["exit"], json::parse(R"({"code": 42})"));
}

TEST(Record, SignalDeathIs128PlusN) {
  TempDir dir;
  auto r = record({workload("wl_signals"), "segv"}, dir.path);
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.status, 128 + SIGSEGV);
  ASSERT_FALSE(r.trace.is_null());
  EXPECT_EQ(r.trace["exit"]["signal"], "SIGSEGV");
  EXPECT_EQ(r.trace["exit"]["signo"], SIGSEGV);
}

TEST(Record, TraceWrittenWhenTheWorkloadIsKilledBySigkill) {
  TempDir dir;
  auto r = record({workload("wl_signals"), "raise", "9"}, dir.path);
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.status, 128 + SIGKILL);
  ASSERT_FALSE(r.trace.is_null());
  EXPECT_EQ(r.trace["exit"]["signal"], "SIGKILL");
  EXPECT_TRUE(find_call(r.trace, "tgkill", "SCMP_ARCH_X86_64") ||
              find_call(r.trace, "kill", "SCMP_ARCH_X86_64"));
}

// syscap gets `sig` while the workload sleeps: it forwards it, the workload dies of it, the
// trace is written and syscap exits with 128+sig. With either engine.
void interrupt_syscap(int sig, const std::string& engine) {
  SCOPED_TRACE(engine);
  TempDir dir;
  const auto ready = dir.path / "ready";
  const auto trace = dir.path / "trace.json";
  pid_t syscap = spawn({SYSCAP_BINARY, "record", "-q", "--engine", engine, "-o", trace.string(), "--",
                        workload("wl_signals"), "sleep", ready.string()});
  for (int i = 0; i < 2000 && !std::filesystem::exists(ready); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(std::filesystem::exists(ready)) << "the workload never started";
  kill(syscap, sig);
  int status = wait_for(syscap);
  ASSERT_TRUE(WIFEXITED(status)) << "syscap itself died or hung";
  EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
  ASSERT_TRUE(std::filesystem::exists(trace));
  json t = json::parse(read_file(trace));
  EXPECT_EQ(t["exit"]["signo"], sig);
  EXPECT_TRUE(find_call(t, "clock_nanosleep", "SCMP_ARCH_X86_64") ||
              find_call(t, "nanosleep", "SCMP_ARCH_X86_64"));
}

TEST(Record, SigtermToSyscapIsForwardedAndTheTraceWritten) {
  for (const auto& engine : recording_engines()) interrupt_syscap(SIGTERM, engine);
}
TEST(Record, SigintToSyscapIsForwardedAndTheTraceWritten) {
  for (const auto& engine : recording_engines()) interrupt_syscap(SIGINT, engine);
}

// True while `pid` exists and is not a zombie.
bool running(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

// ptrace: PTRACE_O_EXITKILL, a tracer killed outright takes its tracees with it; bpf: the
// workload's parent-death signal.
void workload_dies_with_syscap(const std::string& engine) {
  SCOPED_TRACE(engine);
  TempDir dir;
  const auto ready = dir.path / "ready";
  pid_t syscap = spawn({SYSCAP_BINARY, "record", "-q", "--engine", engine, "-o", (dir.path / "t.json").string(), "--",
                        workload("wl_signals"), "sleep", ready.string()});
  for (int i = 0; i < 2000 && !std::filesystem::exists(ready); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(std::filesystem::exists(ready)) << "the workload never started";
  const pid_t workload_pid = std::stoi(read_file(ready));
  ASSERT_TRUE(running(workload_pid));
  kill(syscap, SIGKILL);
  ASSERT_NE(wait_for(syscap), -1);
  for (int i = 0; i < 2000 && running(workload_pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(running(workload_pid)) << "the workload outlived its tracer";
}

TEST(Record, WorkloadDiesWithSyscap) {
  for (const auto& engine : recording_engines()) workload_dies_with_syscap(engine);
}

TEST(Record, ReparentedDaemonIsRecorded) {
  TempDir dir;
  const auto out = dir.path / "daemon.out";
  auto r = record({workload("wl_daemon"), out.string()}, dir.path);
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.status, 0);
  // The daemon wrote its line after its parent was gone, and syscap waited for it.
  const std::string line = read_file(out);
  EXPECT_NE(line.find("daemon"), std::string::npos);
  EXPECT_EQ(r.trace["processes"], 3);
  // Only the grandchild makes socketpair; its args were kept.
  const json* sp = find_call(r.trace, "socketpair", "SCMP_ARCH_X86_64");
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->at("args")[0]["name"], "domain");
  EXPECT_EQ(sp->at("args")[0]["values"], json::parse("[1]"));  // AF_UNIX
}

TEST(Record, GroupStoppedChildContinuesAfterSigcont) {
  // The workload checks job control itself through waitpid(WUNTRACED) and exits 20-22 if a
  // stop or continue went missing; a broken group-stop would hang it (wait_for's guard).
  TempDir dir;
  auto r = record({workload("wl_signals"), "stopcont"}, dir.path);
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.status, 0);
}

TEST(Record, SignalHandlersRunUnchanged) {
  TempDir dir;
  auto r = record({workload("wl_signals"), "all"}, dir.path);
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(find_call(r.trace, "rt_sigreturn", "SCMP_ARCH_X86_64"));
  const json* k = find_call(r.trace, "kill", "SCMP_ARCH_X86_64");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->at("args")[0]["name"], "sig");
  const auto values = k->at("args")[0]["values"].get<std::vector<int>>();
  for (int sig : {SIGKILL, SIGUSR2, SIGCONT})
    EXPECT_NE(std::find(values.begin(), values.end(), sig), values.end()) << sig;
}

TEST(Record, Int80CallsAreI386) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Int80);
  TempDir dir;
  auto r = record({workload("wl_int80")}, dir.path);
  ASSERT_EQ(r.status, 0);
  const json* getpid32 = find_call(r.trace, "getpid", "SCMP_ARCH_X86");
  const json* getppid32 = find_call(r.trace, "getppid", "SCMP_ARCH_X86");
  ASSERT_TRUE(getpid32 && getppid32);
  EXPECT_EQ(getpid32->at("nr"), 20);
  EXPECT_EQ(getppid32->at("nr"), 64);
  EXPECT_EQ(getpid32->at("count"), 1);
  // The same names as 64-bit calls are separate entries.
  ASSERT_TRUE(find_call(r.trace, "getpid", "SCMP_ARCH_X86_64"));
  EXPECT_EQ(find_call(r.trace, "getpid", "SCMP_ARCH_X86_64")->at("nr"), 39);
}

TEST(Record, I386StaticBinaryIsAllI386AfterExec) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Exec);
  TempDir dir;
  auto r = record({workload("wl_i386_static")}, dir.path);
  ASSERT_EQ(r.status, 0);
  for (const auto& s : r.trace["syscalls"]) {
    if (s["name"] == "execve") {
      EXPECT_EQ(s["arch"], "SCMP_ARCH_X86_64");  // made by syscap's 64-bit child
    } else {
      EXPECT_EQ(s["arch"], "SCMP_ARCH_X86") << s["name"];
    }
  }
  const json* sc = find_call(r.trace, "socketcall", "SCMP_ARCH_X86");
  ASSERT_TRUE(sc);  // i386 glibc's socket() goes through socketcall(SYS_SOCKET = 1, ...)
  EXPECT_EQ(sc->at("args")[0]["values"], json::parse("[1]"));
  const json* exe = find_call(r.trace, "write", "SCMP_ARCH_X86");
  ASSERT_TRUE(exe);
  EXPECT_EQ(exe->at("first_seen")["exe"], workload("wl_i386_static"));
}

// On a kernel that runs no 32-bit x86 code, the workload's exec error passes through as from a
// shell (exit 126, the kernel's reason) and syscap says why in one more line; the same for
// `profile` and `enforce`.
TEST(Record, I386ProgramOnAKernelWithoutIa32SaysWhy) {
  if (test::machine_ia32().exec_failure.empty())
    GTEST_SKIP() << "this kernel runs i386 programs: the refusal this test checks cannot happen here";
  const std::string program = workload("wl_i386_static");
  const std::string why = program + " is a 32-bit x86 (i386) program, and this kernel runs no 32-bit x86 code";
  TempDir dir;
  const auto trace = (dir.path / "t.json").string();
  const auto allow_all = (dir.path / "allow-all.json").string();
  std::ofstream(allow_all) << R"({"defaultAction": "SCMP_ACT_ALLOW"})";
  std::vector<std::vector<std::string>> commands{
      {SYSCAP_BINARY, "profile", "-o", trace, "--", program},
      {SYSCAP_BINARY, "enforce", "--profile", allow_all, "--", program}};
  for (const auto& engine : recording_engines())
    commands.push_back({SYSCAP_BINARY, "record", "--engine", engine, "-o", trace, "--", program});
  for (const std::vector<std::string>& argv : commands) {
    const auto r = test::run_command(argv);
    EXPECT_EQ(r.status, 126) << argv[1] << ": " << r.describe();
    EXPECT_NE(r.err.find("Exec format error"), std::string::npos) << argv[1] << ": " << r.describe();
    EXPECT_NE(r.err.find(why), std::string::npos) << argv[1] << ": " << r.describe();
    EXPECT_FALSE(std::filesystem::exists(trace)) << argv[1];
  }
}

TEST(Record, ThreadsAndCloneFlags) {
  TempDir dir;
  auto r = record({workload("wl_threads"), "threads"}, dir.path);
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(r.trace["processes"], 5);
  // glibc 2.36 starts threads with clone3 (flags in memory, not recorded); fork-style clone
  // flags are checked in the vfork workload.
  EXPECT_TRUE(find_call(r.trace, "clone3", "SCMP_ARCH_X86_64") ||
              find_call(r.trace, "clone", "SCMP_ARCH_X86_64"));
}

TEST(Record, VforkIsFollowed) {
  TempDir dir;
  auto r = record({workload("wl_vfork_exec")}, dir.path);
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(r.trace["processes"], 4);
  const json* execve = find_call(r.trace, "execve", "SCMP_ARCH_X86_64");
  ASSERT_TRUE(execve);
  EXPECT_EQ(execve->at("count"), 4);  // the command and three /bin/true
}

TEST(Record, ExecFromAThreadKeepsTracing) {
  for (const auto& engine : recording_engines()) {
  SCOPED_TRACE(engine);
  TempDir dir;
  const auto trace = dir.path / "trace.json";
  const auto r = test::run_command({SYSCAP_BINARY, "record", "-q", "--engine", engine, "-o", trace.string(), "--",
                                    workload("wl_threads"), "exec-from-thread"});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_EQ(r.out, "done\n");
  json t = json::parse(read_file(trace));
  EXPECT_EQ(find_call(t, "execve", "SCMP_ARCH_X86_64")->at("count"), 2);
  // The exec'd image ran traced: its write of "done" is there.
  EXPECT_TRUE(find_call(t, "write", "SCMP_ARCH_X86_64"));
  }
}

// A watched argument's values are listed up to 64; past that the list is marked cut, by either
// engine. The BPF engine keeps 65 per argument, so 20,000 distinct values (more than a map
// sized for all of them would hold) lose nothing else and leave the run complete. Python's own
// fcntl calls use a handful of real commands; the workload adds numbers no kernel knows.
TEST(Record, ArgumentValuesPastTheListAreMarkedCut) {
  for (const auto& engine : recording_engines()) {
    SCOPED_TRACE(engine);
    for (const int distinct : {10, 20000}) {
      TempDir dir;
      const auto r = record({"python3", "-c", fcntl_commands_script(fmt::format("range(7000, {})", 7000 + distinct))},
                            dir.path, engine);
      ASSERT_EQ(r.status, 0) << r.err;
      expect_fcntl_commands_kept(r.trace, distinct);
    }
  }
}

TEST(Record, CommandNotFoundIs127AndWritesNoTrace) {
  TempDir dir;
  const auto trace = dir.path / "trace.json";
  const auto r = test::run_command({SYSCAP_BINARY, "record", "-o", trace.string(), "--", "syscap-no-such-command"});
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.status, 127);
  EXPECT_FALSE(std::filesystem::exists(trace));
  EXPECT_NE(r.err.find("syscap-no-such-command: command not found"), std::string::npos) << r.describe();
}

// record, profile and enforce find a command the same way and give the shell's exit codes:
// 127 for a command that does not exist, 126 for one found only as a non-executable file.
TEST(Record, CommandsThatCannotRunGiveTheSameExitCodesAsEnforce) {
  TempDir dir;
  const std::string bin = (dir.path / "bin").string();
  std::filesystem::create_directory(bin);
  std::ofstream(bin + "/not-executable") << "#!/bin/sh\necho ran\n";
  const auto allow_all = (dir.path / "allow-all.json").string();
  std::ofstream(allow_all) << R"({"defaultAction": "SCMP_ACT_ALLOW"})";
  test::CommandOptions o;
  o.env = {"PATH=" + bin + ":/usr/bin:/bin"};
  const auto trace = (dir.path / "t.json").string();
  for (const auto& [command, status, message] :
       {std::tuple<std::string, int, std::string>{"syscap-no-such-command", 127, "syscap-no-such-command: command not found"},
        {"not-executable", 126, "run not-executable: permission denied"},
        {bin + "/not-executable", 126, "Permission denied"}}) {
    for (const std::vector<std::string>& argv :
         {std::vector<std::string>{SYSCAP_BINARY, "record", "-o", trace, "--", command},
          std::vector<std::string>{SYSCAP_BINARY, "profile", "-o", trace, "--", command},
          std::vector<std::string>{SYSCAP_BINARY, "enforce", "--profile", allow_all, "--", command}}) {
      const auto r = test::run_command(argv, o);
      EXPECT_EQ(r.status, status) << argv[1] << " " << command << ": " << r.describe();
      EXPECT_NE(r.err.find(message), std::string::npos) << argv[1] << " " << command << ": " << r.describe();
      EXPECT_EQ(r.out, "") << argv[1] << " " << command;
    }
  }
}

// --version names where the facts come from: the syscall tables' kernel and Docker's profile.
TEST(Cli, VersionNamesTheSourcesOfItsFacts) {
  const auto r = test::run_command({SYSCAP_BINARY, "--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.out.starts_with("syscap ")) << r.out;
  EXPECT_NE(r.out.find("\nsyscall tables: Linux "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nDocker's default profile: moby/profiles seccomp/default.json at "), std::string::npos) << r.out;
}

TEST(Record, ArgumentsAfterTheCommandBelongToIt) {
  // `-q` and `-o` after CMD are the command's, not ours.
  TempDir dir;
  const auto trace = dir.path / "trace.json";
  const auto r =
      test::run_command({SYSCAP_BINARY, "record", "-q", "-o", trace.string(), "sh", "-c", "echo $0 $1", "-q", "-o"});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_EQ(r.out, "-q -o\n");
  json t = json::parse(read_file(trace));
  EXPECT_EQ(t["command"], json::parse(R"(["sh", "-c", "echo $0 $1", "-q", "-o"])"));
}

TEST(Record, SummaryOnStderrUnlessQuiet) {
  TempDir dir;
  const auto trace = dir.path / "trace.json";
  auto r = test::run_command({SYSCAP_BINARY, "record", "-o", trace.string(), "true"});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("distinct syscalls"), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find("1 processes"), std::string::npos) << r.describe();
  EXPECT_EQ(r.out, "");
  r = test::run_command({SYSCAP_BINARY, "record", "-q", "-o", trace.string(), "true"});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_EQ(r.err, "");
}

TEST(Record, TraceMatchesTheContract) {
  TempDir dir;
  auto r = record({"ls", "/"}, dir.path);
  ASSERT_EQ(r.status, 0);
  const json& t = r.trace;
  EXPECT_EQ(t["syscap_trace"], 1);
  EXPECT_EQ(t["command"], json::parse(R"(["ls", "/"])"));
  EXPECT_EQ(t["machine"]["arch"], "SCMP_ARCH_X86_64");
  EXPECT_TRUE(t["machine"]["kernel"].is_string());
  EXPECT_EQ(t["processes"], 1);
  EXPECT_TRUE(t["duration_ms"].is_number());
  EXPECT_EQ(t["capabilities"], json::array());
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& s : t["syscalls"]) {
    order.push_back({s["arch"], s["name"]});
    EXPECT_GE(s["count"].get<int>(), 1);
    EXPECT_TRUE(s["first_seen"]["pid"].is_number());
    EXPECT_TRUE(s["first_seen"]["caller"].get<std::string>().starts_with("0x"));
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  const json* openat = find_call(t, "openat", "SCMP_ARCH_X86_64");
  ASSERT_TRUE(openat);
  EXPECT_EQ(openat->at("nr"), 257);
  EXPECT_EQ(openat->at("first_seen")["exe"], "/usr/bin/ls");
}

}  // namespace
}  // namespace syscap::e2e
