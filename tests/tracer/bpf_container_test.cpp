// The BPF engine's container mode without a container engine: a process that does what a
// runtime does (joins a cgroup named after a container id, re-executes itself there, then
// leaves its parent's mount namespace and runs the "entrypoint") is followed from the
// entrypoint's execve, and the re-exec before it is not.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "syscap/tracer/bpf_engine.hpp"

namespace syscap::tracer {
namespace {

namespace fs = std::filesystem;

const std::string kId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// The cgroup2 mount (the unified hierarchy), "" when there is none.
std::string cgroup2_mount() {
  std::ifstream in("/proc/self/mounts");
  std::string device, path, type, rest;
  while (in >> device >> path >> type && std::getline(in, rest))
    if (type == "cgroup2") return path;
  return "";
}

std::uint64_t count_of(const Trace& trace, const std::string& name) {
  for (const auto& s : trace.syscalls)
    if (s.name == name && s.arch == "SCMP_ARCH_X86_64") return s.count;
  return 0;
}

// A cgroup "docker-<id>.scope" (systemd's spelling) made for the test, removed after it.
struct ContainerCgroup {
  explicit ContainerCgroup(const std::string& root) : path(fs::path(root) / ("docker-" + kId + ".scope")) {
    std::error_code ec;
    made = fs::create_directory(path, ec);
    why = ec.message();
  }
  ~ContainerCgroup() { rmdir(path.c_str()); }
  fs::path path;
  bool made = false;
  std::string why;
};

TEST(BpfContainer, FollowsTheEntrypointNotTheRuntimesReexec) {
  auto engine = BpfEngine::load(BpfTarget::Container);
  if (!engine) GTEST_SKIP() << "the BPF engine cannot load here: " << engine.error().message();
  const std::string root = cgroup2_mount();
  if (root.empty()) GTEST_SKIP() << "no cgroup2 hierarchy mounted";
  ContainerCgroup cgroup(root);
  if (!cgroup.made) GTEST_SKIP() << "cannot make a cgroup under " << root << ": " << cgroup.why;
  ASSERT_TRUE(engine->follow_container(kId).has_value());

  const std::string storm = std::string(SYSCAP_WORKLOAD_DIR) + "/wl_storm";
  const pid_t runtime = fork();
  if (runtime == 0) {
    std::ofstream(cgroup.path / "cgroup.procs") << getpid() << std::flush;
    // The runtime's own exec in the container's cgroup, in its own mount namespace.
    if (pid_t reexec = fork(); reexec == 0) {
      execl(storm.c_str(), storm.c_str(), "7", nullptr);
      _exit(127);
    } else {
      waitpid(reexec, nullptr, 0);
    }
    if (unshare(CLONE_NEWNS) != 0) _exit(100);
    execl(storm.c_str(), storm.c_str(), "1000", nullptr);
    _exit(127);
  }
  int status = 0;
  waitpid(runtime, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  if (WEXITSTATUS(status) == 100) GTEST_SKIP() << "unshare(CLONE_NEWNS) refused here";
  ASSERT_EQ(WEXITSTATUS(status), 0);

  auto run = engine->container_recording({.command = {storm, "1000"}, .exit_status = 0});
  ASSERT_TRUE(run.has_value()) << run.error().message();
  EXPECT_EQ(run->run.pid, runtime);
  EXPECT_EQ(count_of(run->trace, "getppid"), 1000u) << "the re-exec's 7 calls were counted, or some were lost";
  EXPECT_EQ(count_of(run->trace, "execve"), 1u);
  EXPECT_TRUE(run->incomplete.empty());
}

TEST(BpfContainer, AContainerNeverSeenAndBadIdsAreErrors) {
  auto engine = BpfEngine::load(BpfTarget::Container);
  if (!engine) GTEST_SKIP() << "the BPF engine cannot load here: " << engine.error().message();
  EXPECT_FALSE(engine->follow_container("abc").has_value());
  EXPECT_FALSE(engine->follow_container(std::string(64, 'G')).has_value());
  ASSERT_TRUE(engine->follow_container(kId).has_value());
  EXPECT_FALSE(engine->follow_container(kId).has_value()) << "a second container on one engine";
  auto run = engine->container_recording({.command = {"true"}, .exit_status = 127});
  ASSERT_FALSE(run.has_value());
  EXPECT_EQ(run.error().sys_errno, ESRCH);
  EXPECT_NE(run.error().message().find("no process of the container was seen starting"), std::string::npos);

  auto command_engine = BpfEngine::load();
  ASSERT_TRUE(command_engine.has_value());
  EXPECT_FALSE(command_engine->follow_container(kId).has_value());
}

}  // namespace
}  // namespace syscap::tracer
