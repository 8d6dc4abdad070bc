// The kernel-event (BPF) engine on real workloads: it loses no process, keeps recordings apart,
// leaves nothing loaded however syscap ends, and fails closed where it cannot load.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "e2e_support.hpp"
#include "syscap/test/command.hpp"
#include "syscap/test/privilege.hpp"

namespace syscap::e2e {
namespace {

using nlohmann::json;

#define SKIP_WITHOUT_BPF_ENGINE() \
  if (!bpf_engine_skip_reason().empty()) GTEST_SKIP() << bpf_engine_skip_reason()

std::uint64_t count_of(const json& trace, const std::string& name, const std::string& arch = "SCMP_ARCH_X86_64") {
  for (const auto& s : trace.at("syscalls"))
    if (s.at("name") == name && s.at("arch") == arch) return s.at("count").get<std::uint64_t>();
  return 0;
}

// The ids of the BPF objects process `pid` holds whose fdinfo has `field` ("prog_id:" for
// programs, "link_id:" for links).
std::set<std::string> ids_held_by(pid_t pid, const std::string& field) {
  std::set<std::string> ids;
  std::error_code ec;
  const std::filesystem::path fdinfo = "/proc/" + std::to_string(pid) + "/fdinfo";
  for (const auto& entry : std::filesystem::directory_iterator(fdinfo, ec)) {
    const std::string text = read_file(entry.path());
    if (auto at = text.find(field); at != std::string::npos)
      ids.insert(text.substr(at + field.size(), text.find('\n', at) - at - field.size()));
  }
  for (auto it = ids.begin(); it != ids.end();) {  // "\t158" -> "158"
    std::string trimmed = it->substr(it->find_first_not_of(" \t"));
    it = ids.erase(it);
    ids.insert(trimmed);
  }
  return ids;
}

std::set<std::string> programs_held_by(pid_t pid) { return ids_held_by(pid, "prog_id:"); }

bool program_loaded(const std::string& id) {
  return test::run_command({"bpftool", "prog", "show", "id", id}).status == 0;
}

TEST(BpfEngine, TenThousandShortProcessesAreAllFollowed) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  auto r = record({workload("wl_fork_storm"), "10000", "8"}, dir.path, "bpf");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count_of(r.trace, "getpgid"), 10000u);
  EXPECT_GE(r.trace.at("processes").get<std::uint64_t>(), 10001u);
  EXPECT_FALSE(r.trace.contains("incomplete")) << r.trace.at("incomplete");
}

// A BPF recording of `owners` chowns of one file, each to another owner (from uid 1000): as
// many capability checks, each judged apart.
Recorded record_chowns(const TempDir& dir, int owners) {
  const std::string file = dir.file("owned");
  std::ofstream(file) << "x";
  const std::string script = fmt::format("import os\nfor uid in range(1000, {}):\n    os.chown('{}', uid, -1)\n",
                                         1000 + owners, file);
  return record({"python3", "-c", script}, dir.path, "bpf");
}

// More distinct capability checks than the program keeps (4,096; here 5,000 chowns, each to
// another owner): the run is marked incomplete, and syscap says so and exits non-zero instead
// of passing it off as complete.
TEST(BpfEngine, MoreCapabilityChecksThanItKeepsMakeTheRunIncomplete) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  auto r = record_chowns(dir, 5000);
  if (r.trace.contains("kernel_checks_unseen")) GTEST_SKIP() << r.trace.at("kernel_checks_unseen").get<std::string>();
  EXPECT_EQ(r.status, 1) << r.err;
  ASSERT_TRUE(r.trace.contains("incomplete")) << r.err;
  EXPECT_NE(r.trace.at("incomplete").dump().find("capability checks that could not be kept"), std::string::npos)
      << r.trace.at("incomplete").dump();
  EXPECT_NE(r.err.find("incomplete"), std::string::npos) << r.err;
}

// Checks that only probe (memory accounting's CAP_SYS_ADMIN on every mmap) are kept without
// their arguments: 6,000 mmaps of 6,000 sizes are one record, counted 6,000 times, not 6,000
// records that would overflow the 4,096 the program keeps; checks that are judged by their
// arguments (the chowns above) are still kept apart.
TEST(BpfEngine, ChecksThatOnlyProbeShareOneRecordWhateverTheirArguments) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  const std::string script =
      "import mmap\nfor i in range(6000):\n    mmap.mmap(-1, 4096 * (1 + i), flags=mmap.MAP_PRIVATE).close()\n";
  auto r = record({"python3", "-c", script}, dir.path, "bpf");
  if (r.trace.contains("kernel_checks_unseen")) GTEST_SKIP() << r.trace.at("kernel_checks_unseen").get<std::string>();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(r.trace.contains("incomplete")) << r.trace.at("incomplete");
  std::uint64_t mmap_checks = 0;
  for (const auto& c : r.trace.at("kernel_checks"))
    if (c.at("capability") == "CAP_SYS_ADMIN" && c.at("syscall") == "mmap") mmap_checks += c.at("checks").get<std::uint64_t>();
  EXPECT_GE(mmap_checks, 6000u) << r.trace.at("kernel_checks").dump();
  EXPECT_TRUE(r.trace.at("capabilities").empty()) << r.trace.at("capabilities").dump();
}

// Counts are exact: a call made N times is counted N times, as by the ptrace engine.
TEST(BpfEngine, CountsEqualThePtraceEngines) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir a, b;
  auto bpf = record({workload("wl_storm"), "200000"}, a.path, "bpf");
  auto ptrace = record({workload("wl_storm"), "200000"}, b.path, "ptrace");
  ASSERT_EQ(bpf.status, 0) << bpf.err;
  ASSERT_EQ(ptrace.status, 0) << ptrace.err;
  EXPECT_EQ(count_of(bpf.trace, "getppid"), 200000u);
  for (const auto& s : ptrace.trace.at("syscalls"))
    EXPECT_EQ(count_of(bpf.trace, s.at("name"), s.at("arch")), s.at("count").get<std::uint64_t>()) << s.at("name");
}

// The limit README states: a call that a seccomp filter outside syscap refuses is seen by
// neither engine (the kernel's seccomp check comes before the ptrace stop and the sys_enter
// tracepoint), so recordings must run unconfined.
TEST(BpfEngine, NeitherEngineSeesACallAnOuterFilterRefuses) {
  TempDir dir;
  {
    std::ofstream(dir.path / "refuse.json")
        << R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO"}]})";
  }
  const std::vector<std::string> confined{SYSCAP_BINARY, "enforce", "--profile", dir.file("refuse.json"), "--",
                                          workload("wl_storm"), "100"};
  std::vector<std::string> engines{"ptrace"};
  if (bpf_engine_skip_reason().empty()) engines.push_back("bpf");
  for (const auto& engine : engines) {
    TempDir out;
    auto r = record(confined, out.path, engine);
    ASSERT_EQ(r.status, 0) << engine << ": " << r.err;
    EXPECT_EQ(count_of(r.trace, "getppid"), 0u) << engine;
    EXPECT_GT(count_of(r.trace, "seccomp"), 0u) << engine << ": the outer filter was never installed";
  }
}

// Two recordings at once: each trace holds its own workload's calls only.
TEST(BpfEngine, ConcurrentRecordingsDoNotSeeEachOther) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir a, b;
  std::thread other([&] {
    test::run_command({SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", b.file("t.json"), "--",
                       workload("wl_fork_storm"), "3000", "4"});
  });
  auto storm = record({workload("wl_storm"), "300000"}, a.path, "bpf");
  other.join();
  ASSERT_EQ(storm.status, 0) << storm.err;
  const json forks = json::parse(read_file(b.path / "t.json"));
  EXPECT_EQ(count_of(storm.trace, "getppid"), 300000u);
  EXPECT_EQ(count_of(storm.trace, "getpgid"), 0u) << "the storm's trace has the other run's calls";
  EXPECT_EQ(count_of(forks, "getpgid"), 3000u);
  EXPECT_EQ(count_of(forks, "getppid"), 0u) << "the fork run's trace has the storm's calls";
}

// SIGKILL of syscap mid-run: the kernel unloads its programs and maps with its last file
// descriptor; nothing is pinned, nothing stays attached; the workload's process dies with it.
TEST(BpfEngine, KilledSyscapLeavesNothingLoaded) {
  SKIP_WITHOUT_BPF_ENGINE();
  if (test::run_command({"bpftool", "version"}).status != 0) GTEST_SKIP() << "no bpftool to list loaded programs";
  TempDir dir;
  const pid_t pid = spawn({SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", dir.file("t.json"), "--",
                           "sleep", "30"});
  // Once the workload runs (its execve comes after the load), every program is loaded: four
  // (sys_enter, fork, exec, exit); five where the kernel's capability checks are watched, which
  // adds cap_capable and sys_exit, and sys_exit does the exec program's work.
  pid_t workload = -1;
  for (int i = 0; i < 200 && workload < 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& entry : std::filesystem::directory_iterator("/proc"))
      if (std::isdigit(entry.path().filename().string()[0]) &&
          read_file(entry.path() / "stat").find("(sleep) S " + std::to_string(pid) + " ") != std::string::npos)
        workload = std::stoi(entry.path().filename().string());
  }
  ASSERT_GT(workload, 0) << "the workload never started under syscap";
  const std::set<std::string> ids = programs_held_by(pid);
  ASSERT_TRUE(ids.size() == 4u || ids.size() == 5u) << ids.size() << " programs held by syscap";
  for (const auto& id : ids) ASSERT_TRUE(program_loaded(id)) << id;
  kill(pid, SIGKILL);
  wait_for(pid);
  for (int i = 0; i < 100 && kill(workload, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_NE(kill(workload, 0), 0) << "the workload outlived syscap";
  for (const auto& id : ids) {
    bool loaded = true;
    for (int i = 0; i < 100 && loaded; ++i) {
      loaded = program_loaded(id);
      if (loaded) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_FALSE(loaded) << "program " << id << " still loaded after SIGKILL of syscap";
  }
}

// A run that ends: syscap's status is seen at once, and its tracepoint links (with the programs
// and maps they hold) are released by a helper that waits for that exit and then goes by itself
// (tracer/process_exit.hpp), not left behind.
TEST(BpfEngine, ItsLinksAreReleasedByAHelperOnceItHasExited) {
  SKIP_WITHOUT_BPF_ENGINE();
  if (syscall(SYS_close_range, ~0U, ~0U, 0) != 0)
    GTEST_SKIP() << "no close_range (Linux 5.9+): syscap releases its programs before it exits";
  if (test::run_command({"bpftool", "version"}).status != 0) GTEST_SKIP() << "no bpftool to list links";
  // Orphans of syscap's come to this process while the test runs: the helper is one.
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
  struct AdoptionEnds {
    ~AdoptionEnds() { prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0); }
  } adoption_ends;
  TempDir dir;
  const pid_t pid = spawn({SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", dir.file("t.json"), "--", "sleep", "0.5"});
  std::set<std::string> links;
  for (int i = 0; i < 200 && links.size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    links = ids_held_by(pid, "link_id:");
  }
  ASSERT_GE(links.size(), 4u) << "syscap never held its tracepoint links";
  const int status = wait_for(pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(std::filesystem::exists(dir.path / "t.json"));
  // Every child left is syscap's orphan (this process has no other): each must end by itself.
  int reaped = 0;
  for (int i = 0; i < 500; ++i) {
    int helper_status = 0;
    const pid_t helper = waitpid(-1, &helper_status, WNOHANG);
    if (helper > 0) {
      ++reaped;
      EXPECT_TRUE(WIFEXITED(helper_status) && WEXITSTATUS(helper_status) == 0) << helper_status;
      continue;
    }
    if (helper < 0) break;  // ECHILD: none left
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(reaped, 1) << "syscap's helper did not outlive it, or never ended";
  for (const auto& id : links)
    EXPECT_NE(test::run_command({"bpftool", "link", "show", "id", id}).status, 0)
        << "link " << id << " still attached after the helper exited";
}

// --engine auto: bpf where it loads and sees the kernel's capability checks, else ptrace; the
// trace says which and why.
// auto is the default: `record` with no --engine and with --engine auto alike.
TEST(BpfEngine, AutoPicksBpfWhereItRecordsEverythingAndSaysWhy) {
  TempDir dir;
  std::filesystem::permissions(dir.path, std::filesystem::perms::all);
  for (const std::vector<std::string>& engine : {std::vector<std::string>{}, std::vector<std::string>{"--engine", "auto"}}) {
    const std::string what = engine.empty() ? "no --engine" : "--engine auto";
    std::vector<std::string> argv{SYSCAP_BINARY, "record"};
    argv.insert(argv.end(), engine.begin(), engine.end());
    std::vector<std::string> as_root = argv;
    as_root.insert(as_root.end(), {"-o", dir.file("t.json"), "--", "true"});
    auto r = test::run_command(as_root);
    ASSERT_EQ(r.status, 0) << what << ": " << r.describe();
    const json trace = json::parse(read_file(dir.path / "t.json"));
    const std::string reason = trace.value("engine_reason", "");
    if (bpf_engine_skip_reason().empty() && trace.contains("kernel_checks")) {
      EXPECT_EQ(trace.at("engine"), "bpf") << what;
      EXPECT_TRUE(reason.starts_with("auto: bpf")) << what << ": " << reason;
      EXPECT_NE(r.err.find("(bpf engine)"), std::string::npos) << what << ": " << r.err;
    } else {
      EXPECT_EQ(trace.at("engine"), "ptrace") << what;
      EXPECT_TRUE(reason.starts_with("auto: ptrace")) << what << ": " << reason;
    }
    // As a user who may not load BPF: ptrace, and the reason names what is missing.
    if (!test::holds_capability(CAP_SETUID)) GTEST_SKIP() << "needs CAP_SETUID to run syscap as another user";
    std::vector<std::string> as_user{"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"};
    as_user.insert(as_user.end(), argv.begin(), argv.end());
    as_user.insert(as_user.end(), {"-o", dir.file("u.json"), "--", "true"});
    auto user = test::run_command(as_user);
    ASSERT_EQ(user.status, 0) << what << ": " << user.describe();
    const json traced = json::parse(read_file(dir.path / "u.json"));
    EXPECT_EQ(traced.at("engine"), "ptrace") << what;
    EXPECT_NE(traced.value("engine_reason", "").find("cannot load"), std::string::npos) << what << ": " << traced.dump();
    std::filesystem::remove(dir.path / "u.json");
  }
}

// --cpu-placement places the ptrace engine's tracer: given, auto takes ptrace and says why;
// with --engine bpf it is refused before anything runs (nothing weaker than asked, silently).
TEST(BpfEngine, CpuPlacementIsThePtraceEnginesOption) {
  TempDir dir;
  auto r = test::run_command({SYSCAP_BINARY, "record", "--cpu-placement", "none", "-o", dir.file("t.json"), "--", "true"});
  ASSERT_EQ(r.status, 0) << r.describe();
  const json trace = json::parse(read_file(dir.path / "t.json"));
  EXPECT_EQ(trace.at("engine"), "ptrace");
  EXPECT_EQ(trace.value("engine_reason", ""), "auto: ptrace, --cpu-placement places the ptrace engine's tracer");

  const std::string marker = dir.file("ran");
  auto refused = test::run_command({SYSCAP_BINARY, "record", "--engine", "bpf", "--cpu-placement", "none", "-o",
                                    dir.file("u.json"), "--", "touch", marker});
  EXPECT_EQ(refused.status, 2) << refused.describe();
  EXPECT_NE(refused.err.find("--cpu-placement"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the command ran";
  EXPECT_FALSE(std::filesystem::exists(dir.path / "u.json"));
}

// `record --engine bpf -o DIR/t.json -- touch DIR/ran`, run under `prefix` (another user, another
// PID namespace), is refused before the command runs: exit 125, `why` said, no trace.
void expect_bpf_refused_before_the_command(const std::vector<std::string>& prefix, const TempDir& dir,
                                           const std::string& why) {
  const std::string marker = dir.file("ran");
  auto args = prefix;
  args.insert(args.end(), {SYSCAP_BINARY, "record", "--engine", "bpf", "-o", dir.file("t.json"), "--", "/bin/touch", marker});
  auto r = test::run_command(args);
  EXPECT_EQ(r.status, 125) << r.describe();
  EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("; not running /bin/touch\n"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the command ran";
  EXPECT_FALSE(std::filesystem::exists(dir.path / "t.json"));
}

// Where it cannot load (here: a user without CAP_BPF/CAP_PERFMON), nothing runs: exit 125 and
// why, ending with what did not start (the command, or the attaching for --pid).
TEST(BpfEngine, WithoutPrivilegeItRefusesBeforeTheCommandRuns) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  std::filesystem::permissions(dir.path, std::filesystem::perms::all);
  const std::vector<std::string> as_nobody{"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"};
  expect_bpf_refused_before_the_command(as_nobody, dir, "CAP_BPF");

  auto args = as_nobody;
  const std::string pid = std::to_string(getpid());
  args.insert(args.end(), {SYSCAP_BINARY, "profile", "--engine", "bpf", "-o", dir.file("p.json"), "--pid", pid});
  auto attached = test::run_command(args);
  EXPECT_EQ(attached.status, 125) << attached.describe();
  EXPECT_NE(attached.err.find("; not attaching to pid " + pid + "\n"), std::string::npos) << attached.err;
}

// In a PID namespace of its own (a container's), syscap's pids are not the ones BPF programs
// see: the BPF engine refuses before the command runs and says why; auto records with ptrace
// and says why; and the ptrace engine's capabilities come from its rule model alone, the trace
// saying the kernel's checks were not watched (not that the kernel checked nothing, which would
// mark every capability found "unchecked"). With the namespace's own proc mount and with the
// host's.
TEST(BpfEngine, InAPidNamespaceOfItsOwnItRefusesAndAutoRecordsWithPtrace) {
  SKIP_WITHOUT_BPF_ENGINE();
  for (const bool own_proc : {true, false}) {
    SCOPED_TRACE(own_proc ? "with the namespace's own /proc" : "with the host's /proc");
    std::vector<std::string> in_namespace{"unshare", "--pid", "--fork"};
    if (own_proc) in_namespace.push_back("--mount-proc");
    auto probe = in_namespace;
    probe.push_back("true");
    if (auto p = test::run_command(probe); p.status != 0)
      GTEST_SKIP() << "cannot make a PID namespace here (unshare --pid --fork): " << p.describe();

    TempDir dir;
    expect_bpf_refused_before_the_command(in_namespace, dir, "runs in a PID namespace of its own");

    auto args = in_namespace;
    args.insert(args.end(), {SYSCAP_BINARY, "record", "-q", "-o", dir.file("auto.json"), "--", workload("wl_cap_chown"), "need"});
    auto recorded = test::run_command(args);
    ASSERT_EQ(recorded.status, 0) << recorded.describe();
    const json trace = json::parse(read_file(dir.path / "auto.json"));
    EXPECT_EQ(trace.at("engine"), "ptrace");
    EXPECT_NE(trace.value("engine_reason", "").find("PID namespace of its own"), std::string::npos) << trace.dump();
    EXPECT_FALSE(trace.contains("kernel_checks")) << trace.dump();
    EXPECT_NE(trace.value("kernel_checks_unseen", "").find("PID namespace of its own"), std::string::npos) << trace.dump();
    EXPECT_FALSE(trace.contains("unchecked_capabilities")) << trace.at("unchecked_capabilities");
    EXPECT_EQ(trace.at("capabilities").size(), 1u) << trace.at("capabilities");
    EXPECT_EQ(trace.at("capabilities").at(0).at("name"), "CAP_CHOWN") << trace.at("capabilities");
    EXPECT_GE(count_of(trace, "fchownat") + count_of(trace, "chown"), 1u);
  }
}
// What a trace says of the kernel's capability checks, without the counts and first callers.
std::set<std::string> kinds_of_checks(const json& trace) {
  std::set<std::string> kinds;
  for (const auto& c : trace.value("kernel_checks", json::array()))
    kinds.insert(fmt::format("{} {} {} {} initial_ns={} refused={}", c.at("capability").get<std::string>(),
                             c.at("granted").get<bool>(), c.at("syscall").get<std::string>(),
                             c.at("arch").get<std::string>(), c.at("initial_user_ns").get<bool>(),
                             c.at("refused").get<std::uint64_t>() > 0));
  return kinds;
}

// On the kernel syscap was built on, the program is relocated against the few types it uses,
// embedded at build time (tracer/src/bpf_kernel_btf.hpp), instead of the kernel's 5 MB of BTF;
// SYSCAP_BPF_KERNEL_BTF=1 asks for the kernel's own. Every field the program reads (thread
// groups at fork, the credentials and user namespace of a check, the registers of the call in
// flight, its result) comes out the same either way.
TEST(BpfEngine, TheBuildsMinimalBtfRecordsWhatTheKernelsOwnDoes) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  { std::ofstream(dir.path / "owned") << "x"; }
  std::filesystem::permissions(dir.path, std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                             std::filesystem::perms::others_exec);
  // Root's chowns are granted, nobody's is refused (the file is root's): checks both ways.
  const std::string script = "chown nobody " + dir.file("owned") + "; chown root " + dir.file("owned") +
                             "; ls /root > /dev/null; setpriv --reuid=65534 --clear-groups chown root " +
                             dir.file("owned") + " 2>/dev/null; exit 0";
  auto run = [&](const std::string& name, std::vector<std::string> env) {
    test::CommandOptions options;
    options.env = std::move(env);
    auto r = test::run_command({SYSCAP_BINARY, "-v", "record", "--engine", "bpf", "-o", dir.file(name), "--",
                                "/bin/sh", "-c", script},
                               options);
    EXPECT_EQ(r.status, 0) << r.describe();
    return r;
  };
  auto own = run("own.json", {"SYSCAP_BPF_KERNEL_BTF=1"});
  EXPECT_NE(own.err.find("relocated against the kernel's BTF (/sys/kernel/btf/vmlinux): SYSCAP_BPF_KERNEL_BTF=1"),
            std::string::npos)
      << own.err;
  auto built = run("built.json", {});
  // -v shows libbpf's own messages (formatted only then), each once prefixed.
  EXPECT_NE(built.err.find("libbpf: loading object"), std::string::npos) << built.err;
  EXPECT_EQ(built.err.find("libbpf: libbpf:"), std::string::npos) << built.err;
  const auto said = built.err.find("relocated against ");
  ASSERT_NE(said, std::string::npos) << built.err;
  const std::string which = built.err.substr(said, built.err.find('\n', said) - said);
  if (which.find("minimal BTF built for this kernel") == std::string::npos)
    GTEST_SKIP() << "the embedded BTF does not fit here, both runs used the kernel's: " << which;

  const json a = json::parse(read_file(dir.path / "own.json"));
  const json b = json::parse(read_file(dir.path / "built.json"));
  EXPECT_EQ(trace_names(a), trace_names(b)) << describe_difference(trace_names(a), trace_names(b));
  EXPECT_EQ(a.at("processes"), b.at("processes"));
  EXPECT_EQ(a.at("capabilities").size(), b.at("capabilities").size());
  for (std::size_t i = 0; i < std::min(a.at("capabilities").size(), b.at("capabilities").size()); ++i)
    EXPECT_EQ(a.at("capabilities")[i].at("name"), b.at("capabilities")[i].at("name"));
  if (!b.contains("kernel_checks") && b.contains("kernel_checks_unseen"))
    GTEST_SKIP() << "the kernel's capability checks are not watched here (" << b.at("kernel_checks_unseen")
                 << "): compared without them";
  ASSERT_TRUE(b.contains("kernel_checks")) << b.dump();
  EXPECT_EQ(kinds_of_checks(a), kinds_of_checks(b));
  EXPECT_EQ(count_of(a, "fchownat"), 3u);
  EXPECT_EQ(count_of(b, "fchownat"), 3u);
  // The unprivileged chown was refused, and each trace says the kernel refused CAP_CHOWN.
  const auto kinds = kinds_of_checks(b);
  EXPECT_TRUE(std::ranges::any_of(kinds, [](const std::string& kind) {
    return kind.starts_with("CAP_CHOWN false fchownat ") && kind.ends_with("initial_ns=true refused=true");
  })) << b.at("kernel_checks").dump();
}

// A program's name is the kernel's (bprm->filename): the path execve was given (a "#!"
// script's own, not its interpreter's), or "/dev/fd/<n>[/<path>]" for an execveat relative to a
// descriptor; an exec that fails renames nothing. Where the capability checks are watched,
// sys_exit starts a group's recording at its exec; without them (SYSCAP_BPF_CHECKS=0, as on
// kernels before 6.14) a program on the exec tracepoint does: both name the programs the same,
// and record every call of each.
TEST(BpfEngine, ProgramsAreNamedAsTheKernelRanThemWithOrWithoutTheChecks) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  const std::string program = workload("wl_exec_names");
  auto run = [&](const std::string& name, std::vector<std::string> env) {
    test::CommandOptions options;
    options.env = std::move(env);
    auto r = test::run_command(
        {SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", dir.file(name), "--", program, dir.path.string()},
        options);
    EXPECT_EQ(r.status, 0) << r.describe();
    return json::parse(read_file(dir.path / name));
  };
  auto first_caller = [](const json& trace, const std::string& call) -> std::string {
    for (const auto& s : trace.at("syscalls"))
      if (s.at("name") == call && s.at("arch") == "SCMP_ARCH_X86_64") return s.at("first_seen").at("exe");
    return "(" + call + " not recorded)";
  };
  const json with = run("with.json", {});
  const json without = run("without.json", {"SYSCAP_BPF_CHECKS=0"});
  EXPECT_FALSE(without.contains("kernel_checks")) << "SYSCAP_BPF_CHECKS=0 still watched the checks";
  EXPECT_EQ(without.value("kernel_checks_unseen", ""), "SYSCAP_BPF_CHECKS=0") << without.dump();
  for (const json* trace : {&with, &without}) {
    EXPECT_EQ(first_caller(*trace, "sched_yield"), "/dev/fd/40/wl_exec_names");
    EXPECT_EQ(first_caller(*trace, "getpgrp"), "/dev/fd/41");
    EXPECT_EQ(first_caller(*trace, "times"), std::filesystem::canonical(program).string());  // its own readlink
    EXPECT_EQ(first_caller(*trace, "getsid"), program);  // after the failed exec
    EXPECT_EQ(first_caller(*trace, "getpriority"), dir.file("wl_exec_names.sh"));
    EXPECT_EQ(trace->at("processes"), 6);
    EXPECT_EQ(count_of(*trace, "execveat"), 4u);
    EXPECT_EQ(count_of(*trace, "execve"), 2u);
  }
  EXPECT_EQ(trace_names(with), trace_names(without)) << describe_difference(trace_names(with), trace_names(without));
}

// SYSCAP_BPF_CHECKS is 0 or 1; anything else is refused before the command runs, not taken for
// one of them.
TEST(BpfEngine, ASysCapBpfChecksOtherThanZeroOrOneIsRefused) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  for (const std::string value : {"no", "", "00", "1 "}) {
    test::CommandOptions options;
    options.env = {"SYSCAP_BPF_CHECKS=" + value};
    auto r = test::run_command({SYSCAP_BINARY, "record", "--engine", "bpf", "-o", dir.file("t.json"), "--", "touch",
                                dir.file("ran")},
                               options);
    EXPECT_EQ(r.status, 125) << "'" << value << "': " << r.describe();
    EXPECT_NE(r.err.find("SYSCAP_BPF_CHECKS"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("expected 0 (no capability checks) or 1, got '" + value + "'"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path / "ran")) << "the command ran with SYSCAP_BPF_CHECKS='" << value << "'";
  }
  test::CommandOptions on;
  on.env = {"SYSCAP_BPF_CHECKS=1"};
  auto r = test::run_command({SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", dir.file("t.json"), "--", "true"}, on);
  EXPECT_EQ(r.status, 0) << r.describe();
}

// Each watched argument's values, as "name arch argument: values".
std::set<std::string> argument_values(const json& trace) {
  std::set<std::string> out;
  for (const auto& s : trace.at("syscalls"))
    for (const auto& a : s.value("args", json::array()))
      out.insert(fmt::format("{} {} {}: {}", s.at("name").get<std::string>(), s.at("arch").get<std::string>(),
                             a.at("name").get<std::string>(), a.dump()));
  return out;
}

// The program's hash maps of first callers, argument values and capability checks are small
// (their bucket arrays are what costs at load), and what does not fit goes to a trie behind
// each. With the hashes cut to one entry (SYSCAP_BPF_SPILL_AT=1) nearly everything goes there,
// and the trace is the one the hashes alone give: every call with its arguments' values and its
// first caller, every kind of check, the same capabilities.
TEST(BpfEngine, WhatOutgrowsTheSmallHashMapsGoesToTheirSpillTries) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  { std::ofstream(dir.path / "owned") << "x"; }
  const std::string script = "chown nobody " + dir.file("owned") + "; ls -l /root /proc/self/fd > /dev/null; chmod 600 " +
                             dir.file("owned") + "; setpriv --reuid=65534 --clear-groups cat " + dir.file("owned") +
                             " 2>/dev/null; exit 0";
  auto run = [&](const std::string& name, std::vector<std::string> env) {
    test::CommandOptions options;
    options.env = std::move(env);
    auto r = test::run_command(
        {SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", dir.file(name), "--", "/bin/sh", "-c", script}, options);
    EXPECT_EQ(r.status, 0) << r.describe();
    return json::parse(read_file(dir.path / name));
  };
  const json hashed = run("hashed.json", {});
  const json spilled = run("spilled.json", {"SYSCAP_BPF_SPILL_AT=1"});
  for (const json* trace : {&hashed, &spilled}) {
    EXPECT_FALSE(trace->contains("incomplete")) << trace->at("incomplete");
    for (const auto& s : trace->at("syscalls"))
      EXPECT_FALSE(s.value("first_seen", json::object()).value("exe", "").empty()) << "no first caller: " << s.dump();
  }
  EXPECT_GT(spilled.at("syscalls").size(), 20u) << spilled.dump();
  EXPECT_EQ(trace_names(hashed), trace_names(spilled)) << describe_difference(trace_names(hashed), trace_names(spilled));
  EXPECT_EQ(argument_values(hashed), argument_values(spilled))
      << describe_difference(argument_values(hashed), argument_values(spilled));
  auto capabilities = [](const json& trace) {
    std::set<std::string> out;
    for (const auto& c : trace.at("capabilities"))
      for (const auto& e : c.at("evidence"))
        out.insert(c.at("name").get<std::string>() + " " + e.at("syscall").get<std::string>() + ": " +
                   e.at("why").get<std::string>());
    return out;
  };
  EXPECT_EQ(capabilities(hashed), capabilities(spilled)) << describe_difference(capabilities(hashed), capabilities(spilled));
  if (!spilled.contains("kernel_checks")) GTEST_SKIP() << spilled.value("kernel_checks_unseen", "checks not watched");
  EXPECT_GE(spilled.at("kernel_checks").size(), 3u) << spilled.at("kernel_checks").dump();
  EXPECT_EQ(kinds_of_checks(hashed), kinds_of_checks(spilled));
}

// Through the spill trie (SYSCAP_BPF_SPILL_AT=1: every value but one goes there) an argument
// keeps its share as through the hash: a value made again and again is one value, so five made
// 100 times each leave room for the five that follow, and the list is marked cut only past 64
// distinct ones.
TEST(BpfEngine, ArgumentValuesInTheSpillTrieKeepTheirShare) {
  SKIP_WITHOUT_BPF_ENGINE();
  for (const auto& [distinct, cmds] :
       {std::pair{10, std::string("[c for _ in range(100) for c in range(7000, 7005)] + list(range(7005, 7010))")},
        std::pair{20000, std::string("range(7000, 27000)")}}) {
    SCOPED_TRACE(fmt::format("{} values", distinct));
    TempDir dir;
    test::CommandOptions options;
    options.env = {"SYSCAP_BPF_SPILL_AT=1"};
    auto r = test::run_command({SYSCAP_BINARY, "record", "-q", "--engine", "bpf", "-o", dir.file("t.json"), "--",
                                "python3", "-c", fcntl_commands_script(cmds)},
                               options);
    ASSERT_EQ(r.status, 0) << r.describe();
    expect_fcntl_commands_kept(json::parse(read_file(dir.path / "t.json")), distinct);
  }
}

// Without the variable: 3,000 checks each judged apart (chowns to 3,000 owners) outgrow the
// checks' hash (2,048) and are all kept, the rest in the trie, with their counts and results.
TEST(BpfEngine, MoreChecksThanTheHashHoldsAreAllKept) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  auto r = record_chowns(dir, 3000);
  if (r.trace.contains("kernel_checks_unseen")) GTEST_SKIP() << r.trace.at("kernel_checks_unseen").get<std::string>();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(r.trace.contains("incomplete")) << r.trace.at("incomplete");
  // The trace sums checks by kind: all 3,000 counted, each with its call's result.
  std::uint64_t checks = 0, returned = 0;
  for (const auto& c : r.trace.at("kernel_checks"))
    if (c.at("capability") == "CAP_CHOWN") {  // chown, or fchownat where python makes that call
      checks += c.at("checks").get<std::uint64_t>();
      returned += c.at("returned").get<std::uint64_t>();
    }
  EXPECT_EQ(checks, 3000u) << r.trace.at("kernel_checks").dump();
  EXPECT_EQ(returned, 3000u) << r.trace.at("kernel_checks").dump();
  EXPECT_FALSE(r.trace.at("capabilities").empty());
}

// SYSCAP_BPF_SPILL_AT is a number of entries from 1 to the largest hash's size; anything else
// is refused before the command runs.
TEST(BpfEngine, ASpillSizeThatIsNotANumberOfEntriesIsRefused) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  for (const std::string value : {"0", "", "x", "12k", "-1", "2049", "99999999999"}) {
    test::CommandOptions options;
    options.env = {"SYSCAP_BPF_SPILL_AT=" + value};
    auto r = test::run_command({SYSCAP_BINARY, "record", "--engine", "bpf", "-o", dir.file("t.json"), "--", "touch",
                                dir.file("ran")},
                               options);
    EXPECT_EQ(r.status, 125) << "'" << value << "': " << r.describe();
    EXPECT_NE(r.err.find("SYSCAP_BPF_SPILL_AT: expected a number of entries from 1 to 2048, got '" + value + "'"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path / "ran")) << "the command ran with SYSCAP_BPF_SPILL_AT='" << value << "'";
  }
}

TEST(BpfEngine, TraceAndSummaryNameTheEngineAndItsProfileRuns) {
  SKIP_WITHOUT_BPF_ENGINE();
  TempDir dir;
  auto rec = test::run_command({SYSCAP_BINARY, "record", "--engine", "bpf", "-o", dir.file("t.json"), "--", "true"});
  ASSERT_EQ(rec.status, 0) << rec.describe();
  EXPECT_NE(rec.err.find("(bpf engine)"), std::string::npos) << rec.err;
  const json trace = json::parse(read_file(dir.path / "t.json"));
  EXPECT_EQ(trace.at("engine"), "bpf");
  // generate warns only where the capabilities could not be judged (no kernel_checks).
  const bool checks_seen = trace.contains("kernel_checks");
  EXPECT_NE(checks_seen, trace.contains("kernel_checks_unseen")) << trace.dump();
  auto gen = test::run_command({SYSCAP_BINARY, "generate", "-o", dir.file("p.json"), dir.file("t.json")});
  EXPECT_EQ(gen.status, 0) << gen.describe();
  if (checks_seen)
    EXPECT_EQ(gen.err.find("could not see"), std::string::npos) << gen.err;
  else
    EXPECT_NE(gen.err.find("could not see"), std::string::npos) << gen.err;
  // profile: record with the engine and generate in one step; the profile runs the workload.
  auto prof = test::run_command({SYSCAP_BINARY, "profile", "--engine", "bpf", "--runtime", "none", "-o",
                                 dir.file("q.json"), "--", "/bin/ls", "/"});
  ASSERT_EQ(prof.status, 0) << prof.describe();
  auto under = test::run_command({SYSCAP_BINARY, "enforce", "--profile", dir.file("q.json"), "--", "/bin/ls", "/"});
  EXPECT_EQ(under.status, 0) << under.describe();
  auto refused = test::run_command({SYSCAP_BINARY, "enforce", "--profile", dir.file("q.json"), "--", "/bin/mkdir",
                                    dir.file("d")});
  EXPECT_NE(refused.status, 0) << refused.describe();
  EXPECT_FALSE(std::filesystem::exists(dir.path / "d")) << "mkdir was not refused";
}

}  // namespace
}  // namespace syscap::e2e
