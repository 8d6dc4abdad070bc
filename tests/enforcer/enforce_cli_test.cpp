// The real `syscap enforce` and `syscap compile` on real commands.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

using test::run;
using V = std::vector<std::string>;

const V kDocker14 = {"--cap-drop", "ALL",         "--cap-add", "CHOWN",      "--cap-add", "DAC_OVERRIDE",
                     "--cap-add",  "FSETID",      "--cap-add", "FOWNER",     "--cap-add", "MKNOD",
                     "--cap-add",  "NET_RAW",     "--cap-add", "SETGID",     "--cap-add", "SETUID",
                     "--cap-add",  "SETFCAP",     "--cap-add", "SETPCAP",    "--cap-add", "NET_BIND_SERVICE",
                     "--cap-add",  "SYS_CHROOT",  "--cap-add", "KILL",       "--cap-add", "AUDIT_WRITE"};

V enforce(const std::string& profile, const V& caps, const V& command) {
  V argv = {SYSCAP_BINARY, "enforce", "--profile", profile};
  argv.insert(argv.end(), caps.begin(), caps.end());
  argv.push_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

const char* kThreads =
    "import threading\n"
    "out = []\n"
    "ts = [threading.Thread(target=out.append, args=(i,)) for i in range(4)]\n"
    "[t.start() for t in ts]; [t.join() for t in ts]\n"
    "print(sorted(out))\n";

TEST(EnforceCli, PythonThreadsRunUnderDockerDefaultWithAllCapsAndWithDocker14) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  std::string profile = test::data_file("docker-default.json");
  for (const V& caps : {V{"--cap-add", "ALL"}, kDocker14, V{}}) {
    // Naming Docker's 14 asks for them: a caller who does not hold them is refused (125).
    if (caps == kDocker14 && (test::all_caps().bits & docker_default_caps().bits) != docker_default_caps().bits) continue;
    auto r = run(enforce(profile, caps, {"/usr/bin/python3", "-c", kThreads}));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "[0, 1, 2, 3]\n");
  }
}

// As `docker run`: Docker's 14 capabilities unless asked otherwise, so Docker's profile refuses
// what it ties to CAP_SYS_ADMIN (unshare, mount); `--cap-add ALL` keeps all the caller holds.
TEST(EnforceCli, DefaultCapabilitiesAreDockers14) {
  if (access("/usr/bin/unshare", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/unshare";
  if (!test::all_caps().has(21)) GTEST_SKIP() << "needs CAP_SYS_ADMIN";
  std::string profile = test::data_file("docker-default.json");
  EXPECT_EQ(run(enforce(profile, {"--cap-add", "ALL"}, {"/usr/bin/unshare", "-u", "/bin/true"})).status, 0);
  for (const V& caps : {V{}, kDocker14}) {
    auto refused = run(enforce(profile, caps, {"/usr/bin/unshare", "-u", "/bin/true"}));
    EXPECT_NE(refused.status, 0);
    EXPECT_NE(refused.err.find("Operation not permitted"), std::string::npos) << refused.err;
    auto user_ns = run(enforce(profile, caps, {"/usr/bin/unshare", "--user", "/bin/true"}));
    EXPECT_NE(user_ns.status, 0) << "unshare --user ran under Docker's profile with Docker's capabilities";
    const std::string dir = test::temp_path("mnt");
    mkdir(dir.c_str(), 0700);
    auto mount = run(enforce(profile, caps, {"/bin/mount", "-t", "tmpfs", "none", dir}));
    EXPECT_NE(mount.status, 0) << "mount ran with Docker's capabilities";
    umount(dir.c_str());
  }
  auto defaults = run({SYSCAP_BINARY, "-v", "enforce", "--profile", profile, "--", "/bin/grep", "CapEff", "/proc/self/status"});
  EXPECT_EQ(defaults.out, "CapEff:\t00000000a80425fb\n") << defaults.describe();
  EXPECT_NE(defaults.err.find("capabilities: CAP_CHOWN,"), std::string::npos) << defaults.describe();
}

// Every part of a capability list counts: dropping "NET_RAW,SYS_ADMIN" from all drops both.
TEST(EnforceCli, CommaListsDropEveryCapabilityInThem) {
  if (!test::all_caps().has(21)) GTEST_SKIP() << "needs CAP_SYS_ADMIN";
  std::string allow = test::write_temp("allow.json", R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  const std::string dir = test::temp_path("mnt-list");
  mkdir(dir.c_str(), 0700);
  auto r = run(enforce(allow, {"--cap-add", "ALL", "--cap-drop", "NET_RAW,SYS_ADMIN"},
                       {"/usr/bin/unshare", "-m", "/bin/mount", "-t", "tmpfs", "none", dir}));
  EXPECT_NE(r.status, 0) << "mount ran without CAP_SYS_ADMIN: " << r.describe();
  auto status = run(enforce(allow, {"--cap-add", "ALL", "--cap-drop", "NET_RAW,SYS_ADMIN"},
                            {"/bin/grep", "CapEff", "/proc/self/status"}));
  ASSERT_EQ(status.status, 0) << status.describe();
  const auto eff = std::stoull(status.out.substr(std::string("CapEff:\t").size()), nullptr, 16);
  EXPECT_EQ(eff & (1ULL << CAP_NET_RAW), 0u);
  EXPECT_EQ(eff & (1ULL << CAP_SYS_ADMIN), 0u);
  EXPECT_NE(eff & (1ULL << CAP_SYS_PTRACE), 0u);
}

// A caller without capabilities needs no capability changes: no_new_privs and the filter.
TEST(EnforceCli, RunsAsAnUnprivilegedUser) {
  if (access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/setpriv";
  if (geteuid() != 0) GTEST_SKIP() << "needs root to become uid 65534 first";
  std::string profile = test::data_file("docker-default.json");
  chmod(profile.c_str(), 0644);
  const V nobody = {"/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--"};
  V cmd = nobody;
  for (const auto& w : enforce(profile, {}, {"/bin/grep", "-E", "^(CapEff|NoNewPrivs|Seccomp):", "/proc/self/status"}))
    cmd.push_back(w);
  auto r = run(cmd);
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_EQ(r.out, "CapEff:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n");
  cmd = nobody;
  for (const auto& w : enforce(profile, {"--cap-add", "CHOWN"}, {"/bin/true"})) cmd.push_back(w);
  auto add = run(cmd);
  EXPECT_EQ(add.status, 125) << add.describe();
  EXPECT_NE(add.err.find("--cap-add CAP_CHOWN: this process does not hold it"), std::string::npos) << add.describe();
}

TEST(EnforceCli, ExitStatusIsTheCommandsOwn) {
  auto r = run(enforce(test::data_file("docker-default.json"), {}, {"/bin/sh", "-c", "exit 7"}));
  EXPECT_EQ(r.status, 7) << r.err;
  auto killed = run(enforce(test::data_file("docker-default.json"), {}, {"/bin/sh", "-c", "kill -TERM $$"}));
  EXPECT_EQ(killed.status, 128 + SIGTERM);
}

TEST(EnforceCli, CommandGetsExactlyTheCapabilitySet) {
  if (!test::all_caps().has(CAP_SETPCAP) || !test::all_caps().has(CAP_CHOWN) || !test::all_caps().has(CAP_KILL))
    GTEST_SKIP() << "needs CAP_SETPCAP, CAP_CHOWN and CAP_KILL to give a command exactly two";
  std::string allow = test::write_temp("allow.json", R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  auto r = run(enforce(allow, {"--cap-drop", "all", "--cap-add", "cap_chown", "--cap-add", "KILL"},
                       {"/bin/grep", "^Cap", "/proc/self/status"}));
  ASSERT_EQ(r.status, 0) << r.err;
  // CAP_CHOWN (bit 0) and CAP_KILL (bit 5), as bounding, permitted and effective.
  EXPECT_NE(r.out.find("CapInh:\t0000000000000000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CapPrm:\t0000000000000021"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CapEff:\t0000000000000021"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CapBnd:\t0000000000000021"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CapAmb:\t0000000000000000"), std::string::npos) << r.out;
  auto nnp = run(enforce(allow, {}, {"/bin/grep", "NoNewPrivs", "/proc/self/status"}));
  EXPECT_EQ(nnp.out, "NoNewPrivs:\t1\n");
}

TEST(EnforceCli, MissingAndUnexecutableCommands) {
  std::string allow = test::write_temp("allow.json", R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  EXPECT_EQ(run(enforce(allow, {}, {"no-such-command-xyz"})).status, 127);
  std::string plain = test::write_temp("plain.txt", "not a program\n");
  chmod(plain.c_str(), 0644);
  EXPECT_EQ(run(enforce(allow, {}, {plain})).status, 126);
}

TEST(EnforceCli, UnknownSyscallNamesWarnAndRun) {
  std::string p = test::write_temp("unknown.json", R"({"defaultAction":"SCMP_ACT_ALLOW",
      "syscalls":[{"names":["frobnicate"],"action":"SCMP_ACT_ERRNO"}]})");
  auto r = run(enforce(p, {}, {"/bin/true"}));
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.err.find("unknown syscall \"frobnicate\""), std::string::npos) << r.err;
}

TEST(EnforceCli, DeniedByTheProfileMeansTheCommandSeesIt) {
  std::string p = test::write_temp("nomkdir.json", R"({"defaultAction":"SCMP_ACT_ALLOW",
      "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]})");
  std::string dir = test::temp_path("newdir");
  auto r = run(enforce(p, {}, {"/bin/mkdir", dir}));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
  EXPECT_NE(access(dir.c_str(), F_OK), 0);
}

TEST(EnforceCli, ArgumentsReachTheCommandUnchanged) {
  std::string allow = test::write_temp("allow.json", R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  EXPECT_EQ(run(enforce(allow, {}, {"/bin/echo", "--", "-n", "a"})).out, "-- -n a\n");
  EXPECT_EQ(run(enforce(allow, {}, {"/bin/echo", "-n", "x"})).out, "x");
}

// Everything from CMD on is CMD's, options included, with or without `--` (as in `record`).
TEST(EnforceCli, EverythingFromTheCommandOnIsTheCommands) {
  std::string allow = test::write_temp("allow.json", R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  auto dash = run({SYSCAP_BINARY, "enforce", "--profile", allow, "/bin/echo", "-n", "x"});
  EXPECT_EQ(dash.status, 0) << dash.err;
  EXPECT_EQ(dash.out, "x");
  auto marked = run({SYSCAP_BINARY, "enforce", "--profile", allow, "--", "/bin/echo", "--profile", "-n"});
  EXPECT_EQ(marked.status, 0) << marked.err;
  EXPECT_EQ(marked.out, "--profile -n\n");
  // CMD's own --cap-add is not ours: the capability set stays "drop ALL" (an empty bounding
  // set where this process may empty it).
  if (!test::all_caps().has(CAP_SETPCAP)) GTEST_SKIP() << "needs CAP_SETPCAP to empty the bounding set";
  auto r = run({SYSCAP_BINARY, "enforce", "--profile", allow, "--cap-drop", "ALL", "/bin/sh", "-c",
                "grep CapBnd /proc/self/status; echo \"$@\"", "sh", "--cap-add", "KILL", "--", "f"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "CapBnd:\t0000000000000000\n--cap-add KILL -- f\n");
}

// Option mistakes are ours: 125 like any other enforce problem, with CLI11's message, and CMD
// never runs.
TEST(EnforceCli, OptionErrorsExit125) {
  std::string allow = test::write_temp("allow.json", R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  std::string marker = test::temp_path("ran");
  const V touch = {"/bin/touch", marker};
  auto with = [&](V args) {
    V argv = {SYSCAP_BINARY, "enforce"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  };
  struct Case {
    V args;
    std::string message;
  };
  for (const Case& c : {Case{{"/bin/touch", marker}, "--profile is required"},
                        Case{{"--profile", allow}, "CMD is required"},
                        Case{{"--profile", allow, "--"}, "CMD is required"},
                        Case{{"--profile", allow, "--bogus", "/bin/touch", marker}, "--bogus"},
                        Case{{"--profile", allow, "--strict=maybe", "/bin/touch", marker}, "maybe"},
                        Case{{"--profile"}, "--profile"}}) {
    auto r = run(with(c.args));
    EXPECT_EQ(r.status, 125) << fmt::format("{}", fmt::join(c.args, " ")) << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the command ran";
  }
  auto help = run(with({"--help"}));
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--profile"), std::string::npos) << help.out;
  // Every other subcommand exits 2 for a usage error, never CLI11's own codes (106 here).
  EXPECT_EQ(run({SYSCAP_BINARY, "compile", "--pfc"}).status, 2);
}

// --strict refuses only names that are a syscall nowhere: Docker's and Podman's own default
// profiles (arm's recv, riscv64's riscv_hwprobe, x86_64's reserved epoll_ctl_old) pass.
TEST(EnforceCli, StrictAcceptsDockerAndPodmanDefaults) {
  for (const char* file : {"docker-default.json", "podman-default.json"}) {
    auto r = run({SYSCAP_BINARY, "enforce", "--strict", "--profile", test::data_file(file), "--",
                  "/bin/sh", "-c", "exit 5"});
    EXPECT_EQ(r.status, 5) << file << ": " << r.err;
    EXPECT_EQ(r.err.find("unknown syscall"), std::string::npos) << r.err;
  }
  // Quiet where nothing is wrong: other architectures' names show only with -v.
  auto quiet = run({SYSCAP_BINARY, "enforce", "--profile", test::data_file("docker-default.json"), "--", "/bin/true"});
  EXPECT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  auto docker = run({SYSCAP_BINARY, "-v", "enforce", "--profile", test::data_file("docker-default.json"), "--",
                     "/bin/true"});
  EXPECT_EQ(docker.status, 0) << docker.err;
  EXPECT_NE(docker.err.find("\"recv\" is not a syscall on SCMP_ARCH_X86_64, SCMP_ARCH_X86, "
                            "SCMP_ARCH_X32; known on other architectures"),
            std::string::npos)
      << docker.err;
  EXPECT_EQ(docker.err.find("epoll_ctl_old"), std::string::npos) << docker.err;
  std::string typo = test::write_temp("typo.json", R"({"defaultAction":"SCMP_ACT_ALLOW",
      "syscalls":[{"names":["frobnicate"],"action":"SCMP_ACT_ERRNO"}]})");
  auto strict = run({SYSCAP_BINARY, "enforce", "--strict", "--profile", typo, "--", "/bin/true"});
  EXPECT_EQ(strict.status, 125);
  EXPECT_NE(strict.err.find("unknown syscall \"frobnicate\""), std::string::npos) << strict.err;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, false);
}

std::vector<std::string> traced_names(const nlohmann::json& trace) {
  std::vector<std::string> names;
  for (const auto& s : trace.at("syscalls")) names.push_back(s.at("name").get<std::string>());
  return names;
}

TEST(EnforceLearn, RecordsWhatTheProfileWouldRefuseAndLetsItThrough) {
  std::string p = test::write_temp("nomkdir.json", R"({"defaultAction":"SCMP_ACT_ALLOW",
      "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]})");
  std::string dir = test::temp_path("learned-dir"), trace = test::temp_path("learn.json");
  auto r = run(enforce(p, {"--learn", trace}, {"/bin/mkdir", dir}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(access(dir.c_str(), F_OK), 0) << "the refused call was let through";
  auto json = read_json(trace);
  ASSERT_FALSE(json.is_discarded());
  auto names = traced_names(json);
  ASSERT_EQ(names.size(), 1u) << json.dump();
  EXPECT_TRUE(names[0] == "mkdir" || names[0] == "mkdirat") << names[0];
  EXPECT_EQ(json.at("command"), nlohmann::json::array({"/bin/mkdir", dir}));
  EXPECT_EQ(json.at("exit").at("code"), 0);
}

TEST(EnforceLearn, AppliesTheCapabilitySetAndKeepsTheExitStatus) {
  std::string trace = test::temp_path("learn.json");
  auto r = run(enforce(test::data_file("docker-default.json"), {"--learn", trace, "--cap-drop", "ALL"},
                       {"/bin/sh", "-c", "grep CapEff /proc/self/status; unshare -u true; exit 3"}));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.out.find("CapEff:\t0000000000000000"), std::string::npos) << r.out;
  auto names = traced_names(read_json(trace));
  EXPECT_NE(std::ranges::find(names, "unshare"), names.end()) << "refused without CAP_SYS_ADMIN";
  EXPECT_EQ(std::ranges::find(names, "read"), names.end()) << "allowed calls are not recorded";
}

// A trace that cannot be written fails closed before CMD runs, not after it.
TEST(EnforceLearn, UnwritableTraceFailsBeforeTheCommandRuns) {
  std::string allow = test::write_temp("allow.json", R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  std::string marker = test::temp_path("ran");
  std::string dir = test::temp_path("a-directory");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  for (const std::string& trace : {test::temp_path("no-such-dir") + "/learn.json", dir}) {
    auto r = run(enforce(allow, {"--learn", trace}, {"/bin/touch", marker}));
    EXPECT_EQ(r.status, 125) << r.err;
    EXPECT_NE(r.err.find(trace), std::string::npos) << r.err;
    EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the command ran";
  }
  // A writable one is left alone until the run is over, then written.
  std::string trace = test::temp_path("learn.json");
  auto ok = run(enforce(allow, {"--learn", trace}, {"/bin/sh", "-c", "exit 4"}));
  EXPECT_EQ(ok.status, 4) << ok.err;
  EXPECT_FALSE(read_json(trace).is_discarded());
  std::string dirname = trace.substr(0, trace.rfind('/'));
  auto leftovers = run({"/bin/sh", "-c", "ls " + dirname + " | grep -c tmp"});
  EXPECT_EQ(leftovers.out, "0\n") << "no temporary file is left behind";
}

TEST(CompileCli, PfcShowsEveryArchAndThePrefix) {
  auto r = run({SYSCAP_BINARY, "compile", "--pfc", test::data_file("docker-default.json")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("filter for arch x86_64"), std::string::npos);
  EXPECT_NE(r.out.find("filter for arch x86 ("), std::string::npos);
  EXPECT_NE(r.out.find("filter for arch x32"), std::string::npos);
  EXPECT_NE(r.out.find("SCMP_ARCH_X86 mseal (462) -> SCMP_ACT_ALLOW"), std::string::npos) << r.out;
}

TEST(CompileCli, PfcDependsOnCapabilities) {
  // --cap-add ALL is every capability this process may hold (its bounding set); unshare is
  // Docker's for CAP_SYS_ADMIN.
  if (!test::all_caps().has(CAP_SYS_ADMIN)) GTEST_SKIP() << "needs CAP_SYS_ADMIN in the bounding set, which lacks it";
  std::string profile = test::data_file("docker-default.json");
  V with = {SYSCAP_BINARY, "compile", "--pfc", profile, "--cap-add", "ALL"};
  V without = {SYSCAP_BINARY, "compile", "--pfc", profile};
  without.insert(without.end(), kDocker14.begin(), kDocker14.end());
  auto a = run(with), b = run(without);
  ASSERT_EQ(a.status, 0);
  ASSERT_EQ(b.status, 0);
  EXPECT_NE(a.out.find("\"unshare\""), std::string::npos);
  EXPECT_EQ(b.out.find("\"unshare\""), std::string::npos);
}

TEST(CompileCli, BpfWritesWholeInstructions) {
  std::string out = test::temp_path("filter.bpf");
  auto r = run({SYSCAP_BINARY, "compile", "--bpf", test::data_file("docker-default.json"), "-o", out});
  ASSERT_EQ(r.status, 0) << r.err;
  struct stat st{};
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_GT(st.st_size, 8 * 100);
  EXPECT_EQ(st.st_size % 8, 0);
  auto no_output = run({SYSCAP_BINARY, "compile", "--bpf", test::data_file("docker-default.json")});
  EXPECT_NE(no_output.status, 0);
}

}  // namespace
}  // namespace syscap::enforcer
