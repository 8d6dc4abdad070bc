// End to end through the syscap binary: `syscap record` on each cap_* workload writes exactly
// its capability into the trace's "capabilities" array (nothing for the benign twin),
// `syscap caps` prints the table and the docker flags, and `--verify-caps` agrees.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
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

TEST(CapsCommand, UnreadableTraceIsAnError) {
  const auto r = test::run_command({SYSCAP_BINARY, "caps", "/nonexistent/trace.json"});
  EXPECT_NE(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("/nonexistent/trace.json"), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace syscap::testing
