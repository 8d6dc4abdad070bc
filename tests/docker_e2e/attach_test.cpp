// `syscap docker record --attach` and `docker profile --attach`: a running container recorded
// from the host with either engine for a while, left running; the BPF engine also follows what
// `docker exec` starts in it; the profile's check runs only when asked.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>

#include "docker_e2e_fixture.hpp"

namespace {

using namespace syscap::docker_e2e;

std::set<std::string> names_of(const json& trace) {
  std::set<std::string> names;
  for (const auto& s : trace.at("syscalls")) names.insert(s.at("name").get<std::string>());
  return names;
}

// A container running a loop of /modes base, removed at the end.
class DockerAttach : public DockerE2e {
 protected:
  void SetUp() override {
    DockerE2e::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    name_ = "syscap-attach-" + std::to_string(::getpid());
    auto run = syscap::docker::docker({"run", "-d", "--name", name_, "--network", "none", kImage, "sh", "-c",
                                       "while :; do /modes base >/dev/null; sleep 0.1; done"});
    ASSERT_EQ(run.status, 0) << run.describe();
  }
  void TearDown() override {
    if (!name_.empty()) syscap::docker::docker({"rm", "-f", name_});
  }
  bool still_running() {
    return syscap::docker::docker({"inspect", "-f", "{{.State.Running}}", name_}).out == "true\n";
  }
  std::string name_;
};

TEST_F(DockerAttach, RecordsARunningContainerWithEitherEngineAndItRunsOn) {
  std::vector<std::string> engines{"ptrace"};
  if (bpf_skip_reason().empty()) engines.push_back("bpf");
  std::map<std::string, std::set<std::string>> seen;
  for (const auto& engine : engines) {
    fs::path path = dir_.path / (engine + ".json");
    auto r = syscap({"docker", "record", "--engine", engine, "--attach", name_, "--duration", "1500ms", "-o",
                     path.string()});
    ASSERT_EQ(r.status, 0) << engine << ": " << r.describe();
    EXPECT_NE(r.err.find("start-up was not seen"), std::string::npos) << r.describe();
    json trace = read_json(path);
    ASSERT_FALSE(trace.is_discarded()) << r.describe();
    EXPECT_EQ(trace.at("window").at("ended_by"), "duration");
    EXPECT_TRUE(trace.at("exit").is_null());
    seen[engine] = names_of(trace);
    // A call asleep at attach is restarted by the kernel when ptrace interrupts it.
    seen[engine].erase("restart_syscall");
    for (const char* call : {"execve", "write", "clock_nanosleep", "wait4"})
      EXPECT_TRUE(seen[engine].contains(call)) << engine << ": " << call;
    EXPECT_TRUE(still_running()) << "the container stopped after " << engine << " recorded it";
  }
  if (seen.size() == 2) {
    EXPECT_EQ(seen["bpf"], seen["ptrace"]);
  }
  auto exec = syscap::docker::docker({"exec", name_, "/modes", "base"});
  EXPECT_EQ(exec.out, "base\n") << exec.describe();
}

TEST_F(DockerAttach, TheBpfEngineFollowsWhatDockerExecStarts) {
  if (!bpf_skip_reason().empty()) GTEST_SKIP() << bpf_skip_reason();
  fs::path path = dir_.path / "exec.json";
  syscap::docker::CommandResult r;
  std::thread recording([&] {
    r = syscap({"docker", "record", "--engine", "bpf", "--attach", name_, "--duration", "3s", "-o", path.string()});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  auto exec = syscap::docker::docker({"exec", name_, "/modes", "extra"});
  recording.join();
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_NE(exec.out.find("sysinfo: ok"), std::string::npos) << exec.describe();
  json trace = read_json(path);
  ASSERT_FALSE(trace.is_discarded());
  EXPECT_TRUE(names_of(trace).contains("sysinfo")) << "docker exec's process was not followed";
}

TEST_F(DockerAttach, ProfileOfARunningContainerChecksOnlyWhenAsked) {
  fs::path profile = dir_.path / "p.json";
  auto quiet = syscap({"docker", "profile", "--attach", name_, "--duration", "1s", "-o", profile.string()});
  EXPECT_EQ(quiet.status, 0) << quiet.describe();
  EXPECT_NE(quiet.err.find("not checked"), std::string::npos) << quiet.describe();
  EXPECT_FALSE(read_json(profile).is_discarded());

  auto checked = syscap({"docker", "profile", "--attach", name_, "--duration", "1s", "--check", "--docker-arg=--network=none",
                         "-o", profile.string()});
  EXPECT_EQ(checked.status, 0) << checked.describe();
  EXPECT_NE(checked.err.find("check: OK: still running after 5 s"), std::string::npos) << checked.describe();
  EXPECT_TRUE(still_running());

  auto usage = syscap({"docker", "record", "--attach", name_, kImage});
  EXPECT_EQ(usage.status, 125) << "docker's usage-error status: " << usage.describe();
  auto missing = syscap({"docker", "record", "--attach", "no-such-container-here", "-o", (dir_.path / "m.json").string()});
  EXPECT_NE(missing.status, 0) << missing.describe();
  EXPECT_NE(missing.err.find("no-such-container-here"), std::string::npos) << missing.describe();
}

}  // namespace
