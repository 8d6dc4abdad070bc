// CPU placement of the tracer: PlacementPolicy's decisions, and on real workloads that the
// tracer pins only itself (the workload's affinity is what it would be natively).
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "syscap/tracer/cpu_placement.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::tracer {
namespace {

using Kind = PlacementPolicy::Kind;
using Action = PlacementPolicy::Action;

TEST(PlacementPolicy, PinsToTheOnlyTaskAndFollowsIt) {
  PlacementPolicy p({0, 1});
  EXPECT_EQ(p.update(1, 1), (Action{Kind::Pin, 1}));
  EXPECT_EQ(p.pinned(), 1);
  EXPECT_EQ(p.update(1, 1), Action{});  // no syscall when nothing changed
  EXPECT_EQ(p.update(1, 0), (Action{Kind::Pin, 0}));  // the task migrated
  EXPECT_EQ(p.pinned(), 0);
}

TEST(PlacementPolicy, UnpinsWhileTwoOrMoreTasksLiveAndPinsAgainAfter) {
  PlacementPolicy p({0, 1, 2, 3});
  EXPECT_EQ(p.update(1, 2), (Action{Kind::Pin, 2}));
  EXPECT_EQ(p.update(2, -1), (Action{Kind::Unpin, -1}));
  EXPECT_EQ(p.pinned(), -1);
  EXPECT_EQ(p.update(5, -1), Action{});
  EXPECT_EQ(p.update(2, -1), Action{});
  EXPECT_EQ(p.update(1, 3), (Action{Kind::Pin, 3}));
}

TEST(PlacementPolicy, UnknownOrForeignCpuKeepsThePin) {
  PlacementPolicy p({2, 3});
  EXPECT_EQ(p.update(1, -1), Action{});
  EXPECT_EQ(p.update(1, 0), Action{});  // not in the tracer's own affinity
  EXPECT_EQ(p.update(1, 3), (Action{Kind::Pin, 3}));
  EXPECT_EQ(p.update(1, -1), Action{});
  EXPECT_EQ(p.pinned(), 3);
}

TEST(PlacementPolicy, NothingToChooseOnOneCpu) {
  PlacementPolicy p({0});
  EXPECT_EQ(p.update(1, 0), Action{});
  EXPECT_EQ(p.update(2, -1), Action{});
  EXPECT_EQ(p.pinned(), -1);
}

// ---- on real workloads ----

std::string workload(const char* name) { return std::string(SYSCAP_WORKLOAD_DIR) + "/" + name; }

int allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
  return CPU_COUNT(&set);
}

std::string status_line(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) return line;
  return "";
}

// Notes, at each seccomp stop, which task stopped and how many CPUs the tracer (this thread:
// observers run in the event loop) may run on at that moment.
class AffinityProbe : public SyscallObserver {
 public:
  Resume on_syscall(const SeccompStop& s) override {
    seen.emplace_back(s.pid, allowed_cpus());
    return Resume::Continue;
  }
  std::vector<std::pair<pid_t, int>> seen;
};

TEST(CpuPlacement, WorkloadSeesItsNativeAffinity) {
  const int cpus = allowed_cpus();
  if (cpus < 2) GTEST_SKIP() << "one CPU: the tracer has nowhere else to go";
  char dir[] = "/tmp/syscap-placement-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string out = std::string(dir) + "/out";
  TracerOptions o;
  o.cpu_placement = CpuPlacement::Auto;
  o.command = {"sh", "-c", "nproc > " + out + "; grep Cpus_allowed_list /proc/self/status >> " + out};
  auto run = run_traced(o);
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->exit.code, 0);
  std::ifstream in(out);
  std::stringstream got;
  got << in.rdbuf();
  // Natively the workload would inherit this process's mask.
  EXPECT_EQ(got.str(), std::to_string(cpus) + "\n" +
                           status_line("/proc/self/status", "Cpus_allowed_list") + "\n");
  std::remove(out.c_str());
  rmdir(dir);
}

TEST(CpuPlacement, TracerPinnedWhileOneTaskAndRestoredAfter) {
  const int cpus = allowed_cpus();
  if (cpus < 2) GTEST_SKIP() << "one CPU: the tracer has nowhere else to go";
  AffinityProbe probe;
  TracerOptions o;
  o.cpu_placement = CpuPlacement::Auto;
  o.command = {workload("wl_storm"), "20"};
  o.observers = {&probe};
  auto run = run_traced(o);
  ASSERT_TRUE(run) << run.error().message();
  ASSERT_FALSE(probe.seen.empty());
  for (const auto& [pid, tracer_cpus] : probe.seen) EXPECT_EQ(tracer_cpus, 1) << "pid " << pid;
  EXPECT_EQ(allowed_cpus(), cpus);  // run_traced put the calling thread's mask back
}

TEST(CpuPlacement, TracerUnpinnedWhileThreadsLive) {
  const int cpus = allowed_cpus();
  if (cpus < 2) GTEST_SKIP() << "one CPU: the tracer has nowhere else to go";
  AffinityProbe probe;
  TracerOptions o;
  o.cpu_placement = CpuPlacement::Auto;
  o.command = {workload("wl_threads"), "threads"};
  o.observers = {&probe};
  auto run = run_traced(o);
  ASSERT_TRUE(run) << run.error().message();
  int thread_stops = 0;
  for (const auto& [pid, tracer_cpus] : probe.seen) {
    if (pid == run->pid) continue;  // the main thread is alone before and after its threads
    ++thread_stops;
    EXPECT_EQ(tracer_cpus, cpus) << "stop of thread " << pid;
  }
  EXPECT_GT(thread_stops, 0);
  EXPECT_EQ(probe.seen.front().second, 1);  // the main thread's first call, alone
  EXPECT_EQ(allowed_cpus(), cpus);
}

TEST(CpuPlacement, NoneIsTheDefault) { EXPECT_EQ(TracerOptions{}.cpu_placement, CpuPlacement::None); }

TEST(CpuPlacement, NoneLeavesTheTracerAlone) {
  const int cpus = allowed_cpus();
  AffinityProbe probe;
  TracerOptions o;
  o.command = {workload("wl_storm"), "20"};
  o.observers = {&probe};
  o.cpu_placement = CpuPlacement::None;
  auto run = run_traced(o);
  ASSERT_TRUE(run) << run.error().message();
  ASSERT_FALSE(probe.seen.empty());
  for (const auto& [pid, tracer_cpus] : probe.seen) EXPECT_EQ(tracer_cpus, cpus) << "pid " << pid;
}

}  // namespace
}  // namespace syscap::tracer
