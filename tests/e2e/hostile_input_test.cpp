// syscap under hostile files and input, as root: outputs are never written through a planted
// symlink, nothing is lost because of where output goes, data and summaries never mix, bytes
// that are not UTF-8 survive, inputs are bounded, and every mistake has its documented exit code.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <fstream>

#include "e2e_support.hpp"
#include "syscap/test/command.hpp"
#include "syscap/test/privilege.hpp"

namespace syscap::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::run_command;
using V = std::vector<std::string>;

test::CommandOptions with_input(std::string input) {
  test::CommandOptions options;
  options.input = std::move(input);
  return options;
}

V syscap(V args) {
  args.insert(args.begin(), SYSCAP_BINARY);
  return args;
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

const char* kAllowAll = R"({"defaultAction":"SCMP_ACT_ALLOW"})";

// A root-owned file an attacker would like overwritten, and a symlink to it where syscap writes.
struct PlantedLink {
  explicit PlantedLink(const TempDir& dir, const std::string& name)
      : victim(dir.path / "victim"), link(dir.path / name) {
    write(victim, "precious\n");
    fs::create_symlink(victim, link);
  }
  fs::path victim, link;
};

TEST(HostileFiles, EveryOutputReplacesASymlinkAtItsPathAndNeverFollowsIt) {
  TempDir dir;
  write(dir.path / "allow.json", kAllowAll);
  {
    PlantedLink planted(dir, "t.json");
    auto r = run_command(syscap({"record", "-q", "-o", planted.link, "--", "/bin/true"}));
    ASSERT_EQ(r.status, 0) << r.describe();
    EXPECT_EQ(read_file(planted.victim), "precious\n");
    ASSERT_FALSE(fs::is_symlink(planted.link));
    EXPECT_NO_THROW(json::parse(read_file(planted.link)).at("syscalls"));
  }
  const std::vector<std::pair<std::string, V>> writers = {
      {"p.json", {"profile", "-o", "OUT", "--", "/bin/true"}},
      {"g.json", {"generate", "--runtime", "none", "-o", "OUT", (dir.path / "t.json").string()}},
      {"kept-trace.json", {"profile", "-o", (dir.path / "p2.json").string(), "--trace", "OUT", "--", "/bin/true"}},
      {"learned.json", {"enforce", "--profile", (dir.path / "allow.json").string(), "--learn", "OUT", "--", "/bin/true"}},
      {"filter.bpf", {"compile", "--bpf", "-o", "OUT", (dir.path / "allow.json").string()}},
  };
  for (const auto& [name, args] : writers) {
    fs::remove(dir.path / "victim");
    PlantedLink planted(dir, name);
    V argv = args;
    for (auto& a : argv)
      if (a == "OUT") a = planted.link.string();
    auto r = run_command(syscap(argv));
    EXPECT_EQ(r.status, 0) << name << ": " << r.describe();
    EXPECT_EQ(read_file(planted.victim), "precious\n") << name;
    EXPECT_FALSE(fs::is_symlink(planted.link)) << name;
  }
  for (const auto& e : fs::directory_iterator(dir.path))
    EXPECT_EQ(e.path().filename().string().find(".syscap-"), std::string::npos) << "left behind: " << e.path();
}

// A device or pipe at the output path is written into, never replaced: `-o /dev/null` as root
// once put a regular file where /dev/null was. Refused before the command runs: a link to one
// or into /proc (/dev/stdout), a block device, and a pipe another user owns in a directory
// others may write to (the kernel's protected_fifos rule: it may be theirs to read, or to leave
// without a reader). Device nodes of its own (mknod: root, a file system without nodev); the
// pipes need nothing but CAP_CHOWN for the other user's.
TEST(HostileFiles, ADeviceOrPipeIsWrittenIntoAndNeverReplaced) {
  TempDir dir;
  write(dir.path / "allow.json", kAllowAll);
  const fs::path fifo = dir.path / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const V& args : std::vector<V>{{"record", "-q", "-o", fifo.string(), "--", "/bin/true"},
                                      {"compile", "--bpf", "-o", fifo.string(), dir.file("allow.json")}}) {
    // The read end is open before syscap runs (so its open for writing does not wait) and read
    // once it has ended: what it wrote (a few KB) waits in the pipe.
    const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    ASSERT_GE(reader, 0);
    auto r = run_command(syscap(args));
    std::string got;
    char buf[4096];
    for (ssize_t n; (n = read(reader, buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    close(reader);
    EXPECT_EQ(r.status, 0) << r.describe();
    EXPECT_FALSE(got.empty()) << "nothing came through the pipe";
    if (args[0] == "record") {
      EXPECT_NO_THROW(json::parse(got).at("syscalls")) << got;
    }
    EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo))) << "the pipe was replaced";
  }
  const std::string marker = dir.file("ran");
  auto expect_refused = [&](const fs::path& target, const std::string& says) {
    auto r = run_command(syscap({"record", "-o", target.string(), "--", "/bin/touch", marker}));
    EXPECT_EQ(r.status, 125) << r.describe();
    EXPECT_NE(r.err.find(target.string() + ": " + says), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(marker)) << "the command ran";
  };
  const fs::path to_fifo = dir.path / "to-fifo", stdout_link = dir.path / "stdout";
  fs::create_symlink(fifo, to_fifo);
  fs::create_symlink("/proc/self/fd/1", stdout_link);
  expect_refused(to_fifo, "is a link to a pipe");
  expect_refused(stdout_link, "is a link into /proc");
  EXPECT_TRUE(fs::is_symlink(to_fifo));
  EXPECT_TRUE(fs::is_symlink(stdout_link));

  if (test::holds_capability(CAP_CHOWN)) {
    const fs::path shared = dir.path / "shared", theirs = shared / "fifo";
    fs::create_directory(shared);
    fs::permissions(shared, fs::perms::all | fs::perms::sticky_bit);
    ASSERT_EQ(mkfifo(theirs.c_str(), 0666), 0);
    ASSERT_EQ(chown(theirs.c_str(), 65534, 65534), 0);
    expect_refused(theirs, "is a pipe another user owns, in a directory others may write to");
  }

  struct statvfs fs_of_dir {};
  ASSERT_EQ(statvfs(dir.path.c_str(), &fs_of_dir), 0);
  if (!test::holds_capability(CAP_MKNOD)) GTEST_SKIP() << "needs CAP_MKNOD for device nodes of its own";
  if (fs_of_dir.f_flag & ST_NODEV) GTEST_SKIP() << dir.path << " is on a file system mounted nodev";
  const fs::path null = dir.path / "null", disk = dir.path / "loop", to_null = dir.path / "to-null";
  ASSERT_EQ(mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
  ASSERT_EQ(mknod(disk.c_str(), S_IFBLK | 0600, makedev(7, 0)), 0);
  fs::create_symlink(null, to_null);
  for (const V& args : std::vector<V>{{"record", "-q", "-o", null.string(), "--", "/bin/true"},
                                      {"profile", "-o", null.string(), "--trace", null.string(), "--", "/bin/true"},
                                      {"compile", "--bpf", "-o", null.string(), dir.file("allow.json")}}) {
    auto r = run_command(syscap(args));
    EXPECT_EQ(r.status, 0) << r.describe();
    EXPECT_TRUE(fs::is_character_file(fs::symlink_status(null))) << fmt::format("{}", fmt::join(args, " "));
  }
  expect_refused(to_null, "is a link to a character device");
  expect_refused(disk, "is a block device");
  EXPECT_TRUE(fs::is_symlink(to_null));
  EXPECT_TRUE(fs::is_block_file(fs::symlink_status(disk)));
  for (const auto& e : fs::directory_iterator(dir.path))
    EXPECT_EQ(e.path().filename().string().find(".syscap-"), std::string::npos) << "left behind: " << e.path();
}

// Where the output goes is checked first: a run whose result could not be kept never starts.
TEST(HostileFiles, AnOutputThatCannotBeWrittenStopsSyscapBeforeTheCommandRuns) {
  TempDir dir;
  write(dir.path / "allow.json", kAllowAll);
  const std::string marker = dir.file("ran");
  const std::string missing = dir.file("no-such-dir/out.json");
  const std::vector<V> runs = {
      {"record", "-o", missing, "--", "/bin/touch", marker},
      {"record", "-o", dir.path.string(), "--", "/bin/touch", marker},
      {"profile", "-o", missing, "--", "/bin/touch", marker},
      {"profile", "-o", dir.file("p.json"), "--trace", missing, "--", "/bin/touch", marker},
      {"enforce", "--profile", dir.file("allow.json"), "--learn", missing, "--", "/bin/touch", marker},
  };
  for (const V& args : runs) {
    auto r = run_command(syscap(args));
    const std::string line = fmt::format("{}", fmt::join(args, " "));
    EXPECT_EQ(r.status, 125) << line << "\n" << r.describe();
    EXPECT_FALSE(fs::exists(marker)) << line << ": the command ran";
    EXPECT_TRUE(r.err.find(missing) != std::string::npos || r.err.find("is a directory") != std::string::npos)
        << line << "\n" << r.err;
  }
}

TEST(HostileFiles, DashIsStandardOutputAndTheWorkloadsOwnOutputGoesToStderr) {
  for (const char* sub : {"record", "profile"}) {
    auto r = run_command(syscap({sub, "-o", "-", "--", "/bin/echo", "workload-says-hi"}));
    ASSERT_EQ(r.status, 0) << sub << ": " << r.describe();
    json doc;
    ASSERT_NO_THROW(doc = json::parse(r.out)) << sub << ": stdout is not only JSON:\n" << r.out;
    EXPECT_TRUE(doc.contains(std::string(sub) == "record" ? "syscalls" : "defaultAction")) << sub;
    EXPECT_NE(r.err.find("workload-says-hi\n"), std::string::npos) << sub << ": " << r.err;
    EXPECT_FALSE(fs::exists("-")) << sub << " wrote a file named -";
  }
}

// `profile -o FILE -- CMD > out`: out holds what CMD printed and nothing of syscap's.
TEST(HostileFiles, ProfileSummaryNeverMixesWithTheWorkloadsOutput) {
  TempDir dir;
  auto r = run_command(syscap({"profile", "-o", dir.file("p.json"), "--", "/bin/sh", "-c", "echo hi; exit 3"}));
  EXPECT_EQ(r.status, 3) << "profile exits with the workload's status\n" << r.describe();
  EXPECT_EQ(r.out, "hi\n");
  EXPECT_NE(r.err.find("docker run"), std::string::npos) << r.err;
  EXPECT_NO_THROW(json::parse(read_file(dir.path / "p.json")).at("syscalls"));
}

TEST(HostileFiles, ProfileFromStandardInputIsEnforced) {
  TempDir dir;
  auto allowed = run_command(syscap({"enforce", "--profile", "-", "--", "/bin/echo", "ran"}), with_input(kAllowAll));
  EXPECT_EQ(allowed.status, 0) << allowed.describe();
  EXPECT_EQ(allowed.out, "ran\n");
  const std::string deny_mkdir = R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
      {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]})";
  auto refused = run_command(syscap({"enforce", "--profile", "-", "--", "/bin/mkdir", dir.file("d")}),
                             with_input(deny_mkdir));
  EXPECT_NE(refused.status, 0) << refused.describe();
  EXPECT_FALSE(fs::exists(dir.path / "d")) << "the profile read from stdin was not applied";
}

TEST(HostileFiles, EndlessOrHugeInputsAreRefusedAndTheCommandNeverRuns) {
  TempDir dir;
  const std::string marker = dir.file("ran");
  auto zero = run_command(syscap({"enforce", "--profile", "/dev/zero", "--", "/bin/touch", marker}));
  EXPECT_EQ(zero.status, 125) << zero.describe();
  EXPECT_NE(zero.err.find("/dev/zero: is larger than 64 MiB"), std::string::npos) << zero.err;
  auto piped = run_command(syscap({"enforce", "--profile", "-", "--", "/bin/touch", marker}),
                           with_input(std::string(65u << 20, ' ')));
  EXPECT_EQ(piped.status, 125) << piped.describe();
  EXPECT_NE(piped.err.find("standard input: is larger than 64 MiB"), std::string::npos) << piped.err;
  EXPECT_FALSE(fs::exists(marker)) << "the command ran unconfined";
  auto trace = run_command(syscap({"generate", "-o", dir.file("p.json"), "/dev/zero"}));
  EXPECT_EQ(trace.status, 1) << trace.describe();
  EXPECT_NE(trace.err.find("larger than 64 MiB"), std::string::npos) << trace.err;
}

// The arguments, the executable's path and a path in capability evidence are bytes; traces
// keep them losslessly and every reader takes them back. (The ptrace engine: its evidence
// names the file; the BPF engine's cites the kernel's check.)
TEST(HostileFiles, BytesThatAreNotUtf8SurviveRecordGenerateAndCaps) {
  if (!test::holds_capability(CAP_CHOWN)) GTEST_SKIP() << "needs CAP_CHOWN (the workload gives a file away)";
  TempDir dir;
  const std::string latin1 = "caf\xe9";
  const fs::path exe = dir.path / "tr\xffue";
  fs::copy_file("/bin/true", exe);
  const fs::path owned = dir.path / "f\xfe";
  write(owned, "x");
  const std::string script = "\"$0\" && /bin/echo \"$1\" && /bin/chown 65534 \"$2\"";
  auto r = run_command(syscap({"record", "-q", "--engine", "ptrace", "-o", dir.file("t.json"), "--", "/bin/sh", "-c", script,
                               exe.string(), latin1, owned.string()}));
  ASSERT_EQ(r.status, 0) << r.describe();
  json trace = json::parse(read_file(dir.path / "t.json"));
  const json& arg = trace.at("command").at(4);
  ASSERT_TRUE(arg.is_object()) << arg;
  EXPECT_EQ(arg.at("bytes"), "636166e9");
  bool saw_exe = false, saw_owned = false;
  for (const auto& s : trace.at("syscalls"))
    if (s.contains("first_seen") && s["first_seen"].at("exe").is_object()) saw_exe = true;
  for (const auto& c : trace.at("capabilities"))
    for (const auto& e : c.at("evidence"))
      if (e.at("why").is_object()) saw_owned = true;
  EXPECT_TRUE(saw_exe) << "no first_seen.exe written as bytes";
  EXPECT_TRUE(saw_owned) << "no capability evidence written as bytes";
  auto gen = run_command(syscap({"generate", "--runtime", "none", "-o", dir.file("p.json"), dir.file("t.json")}));
  EXPECT_EQ(gen.status, 0) << gen.describe();
  EXPECT_NE(gen.err.find("CAP_CHOWN"), std::string::npos) << gen.err;
  auto caps = run_command(syscap({"caps", dir.file("t.json")}));
  EXPECT_EQ(caps.status, 0) << caps.describe();
  EXPECT_NE(caps.out.find("CAP_CHOWN"), std::string::npos) << caps.out;
}

TEST(HostileFiles, AProfileThatRefusesStartingOrEndingACommandIsRefusedCleanly) {
  TempDir dir;
  const std::string marker = dir.file("ran");
  for (const char* call : {"execve", "exit_group"}) {
    write(dir.path / "p.json", fmt::format(R"({{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
        {{"names":["{}"],"action":"SCMP_ACT_KILL_PROCESS"}}]}})", call));
    auto r = run_command(syscap({"enforce", "--profile", dir.file("p.json"), "--", "/bin/touch", marker}));
    EXPECT_EQ(r.status, 126) << call << ": " << r.describe();
    EXPECT_TRUE(r.exited) << call;
    EXPECT_NE(r.err.find(std::string("the profile refuses ") + call), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(marker)) << call;
  }
}

// A warning names the entry as it stands in the file (names[2]), not its place after sorting.
TEST(HostileFiles, WarningsQuoteTheFilesOwnIndex) {
  TempDir dir;
  write(dir.path / "p.json", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
      {"names":["write","read","zz_not_a_syscall","close"],"action":"SCMP_ACT_LOG"}]})");
  auto r = run_command(syscap({"enforce", "--profile", dir.file("p.json"), "--", "/bin/true"}));
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("syscalls[0].names[2]: unknown syscall \"zz_not_a_syscall\""), std::string::npos) << r.err;
}

// One convention: a usage mistake is exit 2, except where syscap stands in for `docker run`
// (enforce, docker ...: 125, as Docker's own). Never a parser's private code, never the command run.
TEST(HostileFiles, UsageErrorsHaveOneExitCodePerConvention) {
  TempDir dir;
  write(dir.path / "allow.json", kAllowAll);
  const std::string marker = dir.file("ran");
  const std::string trace = dir.file("t.json");
  ASSERT_EQ(run_command(syscap({"record", "-q", "-o", trace, "--", "/bin/true"})).status, 0);
  struct Case {
    V args;
    int status;
  };
  const std::vector<Case> cases = {
      {{"record", "-o", dir.file("x.json"), "--bogus", "/bin/touch", marker}, 2},
      {{"record", "--", "/bin/touch", marker}, 2},
      {{"record", "-o", dir.file("x.json")}, 2},
      {{"profile", "-o", dir.file("x.json"), "--bogus", "/bin/touch", marker}, 2},
      {{"profile", "--runtime", "nowhere", "-o", dir.file("x.json"), "/bin/touch", marker}, 2},
      {{"generate", "--bogus", trace}, 2},
      {{"generate", "-o", dir.file("x.json")}, 2},
      {{"diff", trace}, 2},
      {{"compile", "--pfc", "--bpf", dir.file("allow.json")}, 2},
      {{"caps", "--bogus", trace}, 2},
      {{"nosuchsubcommand"}, 2},
      {{"enforce", "--profile", dir.file("allow.json"), "--bogus", "/bin/touch", marker}, 125},
      {{"enforce", "--cap-add", "NOT_A_CAP", "--profile", dir.file("allow.json"), "/bin/touch", marker}, 125},
      {{"docker", "record", "-o", dir.file("x.json"), "--bogus", "alpine"}, 125},
  };
  for (const Case& c : cases) {
    auto r = run_command(syscap(c.args));
    EXPECT_EQ(r.status, c.status) << fmt::format("{}", fmt::join(c.args, " ")) << "\n" << r.describe();
    EXPECT_FALSE(r.err.empty()) << fmt::format("{}", fmt::join(c.args, " "));
  }
  EXPECT_FALSE(fs::exists(marker)) << "a command ran despite a usage error";
}

// "not found", "is a directory", "a trace, not a profile" and the reverse, in those words.
TEST(HostileFiles, WrongInputsSayWhatIsWrongInPlainWords) {
  TempDir dir;
  const std::string trace = dir.file("t.json");
  const std::string profile = dir.file("p.json");
  ASSERT_EQ(run_command(syscap({"profile", "-o", profile, "--trace", trace, "--", "/bin/true"})).status, 0);
  struct Case {
    V args;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"enforce", "--profile", trace, "--", "/bin/true"}, 125, "this is a trace (from syscap record), not a profile"},
      {{"generate", "-o", dir.file("q.json"), profile}, 1, "this is a seccomp profile, not a trace"},
      {{"enforce", "--profile", dir.path.string(), "--", "/bin/true"}, 125, "is a directory"},
      {{"generate", "-o", dir.file("q.json"), dir.file("gone.json")}, 1, "No such file or directory"},
      {{"enforce", "--profile", profile, "--", dir.file("no-such-command")}, 127, "not found"},
  };
  for (const Case& c : cases) {
    auto r = run_command(syscap(c.args));
    EXPECT_EQ(r.status, c.status) << fmt::format("{}", fmt::join(c.args, " ")) << "\n" << r.describe();
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace syscap::e2e
