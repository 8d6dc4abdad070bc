// The runtime block in the real engine: a profile that allows only a runtime's measured
// syscalls (syscap::tables::runtime_syscalls) plus the empty workload's own exit_group starts
// a container running that workload; the same profile without one of the runtime's calls
// does not. If the runtime changes (a new runc makes one more call before execve), the first
// test fails and scripts/docker/measure-runtime-syscalls has to be run again.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "docker_support.hpp"
#include "syscap/tables/runtime_syscalls.hpp"

namespace syscap::docker {
namespace {

constexpr const char* kImage = "syscap-test-empty";

struct Case {
  std::string runtime;
  std::vector<std::string> options;  // docker run options besides the profile
  std::string label;
};

// Names the case in test output (instead of gtest's byte dump).
void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

class RuntimeBlock : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (auto why = engine_skip_reason()) GTEST_SKIP() << *why;
    ASSERT_TRUE(engine_answers()) << "the private daemon of fixture docker_daemon does not answer on "
                                  << docker_host();
    if (!engine_has_runtime(GetParam().runtime)) {
      GTEST_SKIP() << "the engine has no runtime '" << GetParam().runtime
                   << "' (scripts/docker/daemon adds crun only where crun is installed)";
    }
    CommandResult image = ensure_image(kImage, {empty_workload() + ":/empty"});
    ASSERT_EQ(image.status, 0) << image.describe();
  }

  // The runtime's set plus what the empty workload itself calls, minus `without`.
  static std::vector<std::string> allowed(std::string_view runtime, std::string_view without = "") {
    auto set = syscap::tables::runtime_syscalls(runtime);
    EXPECT_TRUE(set.has_value()) << runtime;
    std::vector<std::string> names;
    if (set) {
      for (std::string_view n : *set) {
        if (n != without) names.emplace_back(n);
      }
    }
    names.emplace_back("exit_group");
    return names;
  }

  CommandResult run_empty(const std::filesystem::path& profile) {
    std::vector<std::string> args{"run", "--rm", "--network", "none", "--runtime", GetParam().runtime,
                                  "--security-opt", "seccomp=" + profile.string()};
    args.insert(args.end(), GetParam().options.begin(), GetParam().options.end());
    args.insert(args.end(), {kImage, "/empty"});
    return docker(args);
  }

  TempDir dir;
};

TEST_P(RuntimeBlock, MeasuredSetPlusEmptyWorkloadStartsTheContainer) {
  auto names = allowed(GetParam().runtime);
  write_allowlist_profile(dir.path / "profile.json", names);
  CommandResult r = run_empty(dir.path / "profile.json");
  EXPECT_EQ(r.status, 0) << "a profile of the measured " << GetParam().runtime
                            << " set + exit_group did not start /empty:\n" << r.describe();
}

// capset is made under the filter by both runtimes (to set the container's capabilities);
// refused, the runtime gives up before the workload's execve.
TEST_P(RuntimeBlock, WithoutCapsetTheContainerDoesNotStart) {
  auto names = allowed(GetParam().runtime, "capset");
  ASSERT_TRUE(std::ranges::find(names, "capset") == names.end());
  write_allowlist_profile(dir.path / "profile.json", names);
  CommandResult r = run_empty(dir.path / "profile.json");
  EXPECT_NE(r.status, 0) << "started although capset was refused:\n" << r.describe();
  // The engine reports the runtime's failure (exit 125), not a workload's exit status.
  EXPECT_EQ(r.status, 125) << r.describe();
  EXPECT_NE(r.err.find("ermitted"), std::string::npos) << r.describe();  // EPERM: "not permitted"
}

// execve is the runtime's last call under the filter: refused, everything is set up but the
// workload never runs, and the error names the exec.
TEST_P(RuntimeBlock, WithoutExecveTheWorkloadNeverRuns) {
  auto names = allowed(GetParam().runtime, "execve");
  write_allowlist_profile(dir.path / "profile.json", names);
  CommandResult r = run_empty(dir.path / "profile.json");
  EXPECT_NE(r.status, 0) << r.describe();
  EXPECT_NE(r.err.find("exec"), std::string::npos) << r.describe();
  EXPECT_NE(r.err.find("ermitted"), std::string::npos) << r.describe();
}

INSTANTIATE_TEST_SUITE_P(
    Engine, RuntimeBlock,
    ::testing::Values(Case{"runc", {}, "runc_default_caps"},
                      Case{"runc", {"--cap-drop", "ALL"}, "runc_cap_drop_all"},
                      Case{"runc", {"--cap-drop", "ALL", "--user", "65534:65534"}, "runc_user"},
                      Case{"crun", {}, "crun_default_caps"},
                      Case{"crun", {"--cap-drop", "ALL"}, "crun_cap_drop_all"}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.label; });

}  // namespace
}  // namespace syscap::docker
