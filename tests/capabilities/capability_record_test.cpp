// End to end through the syscap binary: `syscap record` on each cap_* workload writes exactly
// its capability into the trace's "capabilities" array (nothing for the benign twin),
// `syscap caps` prints the table and the docker flags, and `--verify-caps` agrees.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "capability_workloads.hpp"
#include "syscap/tables/capabilities.hpp"

namespace syscap::testing {
namespace {

namespace fs = std::filesystem;

class RecordTest : public ::testing::TestWithParam<CapabilityWorkload> {
 protected:
  void SetUp() override {
    if (auto why = unsupported_reason(GetParam())) GTEST_SKIP() << *why;
    char tmpl[] = "/tmp/syscap-caps-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // Runs `syscap record [extra] -o trace.json -- PROGRAM mode [operand]` (the ptrace engine,
  // whose rule model these tests are about, unless `extra` names one); returns the trace.
  nlohmann::json record(const std::string& mode, const std::vector<std::string>& extra = {},
                        test::CommandResult* result = nullptr) {
    OperandFixture op(mode == "need" ? GetParam().operand : Operand::None);
    const std::string trace = dir_ + "/" + mode + ".json";
    std::vector<std::string> argv{SYSCAP_BINARY, "record"};
    if (std::find(extra.begin(), extra.end(), "--engine") == extra.end()) argv.insert(argv.end(), {"--engine", "ptrace"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {"-o", trace, "--", workload_path(GetParam().program), mode});
    if (!op.argument().empty()) argv.push_back(op.argument());
    const auto r = test::run_command(argv);
    if (result) *result = r;
    EXPECT_EQ(r.status, 0) << r.describe();
    std::ifstream in(trace);
    EXPECT_TRUE(in.good()) << "no trace written: " << r.describe();
    return in.good() ? nlohmann::json::parse(in) : nlohmann::json::object();
  }
  static std::vector<std::string> names(const nlohmann::json& trace) {
    std::vector<std::string> out;
    for (const auto& c : trace.value("capabilities", nlohmann::json::array())) out.push_back(c["name"]);
    return out;
  }
  std::string dir_;
};

TEST_P(RecordTest, NeedModeRecordsExactlyItsCapability) {
  const nlohmann::json trace = record("need");
  EXPECT_EQ(names(trace), std::vector<std::string>{GetParam().cap});
  ASSERT_EQ(trace["capabilities"].size(), 1u);
  const auto& evidence = trace["capabilities"][0]["evidence"];
  ASSERT_FALSE(evidence.empty());
  for (const char* key : {"syscall", "arch", "args", "pid", "exe", "why"})
    EXPECT_TRUE(evidence[0].contains(key)) << key;
  EXPECT_TRUE(evidence[0]["args"].is_object());
  EXPECT_NE(evidence[0]["exe"].get<std::string>().find(GetParam().program), std::string::npos);
}

std::string case_name(const ::testing::TestParamInfo<CapabilityWorkload>& info) {
  return info.param.program.substr(3);  // "cap_chown", "cap32_chown"
}

// The kernel checks the model: where the kernel's checks are watched, the capability the rule
// model found was one the kernel asked for.
TEST_P(RecordTest, KernelCheckedWhatTheModelFound) {
  const nlohmann::json trace = record("need");
  if (!trace.contains("kernel_checks"))
    GTEST_SKIP() << "the kernel's capability checks are not watched here: "
                 << trace.value("kernel_checks_unseen", std::string("(no reason in the trace)"));
  EXPECT_FALSE(trace.contains("unchecked_capabilities")) << trace["unchecked_capabilities"];
  bool checked = false;
  for (const auto& c : trace["kernel_checks"])
    checked |= c["capability"] == GetParam().cap && c["granted"] == true;
  EXPECT_TRUE(checked) << "the kernel never granted " << GetParam().cap << ": " << trace["kernel_checks"].dump();
}

// The BPF engine judges capabilities from the kernel's checks: the same as the ptrace engine's
// rule model on every workload, need and benign.
class BpfRecordTest : public RecordTest {
 protected:
  void SetUp() override {
    RecordTest::SetUp();
    if (IsSkipped()) return;
    static const std::string why_not = unusable_reason(dir_);
    if (!why_not.empty()) GTEST_SKIP() << why_not;
  }
  // Why the engine cannot judge capabilities here ("" when it can): one probe run per process.
  static std::string unusable_reason(const std::string& dir) {
    const auto probe = test::run_command({SYSCAP_BINARY, "record", "--engine", "bpf", "-o", dir + "/probe.json", "--", "true"});
    if (probe.status != 0) return "the BPF engine cannot record here: " + probe.err;
    std::ifstream in(dir + "/probe.json");
    const auto trace = nlohmann::json::parse(in);
    if (!trace.contains("kernel_checks"))
      return "the BPF engine cannot see capability checks here: " + trace.value("kernel_checks_unseen", std::string());
    return "";
  }
};

TEST_P(BpfRecordTest, NeedModeRecordsExactlyItsCapability) {
  test::CommandResult r;
  const nlohmann::json trace = record("need", {"--engine", "bpf"}, &r);
  EXPECT_EQ(trace.value("engine", ""), "bpf");
  EXPECT_EQ(names(trace), std::vector<std::string>{GetParam().cap}) << trace.value("kernel_checks", nlohmann::json()).dump();
  if (!trace["capabilities"].empty()) {
    const auto& evidence = trace["capabilities"][0]["evidence"];
    ASSERT_FALSE(evidence.empty());
    EXPECT_NE(evidence[0]["exe"].get<std::string>().find(GetParam().program), std::string::npos);
    EXPECT_NE(evidence[0]["why"].get<std::string>().find("kernel checked"), std::string::npos) << evidence[0];
  }
}

TEST_P(BpfRecordTest, BenignTwinRecordsNoCapability) {
  const nlohmann::json trace = record("benign", {"--engine", "bpf"});
  EXPECT_EQ(names(trace), std::vector<std::string>{}) << trace.value("kernel_checks", nlohmann::json()).dump();
}

INSTANTIATE_TEST_SUITE_P(Workloads, BpfRecordTest, ::testing::ValuesIn(capability_workloads()), case_name);

TEST_P(RecordTest, BenignTwinRecordsNoCapability) {
  const nlohmann::json trace = record("benign");
  ASSERT_TRUE(trace.contains("capabilities"));
  EXPECT_EQ(names(trace), std::vector<std::string>{});
}

TEST_P(RecordTest, CapsCommandPrintsTheTableAndDockerFlags) {
  const nlohmann::json trace = record("need");
  const auto r = test::run_command({SYSCAP_BINARY, "caps", dir_ + "/need.json"});
  EXPECT_EQ(r.status, 0) << r.describe();
  const auto cap = tables::capability_by_name(GetParam().cap);
  ASSERT_TRUE(cap);
  EXPECT_NE(r.out.find(GetParam().cap), std::string::npos) << r.describe();
  EXPECT_NE(r.out.find("why: "), std::string::npos) << r.describe();
  EXPECT_NE(r.out.find("docker run --cap-drop ALL --cap-add " + std::string(tables::facts(*cap).docker_name)),
            std::string::npos) << r.describe();
  // Whether the kernel was seen to check it: it was, where the checks are watched.
  if (trace.contains("kernel_checks"))
    EXPECT_NE(r.out.find(GetParam().cap + ": the kernel checked it in "), std::string::npos) << r.describe();
  else
    EXPECT_NE(r.out.find("The kernel's capability checks were not watched: "), std::string::npos) << r.describe();
}

TEST_P(RecordTest, VerifyCapsAgrees) {
  test::CommandResult r;
  const nlohmann::json trace = record("need", {"--verify-caps"}, &r);
  EXPECT_EQ(names(trace), std::vector<std::string>{GetParam().cap}) << r.describe();
  EXPECT_NE(r.err.find("verify: without " + GetParam().cap), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find("-> needed"), std::string::npos) << r.describe();
}


INSTANTIATE_TEST_SUITE_P(Workloads, RecordTest, ::testing::ValuesIn(capability_workloads()), case_name);

TEST(CapsCommand, TraceWithoutCapabilitiesSaysSo) {
  char tmpl[] = "/tmp/syscap-caps-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string trace = std::string(tmpl) + "/t.json";
  auto r = test::run_command({SYSCAP_BINARY, "record", "-q", "-o", trace, "--", "/bin/true"});
  ASSERT_EQ(r.status, 0) << r.describe();
  r = test::run_command({SYSCAP_BINARY, "caps", trace});
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.out.find("No capabilities needed."), std::string::npos) << r.describe();
  EXPECT_NE(r.out.find("docker run --cap-drop ALL ..."), std::string::npos) << r.describe();
  fs::remove_all(tmpl);
}

// A shell writes to a set-user-ID file: the write keeps the bit only with CAP_FSETID, so the
// recorder reports it; but nothing checks the bit, so without it the run ends the same and no
// call is refused: --verify-caps drops it and says so.
TEST(VerifyCaps, DropsACapabilityWhoseLossChangesNothing) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  char tmpl[] = "/tmp/syscap-caps-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string script = "f=$(mktemp -p " + dir + "); chmod 4755 $f; echo x >> $f; rm $f";
  auto r = test::run_command({SYSCAP_BINARY, "record", "--engine", "ptrace", "-o", dir + "/plain.json", "--", "sh", "-c", script});
  ASSERT_EQ(r.status, 0) << r.describe();
  std::ifstream plain(dir + "/plain.json");
  const auto recorded = nlohmann::json::parse(plain);
  ASSERT_EQ(recorded["capabilities"].size(), 1u);
  EXPECT_EQ(recorded["capabilities"][0]["name"], "CAP_FSETID");

  r = test::run_command({SYSCAP_BINARY, "record", "--engine", "ptrace", "--verify-caps", "-o",
                         dir + "/verified.json", "--", "sh", "-c", script});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("verify: without CAP_FSETID: exit 0 -> not needed"), std::string::npos) << r.describe();
  std::ifstream verified(dir + "/verified.json");
  EXPECT_TRUE(nlohmann::json::parse(verified)["capabilities"].empty());
  fs::remove_all(dir);
}

// Same uid, but the target holds a capability the workload lacks (commoncap's subset test):
// following its ns/ links then asks for CAP_SYS_PTRACE, which both engines report. The
// workload runs without CAP_SYS_NICE (dropped from syscap's bounding set by setpriv) and reads
// the links of this test's process, which holds every capability it started with.
TEST(ProcLinks, ATargetHoldingACapabilityTheCallerLacksNeedsSysPtrace) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  const auto nice_bit = tables::capability_bit(tables::Capability::SysNice);
  std::ifstream status("/proc/self/status");
  std::string line;
  std::uint64_t permitted = 0;
  while (std::getline(status, line))
    if (line.starts_with("CapPrm:")) permitted = std::stoull(line.substr(7), nullptr, 16);
  if (!(permitted & nice_bit)) GTEST_SKIP() << "this process lacks CAP_SYS_NICE, the capability the workload goes without";
  if (test::run_command({"setpriv", "--version"}).status != 0) GTEST_SKIP() << "no setpriv (util-linux)";
  char tmpl[] = "/tmp/syscap-caps-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  for (const std::string engine : {"ptrace", "bpf"}) {
    SCOPED_TRACE(engine);
    const std::string trace = dir + "/" + engine + ".json";
    const auto r = test::run_command({"setpriv", "--bounding-set", "-sys_nice", SYSCAP_BINARY, "record", "--engine", engine,
                                      "-o", trace, "--", workload_path("wl_cap_sys_ptrace_links"), "need",
                                      std::to_string(getpid())});
    if (engine == "bpf" && r.status == 125) {
      std::cout << "[  SKIPPED ] the BPF engine: " << r.err << "\n";
      continue;
    }
    ASSERT_EQ(r.status, 0) << r.describe();
    std::ifstream in(trace);
    const auto recorded = nlohmann::json::parse(in);
    if (engine == "bpf" && !recorded.contains("kernel_checks")) {
      std::cout << "[  SKIPPED ] the BPF engine sees no capability checks here\n";
      continue;
    }
    ASSERT_EQ(recorded["capabilities"].size(), 1u) << recorded["capabilities"].dump();
    EXPECT_EQ(recorded["capabilities"][0]["name"], "CAP_SYS_PTRACE");
  }
  fs::remove_all(dir);
}

// In a new pid namespace with its own /proc, /proc/1 is the workload's own first process, not
// the machine's pid 1 (which here holds capabilities root lacks): reading its files needs
// nothing more than the namespace itself (CAP_SYS_ADMIN), by either engine.
TEST(ProcLinks, ANewPidNamespacesProcNamesItsOwnProcesses) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  if (test::run_command({"unshare", "-m", "-p", "-f", "--mount-proc", "true"}).status != 0)
    GTEST_SKIP() << "unshare -m -p -f --mount-proc does not work here";
  char tmpl[] = "/tmp/syscap-caps-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  for (const std::string engine : {"ptrace", "bpf"}) {
    SCOPED_TRACE(engine);
    const std::string trace = dir + "/" + engine + ".json";
    const auto r = test::run_command({SYSCAP_BINARY, "record", "--engine", engine, "-o", trace, "--", "unshare", "-m",
                                      "-p", "-f", "--mount-proc", workload_path("wl_cap_sys_ptrace_links"), "need", "1"});
    if (engine == "bpf" && r.status == 125) {
      std::cout << "[  SKIPPED ] the BPF engine: " << r.err << "\n";
      continue;
    }
    ASSERT_EQ(r.status, 0) << r.describe();
    std::ifstream in(trace);
    const auto recorded = nlohmann::json::parse(in);
    std::vector<std::string> names;
    for (const auto& c : recorded["capabilities"]) names.push_back(c["name"]);
    EXPECT_EQ(names, std::vector<std::string>{"CAP_SYS_ADMIN"}) << recorded["capabilities"].dump();
  }
  fs::remove_all(dir);
}

// chmod 2755 of another user's directory of another group (what cp -a and tar -xp do to a
// setgid directory they copy): CAP_FOWNER to change the mode, CAP_FSETID for the bit to stay.
// Without CAP_FSETID the call still succeeds and the bit is silently dropped.
TEST(SetgidDirectory, ChmodOfAnotherUsersSetgidDirectoryNeedsFownerAndFsetid) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  char tmpl[] = "/tmp/syscap-caps-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string target = dir + "/shared";
  for (const std::string engine : {"ptrace", "bpf"}) {
    SCOPED_TRACE(engine);
    fs::remove(target);
    ASSERT_EQ(mkdir(target.c_str(), 0755), 0);
    ASSERT_EQ(chown(target.c_str(), 65534, 65534), 0);
    const std::string trace = dir + "/" + engine + ".json";
    const auto r = test::run_command({SYSCAP_BINARY, "record", "--engine", engine, "-o", trace, "--", "chmod", "2755", target});
    if (engine == "bpf" && r.status == 125) {
      std::cout << "[  SKIPPED ] the BPF engine: " << r.err << "\n";
      continue;
    }
    ASSERT_EQ(r.status, 0) << r.describe();
    struct stat st {};
    ASSERT_EQ(stat(target.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 02755u);
    std::ifstream in(trace);
    const auto recorded = nlohmann::json::parse(in);
    if (engine == "bpf" && !recorded.contains("kernel_checks")) {
      std::cout << "[  SKIPPED ] the BPF engine sees no capability checks here\n";
      continue;
    }
    std::vector<std::string> names;
    for (const auto& c : recorded["capabilities"]) names.push_back(c["name"]);
    EXPECT_EQ(names, (std::vector<std::string>{"CAP_FOWNER", "CAP_FSETID"})) << recorded["capabilities"].dump();
  }
  fs::remove_all(dir);
}

// cp -a of a tree another user owns: the copies are chowned back to that user and their ACLs
// set, and each ACL set asks CAP_FSETID (posix_acl_update_mode: may S_ISGID stay?), which
// matters only for a setgid file. Neither engine reports it; both report the same.
TEST(CopyPreservingOwners, AclSetsOnAnotherGroupsFilesNeedNoFsetid) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  char tmpl[] = "/tmp/syscap-caps-e2e-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  fs::create_directories(dir + "/src/d");
  std::ofstream(dir + "/src/d/f") << "x\n";
  for (const auto& p : {dir + "/src", dir + "/src/d", dir + "/src/d/f"}) ASSERT_EQ(chown(p.c_str(), 65534, 65534), 0);
  std::map<std::string, std::vector<std::string>> found;
  for (const std::string engine : {"ptrace", "bpf"}) {
    SCOPED_TRACE(engine);
    fs::remove_all(dir + "/dst");
    const std::string trace = dir + "/" + engine + ".json";
    const auto r = test::run_command({SYSCAP_BINARY, "record", "--engine", engine, "-o", trace, "--", "cp", "-a",
                                      dir + "/src", dir + "/dst"});
    if (engine == "bpf" && r.status == 125) {
      std::cout << "[  SKIPPED ] the BPF engine: " << r.err << "\n";
      continue;
    }
    ASSERT_EQ(r.status, 0) << r.describe();
    std::ifstream in(trace);
    const auto recorded = nlohmann::json::parse(in);
    if (engine == "bpf" && !recorded.contains("kernel_checks")) {
      std::cout << "[  SKIPPED ] the BPF engine sees no capability checks here\n";
      continue;
    }
    for (const auto& c : recorded["capabilities"]) found[engine].push_back(c["name"]);
    EXPECT_NE(std::ranges::find(found[engine], "CAP_CHOWN"), found[engine].end()) << recorded["capabilities"].dump();
    EXPECT_EQ(std::ranges::find(found[engine], "CAP_FSETID"), found[engine].end()) << recorded["capabilities"].dump();
  }
  if (found.size() == 2) {
    EXPECT_EQ(found["ptrace"], found["bpf"]);
  }
  fs::remove_all(dir);
}

TEST(CapsCommand, UnreadableTraceIsAnError) {
  const auto r = test::run_command({SYSCAP_BINARY, "caps", "/nonexistent/trace.json"});
  EXPECT_NE(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("/nonexistent/trace.json"), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace syscap::testing
