// Commands whose capabilities both engines must report alike, each a case the rule model or the
// kernel-check rules once got wrong (found by recording everyday commands with both): another
// process's /proc links, a pid namespace's own /proc, a setgid directory's chmod, cp -a of
// another user's tree.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "capability_workloads.hpp"
#include "syscap/tables/capabilities.hpp"

namespace syscap::testing {
namespace {

namespace fs = std::filesystem;

const std::string kEngines[] = {"ptrace", "bpf"};

class BothEngines : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root";
    char tmpl[] = "/tmp/syscap-engines-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // The capabilities `engine` records for `command` (run under `prefix`, e.g. setpriv, if
  // given), or nullopt where the BPF engine cannot record or see the kernel's checks here (it
  // says so). A failed run fails the test.
  std::optional<std::vector<std::string>> capabilities(const std::string& engine, const std::vector<std::string>& command,
                                                       const std::vector<std::string>& prefix = {}) {
    const std::string trace = dir_ + "/" + engine + ".json";
    std::vector<std::string> argv = prefix;
    argv.insert(argv.end(), {SYSCAP_BINARY, "record", "--engine", engine, "-o", trace, "--"});
    argv.insert(argv.end(), command.begin(), command.end());
    const auto r = test::run_command(argv);
    if (engine == "bpf" && r.status == 125) {
      std::cout << "[  SKIPPED ] the BPF engine: " << r.err << "\n";
      return std::nullopt;
    }
    EXPECT_EQ(r.status, 0) << r.describe();
    std::ifstream in(trace);
    if (!in) {
      ADD_FAILURE() << "no trace: " << r.describe();
      return std::nullopt;
    }
    const auto recorded = nlohmann::json::parse(in);
    if (engine == "bpf" && !recorded.contains("kernel_checks")) {
      std::cout << "[  SKIPPED ] the BPF engine sees no capability checks here\n";
      return std::nullopt;
    }
    std::vector<std::string> names;
    for (const auto& c : recorded["capabilities"]) names.push_back(c["name"]);
    return names;
  }
  std::string dir_;
};

using Names = std::vector<std::string>;

// Same uid, but the target holds a capability the workload lacks (commoncap's subset test):
// following its ns/ links then asks for CAP_SYS_PTRACE. The workload runs without CAP_SYS_NICE
// (dropped from syscap's bounding set by setpriv) and reads the links of this test's process,
// which holds every capability it started with.
TEST_F(BothEngines, ATargetHoldingACapabilityTheCallerLacksNeedsSysPtrace) {
  const auto nice_bit = tables::capability_bit(tables::Capability::SysNice);
  std::ifstream status("/proc/self/status");
  std::string line;
  std::uint64_t permitted = 0;
  while (std::getline(status, line))
    if (line.starts_with("CapPrm:")) permitted = std::stoull(line.substr(7), nullptr, 16);
  if (!(permitted & nice_bit)) GTEST_SKIP() << "this process lacks CAP_SYS_NICE, the capability the workload goes without";
  if (test::run_command({"setpriv", "--version"}).status != 0) GTEST_SKIP() << "no setpriv (util-linux)";
  for (const std::string& engine : kEngines) {
    SCOPED_TRACE(engine);
    auto caps = capabilities(engine, {workload_path("wl_cap_sys_ptrace_links"), "need", std::to_string(getpid())},
                             {"setpriv", "--bounding-set", "-sys_nice"});
    if (caps) {
      EXPECT_EQ(*caps, Names{"CAP_SYS_PTRACE"});
    }
  }
}

// In a new pid namespace with its own /proc, /proc/1 is the workload's own first process, not
// the machine's pid 1 (which on some machines holds capabilities root lacks): reading its links
// needs nothing more than the namespace itself (CAP_SYS_ADMIN).
TEST_F(BothEngines, ANewPidNamespacesProcNamesItsOwnProcesses) {
  if (test::run_command({"unshare", "-m", "-p", "-f", "--mount-proc", "true"}).status != 0)
    GTEST_SKIP() << "unshare -m -p -f --mount-proc does not work here";
  for (const std::string& engine : kEngines) {
    SCOPED_TRACE(engine);
    auto caps = capabilities(engine, {"unshare", "-m", "-p", "-f", "--mount-proc",
                                      workload_path("wl_cap_sys_ptrace_links"), "need", "1"});
    if (caps) {
      EXPECT_EQ(*caps, Names{"CAP_SYS_ADMIN"});
    }
  }
}

// chmod 2755 of another user's directory of another group (what cp -a and tar -xp do to a
// setgid directory they copy): CAP_FOWNER to change the mode, CAP_FSETID for the bit to stay.
// Without CAP_FSETID the call still succeeds and the bit is silently dropped.
TEST_F(BothEngines, ChmodOfAnotherUsersSetgidDirectoryNeedsFownerAndFsetid) {
  const std::string target = dir_ + "/shared";
  for (const std::string& engine : kEngines) {
    SCOPED_TRACE(engine);
    fs::remove(target);
    ASSERT_EQ(mkdir(target.c_str(), 0755), 0);
    ASSERT_EQ(chown(target.c_str(), 65534, 65534), 0);
    auto caps = capabilities(engine, {"chmod", "2755", target});
    struct stat st {};
    ASSERT_EQ(stat(target.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 02755u);
    if (caps) {
      EXPECT_EQ(*caps, (Names{"CAP_FOWNER", "CAP_FSETID"}));
    }
  }
}

// cp -a of a tree another user owns: the copies are chowned back to that user and their ACLs
// set, and each ACL set asks CAP_FSETID (posix_acl_update_mode: may S_ISGID stay?), which
// matters only for a setgid file. Neither engine reports it; both report the same.
TEST_F(BothEngines, CopyingAnotherUsersTreeNeedsNoFsetidForItsAcls) {
  fs::create_directories(dir_ + "/src/d");
  std::ofstream(dir_ + "/src/d/f") << "x\n";
  for (const auto& p : {dir_ + "/src", dir_ + "/src/d", dir_ + "/src/d/f"}) ASSERT_EQ(chown(p.c_str(), 65534, 65534), 0);
  std::optional<Names> first;
  for (const std::string& engine : kEngines) {
    SCOPED_TRACE(engine);
    fs::remove_all(dir_ + "/dst");
    auto caps = capabilities(engine, {"cp", "-a", dir_ + "/src", dir_ + "/dst"});
    if (!caps) continue;
    EXPECT_NE(std::ranges::find(*caps, "CAP_CHOWN"), caps->end());
    EXPECT_EQ(std::ranges::find(*caps, "CAP_FSETID"), caps->end());
    if (first) {
      EXPECT_EQ(*caps, *first);
    }
    first = caps;
  }
}

// Root hard-links another user's file, which root's mode bits do not let it write: with
// fs.protected_hardlinks, CAP_DAC_OVERRIDE makes it a safe source (CAP_FOWNER would do too).
TEST_F(BothEngines, HardLinkingAnotherUsersFileNeedsDacOverride) {
  std::ifstream protect("/proc/sys/fs/protected_hardlinks");
  int on = 0;
  if (!(protect >> on) || on != 1) GTEST_SKIP() << "fs.protected_hardlinks is not 1 here";
  const std::string source = dir_ + "/notes";
  std::ofstream(source) << "x\n";
  ASSERT_EQ(chown(source.c_str(), 65534, 65534), 0);
  ASSERT_EQ(chmod(source.c_str(), 0644), 0);
  for (const std::string& engine : kEngines) {
    SCOPED_TRACE(engine);
    fs::remove(dir_ + "/link");
    auto caps = capabilities(engine, {"ln", source, dir_ + "/link"});
    if (caps) {
      EXPECT_EQ(*caps, Names{"CAP_DAC_OVERRIDE"});
    }
  }
}

}  // namespace
}  // namespace syscap::testing
