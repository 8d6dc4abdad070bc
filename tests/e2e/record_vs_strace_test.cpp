// `syscap record` must see exactly the syscall names that `strace -f` sees for the same command.
//
// How the two are aligned, and why no name is excluded:
// - strace hides what its own child does before the command's first execve
//   (hide_log_until_execve), and it execs the path it resolved itself; syscap's child installs
//   the filter and then execs the path it resolved itself. Both outputs therefore start with
//   the same execve, and nothing of either tool appears in either.
// - strace 6.1 prints syscalls newer than itself as "syscall_0x..."; the parser maps those
//   numbers to names with our tables (x86_64).
// - strace writes 32-bit calls under their i386 names without marking them in its -o file (the
//   "[ Process PID=... runs in 32 bit mode. ]" note goes nowhere with -qq/-o), so arches are
//   compared by name only here; tests in record_behaviour_test.cpp check that the int $0x80
//   and i386 calls are recorded as SCMP_ARCH_X86 with their i386 numbers.
// - strace shows i386 socketcall(2) by its sub-call ("socket", "connect", ...), the kernel and
//   seccomp see socketcall (nr 102) with the sub-call number in arg0. syscap keeps those arg0
//   values, so the comparison spells our socketcall entries as strace does (and checks by
//   that that the sub-call numbers were recorded). i386 ipc(2) would need the same; no
//   workload here uses it.
// - strace ends by killing itself with the workload's fatal signal; syscap exits 128+N like a
//   shell. Exit statuses are compared in shell form.
// - Some calls depend on timing, not on the program: futex only under lock contention,
//   restart_syscall only when a signal interrupts a sleep, sched_yield in spin loops. Each
//   command is therefore compared up to three times (both tools run again each time) and the
//   test fails only if no run agreed; the failure message shows the last difference.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <functional>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <optional>

#include "e2e_support.hpp"
#include "syscap/test/ia32.hpp"

namespace syscap::e2e {
namespace {

struct Case {
  std::string name;
  std::function<std::vector<std::string>(const std::filesystem::path& dir)> argv;
  std::optional<test::Ia32Form> ia32 = std::nullopt;  // the 32-bit code it runs, if any
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// Our names, with i386 socketcall spelled as strace spells it: by the recorded sub-calls.
std::set<std::string> names_as_strace_spells_them(const nlohmann::json& trace) {
  static const char* const kSocketcalls[] = {
      "",        "socket",   "bind",       "connect", "listen",   "accept",     "getsockname",
      "getpeername", "socketpair", "send", "recv",  "sendto",   "recvfrom",   "shutdown",
      "setsockopt", "getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg", "sendmmsg"};
  std::set<std::string> names;
  for (const auto& s : trace.at("syscalls")) {
    if (s.at("name") == "socketcall" && s.at("arch") == "SCMP_ARCH_X86") {
      for (std::uint64_t call : s.at("args").at(0).at("values").get<std::vector<std::uint64_t>>())
        names.insert(call < std::size(kSocketcalls) ? kSocketcalls[call] : "socketcall");
    } else {
      names.insert(s.at("name").get<std::string>());
    }
  }
  return names;
}

class RecordVsStrace : public ::testing::TestWithParam<Case> {};

TEST_P(RecordVsStrace, SameSyscallNames) {
  if (GetParam().ia32) SYSCAP_SKIP_WITHOUT_IA32(*GetParam().ia32);
  std::string last_difference;
  for (int attempt = 0; attempt < 3; ++attempt) {
    TempDir dir;
    const auto argv = GetParam().argv(dir.path);
    StraceResult strace = strace_names(argv, dir.path);
    ASSERT_FALSE(strace.names.empty()) << "strace saw nothing";
    TempDir dir2;
    const auto argv2 = GetParam().argv(dir2.path);
    Recorded ours = record(argv2, dir2.path);
    ASSERT_FALSE(ours.trace.is_null()) << "no trace written";
    EXPECT_EQ(ours.status, strace.status) << "exit statuses differ";
    const auto names = names_as_strace_spells_them(ours.trace);
    if (names == strace.names) return;
    last_difference = describe_difference(names, strace.names);
  }
  ADD_FAILURE() << "syscall names differ in three runs; last: " << last_difference;
}

std::vector<std::string> sh(const std::string& script) { return {"sh", "-c", script}; }

const Case kCases[] = {
    {"ls", [](const auto&) { return std::vector<std::string>{"ls", "-l", "/"}; }},
    {"sh_pipeline", [](const auto&) { return sh("ls / | sort -r | wc -l | cat >/dev/null"); }},
    {"python3_threads_subprocess",
     [](const auto&) {
       return std::vector<std::string>{
           "python3", "-c",
           "import threading, subprocess\n"
           "ts = [threading.Thread(target=lambda: open('/etc/hostname').read()) for _ in range(4)]\n"
           "[t.start() for t in ts]\n"
           "[t.join() for t in ts]\n"
           "subprocess.run(['true'], check=True)\n"};
     }},
    {"tar_create_extract",
     [](const std::filesystem::path& dir) {
       const std::string d = dir.string();
       return sh("mkdir -p " + d + "/src/sub " + d + "/out && echo hi > " + d + "/src/sub/f && " +
                 "tar -C " + d + " -cf " + d + "/a.tar src && tar -C " + d + "/out -xf " + d +
                 "/a.tar");
     }},
    {"wl_threads", [](const auto&) { return std::vector<std::string>{workload("wl_threads"), "threads"}; }},
    {"wl_exec_from_thread",
     [](const auto&) { return std::vector<std::string>{workload("wl_threads"), "exec-from-thread"}; }},
    {"wl_vfork_exec", [](const auto&) { return std::vector<std::string>{workload("wl_vfork_exec")}; }},
    {"wl_daemon",
     [](const std::filesystem::path& dir) {
       return std::vector<std::string>{workload("wl_daemon"), (dir / "daemon.out").string()};
     }},
    {"wl_signals", [](const auto&) { return std::vector<std::string>{workload("wl_signals"), "all"}; }},
    {"wl_signals_segv", [](const auto&) { return std::vector<std::string>{workload("wl_signals"), "segv"}; }},
    {"wl_i386_static", [](const auto&) { return std::vector<std::string>{workload("wl_i386_static")}; },
     test::Ia32Form::Exec},
    {"wl_int80", [](const auto&) { return std::vector<std::string>{workload("wl_int80")}; }, test::Ia32Form::Int80},
};

INSTANTIATE_TEST_SUITE_P(Commands, RecordVsStrace, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

// The argument values each engine recorded, by (name, arch) and argument index.
using ArgSets = std::map<std::string, std::set<std::uint64_t>>;
ArgSets arg_sets(const nlohmann::json& trace) {
  ArgSets sets;
  for (const auto& s : trace.at("syscalls"))
    if (s.contains("args"))
      for (const auto& a : s.at("args"))
        sets[fmt::format("{} {} arg{}", s.at("name").get<std::string>(), s.at("arch").get<std::string>(),
                         a.at("index").get<int>())] = a.at("values").get<std::set<std::uint64_t>>();
  return sets;
}

std::string describe_arg_difference(const ArgSets& bpf, const ArgSets& ptrace) {
  std::string out;
  for (const auto& [key, values] : bpf)
    if (!ptrace.count(key) || ptrace.at(key) != values)
      out += fmt::format(" {}: bpf {} ptrace {};", key, fmt::join(values, ","),
                         ptrace.count(key) ? fmt::format("{}", fmt::join(ptrace.at(key), ",")) : "-");
  for (const auto& [key, values] : ptrace)
    if (!bpf.count(key)) out += fmt::format(" {}: only ptrace {};", key, fmt::join(values, ","));
  return out;
}

// The kernel-event engine records what the ptrace engine and strace see: the same (name, arch)
// set, the same argument values, the same exit status.
class BpfEngineVsPtrace : public ::testing::TestWithParam<Case> {};

TEST_P(BpfEngineVsPtrace, SameSyscallsAndArguments) {
  if (!bpf_engine_skip_reason().empty()) GTEST_SKIP() << bpf_engine_skip_reason();
  if (GetParam().ia32) SYSCAP_SKIP_WITHOUT_IA32(*GetParam().ia32);
  std::string last_difference;
  for (int attempt = 0; attempt < 3; ++attempt) {
    TempDir dir, dir2, dir3;
    StraceResult strace = strace_names(GetParam().argv(dir.path), dir.path);
    Recorded bpf = record(GetParam().argv(dir2.path), dir2.path, "bpf");
    ASSERT_FALSE(bpf.trace.is_null()) << "no trace written: " << bpf.err;
    EXPECT_EQ(bpf.trace.at("engine"), "bpf");
    EXPECT_EQ(bpf.status, strace.status) << "exit statuses differ";
    Recorded ptrace = record(GetParam().argv(dir3.path), dir3.path, "ptrace");
    ASSERT_FALSE(ptrace.trace.is_null()) << "no ptrace trace written";
    const auto names = names_as_strace_spells_them(bpf.trace);
    std::set<std::pair<std::string, std::string>> bpf_calls, ptrace_calls;
    for (const auto& s : bpf.trace.at("syscalls")) bpf_calls.insert({s.at("name").get<std::string>(), s.at("arch").get<std::string>()});
    for (const auto& s : ptrace.trace.at("syscalls")) ptrace_calls.insert({s.at("name").get<std::string>(), s.at("arch").get<std::string>()});
    const ArgSets bpf_args = arg_sets(bpf.trace), ptrace_args = arg_sets(ptrace.trace);
    if (names == strace.names && bpf_calls == ptrace_calls && bpf_args == ptrace_args) return;
    last_difference = "against strace: " + describe_difference(names, strace.names) +
                      "; against ptrace: " + describe_difference(trace_names(bpf.trace), trace_names(ptrace.trace)) +
                      "; arguments:" + describe_arg_difference(bpf_args, ptrace_args);
  }
  ADD_FAILURE() << "the engines differ in three runs; last: " << last_difference;
}

INSTANTIATE_TEST_SUITE_P(Commands, BpfEngineVsPtrace, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

TEST(StraceParser, ReadsCallsResumptionsAndIgnoresNotes) {
  const std::string text =
      "100   execve(\"/bin/ls\", [\"ls\"], 0x7ffd /* 3 vars */) = 0\n"
      "101   read(3,  <unfinished ...>\n"
      "102   <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 102\n"
      "100   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---\n"
      "100   restart_syscall(<... resuming interrupted nanosleep ...>) = 0\n"
      "100   syscall_0x1ce(0x1, 0x2) = -1 ENOSYS (Function not implemented)\n"
      "[ Process PID=100 runs in 32 bit mode. ]\n"
      "100   +++ exited with 0 +++\n";
  EXPECT_EQ(parse_strace(text), (std::set<std::string>{"execve", "read", "wait4", "restart_syscall",
                                                       "mseal"}));
}

}  // namespace
}  // namespace syscap::e2e
