// The capability observer on real processes: every cap_* workload, traced through the library
// (run_traced with the Recorder and the CapabilityObserver), must report exactly its
// capability in `need` mode and nothing in `benign` mode. The workloads' premise is checked
// too: `need` fails without capabilities and works with only its own.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fmt/format.h>

#include "capability_workloads.hpp"
#include "syscap/capabilities/observer.hpp"
#include "syscap/tracer/recorder.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::testing {
namespace {

class WorkloadTest : public ::testing::TestWithParam<CapabilityWorkload> {
 protected:
  void SetUp() override {
    if (auto why = unsupported_reason(GetParam())) GTEST_SKIP() << *why;
  }
  std::vector<std::string> argv(const std::string& mode, const OperandFixture& op) {
    std::vector<std::string> a{workload_path(GetParam().program), mode};
    if (mode == "need" && !op.argument().empty()) a.push_back(op.argument());
    return a;
  }
  // Traces argv; returns the capability names found and sets `exit_status`.
  std::vector<std::string> traced_caps(const std::vector<std::string>& command, int& exit_status,
                                       std::vector<tracer::CapabilityRecord>* records = nullptr) {
    tracer::Recorder recorder;
    capabilities::CapabilityObserver caps;
    tracer::TracerOptions opts;
    opts.command = command;
    opts.observers = {&recorder, &caps};
    opts.forward_signals = false;
    auto run = tracer::run_traced(opts);
    EXPECT_TRUE(run.has_value()) << (run ? "" : run.error().message());
    exit_status = run ? run->exit.shell_status() : -1;
    std::vector<std::string> names;
    for (const auto& r : caps.capabilities()) names.push_back(r.name);
    if (records) *records = caps.capabilities();
    return names;
  }
};

std::string setpriv_caps(const std::string& cap) {
  std::string name = cap.substr(4);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

TEST_P(WorkloadTest, NeedModeFailsWithoutCapabilitiesAndWorksWithOnlyItsOwn) {
  OperandFixture none(GetParam().operand);
  auto cmd = argv("need", none);
  std::vector<std::string> dropped{"setpriv", "--bounding-set", "-all", "--inh-caps", "-all"};
  dropped.insert(dropped.end(), cmd.begin(), cmd.end());
  auto r = test::run_command(dropped);
  EXPECT_EQ(r.status, 1) << "without capabilities: " << r.describe();

  OperandFixture fresh(GetParam().operand);
  cmd = argv("need", fresh);
  std::vector<std::string> only{"setpriv", "--bounding-set", "-all,+" + setpriv_caps(GetParam().cap),
                                "--inh-caps", "-all"};
  only.insert(only.end(), cmd.begin(), cmd.end());
  r = test::run_command(only);
  EXPECT_EQ(r.status, 0) << "with only " << GetParam().cap << ": " << r.describe();

  if (!GetParam().has_fallback) {
    OperandFixture third(GetParam().operand);
    cmd = argv("need", third);
    std::vector<std::string> minus{"setpriv", "--bounding-set", "+all,-" + setpriv_caps(GetParam().cap),
                                   "--inh-caps", "-all"};
    minus.insert(minus.end(), cmd.begin(), cmd.end());
    r = test::run_command(minus);
    EXPECT_EQ(r.status, 1) << "without " << GetParam().cap << ": " << r.describe();
  }
}

TEST_P(WorkloadTest, BenignModeWorksWithoutCapabilities) {
  std::vector<std::string> cmd{"setpriv", "--bounding-set", "-all", "--inh-caps", "-all",
                               workload_path(GetParam().program), "benign"};
  const auto r = test::run_command(cmd);
  EXPECT_EQ(r.status, 0) << r.describe();
}

TEST_P(WorkloadTest, ObserverReportsExactlyTheCapabilityWithEvidence) {
  OperandFixture op(GetParam().operand);
  int status = 0;
  std::vector<tracer::CapabilityRecord> records;
  EXPECT_EQ(traced_caps(argv("need", op), status, &records), std::vector<std::string>{GetParam().cap});
  EXPECT_EQ(status, 0);
  ASSERT_EQ(records.size(), 1u);
  ASSERT_FALSE(records[0].evidence.empty());
  const auto& e = records[0].evidence[0];
  EXPECT_FALSE(e.syscall.empty());
  EXPECT_EQ(e.arch, GetParam().is_i386() ? "SCMP_ARCH_X86" : "SCMP_ARCH_X86_64");
  EXPECT_GT(e.pid, 0);
  EXPECT_NE(e.exe.find(GetParam().program), std::string::npos) << e.exe;
  EXPECT_FALSE(e.why.empty());
  EXPECT_TRUE(e.args.is_object());
}

TEST_P(WorkloadTest, ObserverReportsNothingForTheBenignTwin) {
  OperandFixture op(Operand::None);
  int status = 0;
  EXPECT_EQ(traced_caps(argv("benign", op), status), std::vector<std::string>{});
  EXPECT_EQ(status, 0);
}

std::string case_name(const ::testing::TestParamInfo<CapabilityWorkload>& info) {
  return info.param.program.substr(3);  // "cap_chown", "cap32_chown"
}

INSTANTIATE_TEST_SUITE_P(Workloads, WorkloadTest, ::testing::ValuesIn(capability_workloads()), case_name);

}  // namespace
}  // namespace syscap::testing
