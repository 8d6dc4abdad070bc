// CPU placement: PlacementPolicy's decisions, and on real workloads that a lone task shares
// the tracer's CPU, that tasks running together keep their masks, and that the workload sees
// its native affinity.
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

TEST(PlacementPolicy, PairsTheLoneTaskOnce) {
  PlacementPolicy p;
  p.task_started(100);
  EXPECT_EQ(p.decide(), (Action{Kind::Pair, 100}));
  EXPECT_EQ(p.paired(), 100);
  EXPECT_EQ(p.decide(), Action{});  // no syscall when nothing changed
}

TEST(PlacementPolicy, UnpairsWhenTwoCanRunAndPairsAgainAfter) {
  PlacementPolicy p;
  p.task_started(100);
  p.decide();
  p.task_started(101);  // a fork or a thread
  EXPECT_EQ(p.decide(), (Action{Kind::Unpair, 0}));
  EXPECT_EQ(p.paired(), 0);
  p.task_started(102);
  EXPECT_EQ(p.decide(), Action{});
  p.task_gone(101);
  EXPECT_EQ(p.decide(), Action{});  // 100 and 102 can still both run
  p.task_gone(102);
  EXPECT_EQ(p.decide(), (Action{Kind::Pair, 100}));
}

TEST(PlacementPolicy, AParentWaitingForItsChildLeavesTheChildAlone) {
  PlacementPolicy p;
  p.task_started(100);
  p.decide();
  p.task_started(101);
  p.decide();
  p.parked(100);  // wait4 / vfork
  EXPECT_EQ(p.decide(), (Action{Kind::Pair, 101}));
  EXPECT_FALSE(p.unparked(101));
  EXPECT_TRUE(p.unparked(100));  // its wait returned while the child still runs
  EXPECT_EQ(p.decide(), (Action{Kind::Unpair, 0}));
  p.parked(100);
  p.decide();
  p.task_gone(101);  // the child exits: the parent's wait returns, it is alone again
  EXPECT_EQ(p.decide(), Action{}) << "nothing runnable until the parent's next stop";
  EXPECT_TRUE(p.unparked(100));
  EXPECT_EQ(p.decide(), (Action{Kind::Pair, 100}));
}

TEST(PlacementPolicy, ANonLeaderExecTakesTheLeadersPlace) {
  PlacementPolicy p;
  p.task_started(100);  // the leader
  p.task_started(101);  // a thread
  p.decide();
  p.parked(100);
  EXPECT_EQ(p.decide(), (Action{Kind::Pair, 101}));
  p.task_replaced(101, 100);  // 101 exec'd: the leader is gone, 101 goes on as 100
  EXPECT_EQ(p.runnable(), 1u);
  EXPECT_EQ(p.paired(), 100);
  EXPECT_EQ(p.decide(), Action{});
}

TEST(PlacementPolicy, ForgottenPairIsMadeAgain) {
  PlacementPolicy p;
  p.task_started(100);
  p.decide();
  p.forget_pair();  // a tracee asked for its affinity: the masks were put back
  EXPECT_EQ(p.decide(), (Action{Kind::Pair, 100}));
}

// ---- on real workloads ----

std::string workload(const char* name) { return std::string(SYSCAP_WORKLOAD_DIR) + "/" + name; }

int allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
  return CPU_COUNT(&set);
}

// Notes, at each seccomp stop, which task stopped, how many CPUs the tracer (this thread:
// observers run in the event loop) may run on, and how many the stopped task may.
class AffinityProbe : public SyscallObserver {
 public:
  struct Stop {
    pid_t pid;
    int tracer_cpus, task_cpus;
  };
  Resume on_syscall(const SeccompStop& s) override {
    cpu_set_t set;
    CPU_ZERO(&set);
    const int task = sched_getaffinity(s.pid, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
    seen.push_back({s.pid, allowed_cpus(), task});
    return Resume::Continue;
  }
  std::vector<Stop> seen;
};

// Runs `command` under the placement, with the probe.
Result<RunResult> probed(const std::vector<std::string>& command, AffinityProbe& probe,
                         CpuPlacement placement = CpuPlacement::Auto) {
  TracerOptions o;
  o.cpu_placement = placement;
  o.command = command;
  o.observers = {&probe};
  return run_traced(o);
}

class CpuPlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cpus_ = allowed_cpus();
    if (cpus_ < 2) GTEST_SKIP() << "one CPU: nothing to place";
  }
  void TearDown() override {
    if (cpus_ >= 2) {
      EXPECT_EQ(allowed_cpus(), cpus_) << "run_traced put the tracer's mask back";
    }
  }
  int cpus_ = 0;
};

// The shell's output under syscap: what sched_getaffinity tells the workload (nproc, and
// taskset -p about another task of the workload) must be the native mask.
TEST_F(CpuPlacementTest, WorkloadSeesItsNativeAffinity) {
  char dir[] = "/tmp/syscap-placement-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string out = std::string(dir) + "/out";
  TracerOptions o;
  o.cpu_placement = CpuPlacement::Auto;
  o.command = {"sh", "-c", "nproc > " + out + "; taskset -p $$ | sed 's/.*: //' >> " + out};
  auto run = run_traced(o);
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->exit.code, 0);
  std::ifstream in(out);
  std::stringstream got;
  got << in.rdbuf();
  cpu_set_t set;
  CPU_ZERO(&set);
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  unsigned long mask = 0;
  for (int cpu = 0; cpu < 64; ++cpu) {
    if (CPU_ISSET(cpu, &set)) mask |= 1ul << cpu;
  }
  // Natively the workload would inherit this process's mask.
  std::ostringstream want;
  want << cpus_ << "\n" << std::hex << mask << "\n";
  EXPECT_EQ(got.str(), want.str());
  std::remove(out.c_str());
  rmdir(dir);
}

TEST_F(CpuPlacementTest, ALoneTaskSharesTheTracersCpu) {
  AffinityProbe probe;
  auto run = probed({workload("wl_storm"), "20"}, probe);
  ASSERT_TRUE(run) << run.error().message();
  ASSERT_FALSE(probe.seen.empty());
  for (const auto& s : probe.seen) {
    EXPECT_EQ(s.tracer_cpus, 1) << "pid " << s.pid;
    EXPECT_EQ(s.task_cpus, 1) << "pid " << s.pid;
  }
}

TEST_F(CpuPlacementTest, AChildWhoseParentWaitsSharesTheTracersCpu) {
  AffinityProbe probe;
  // Enough calls that most come after the shell has entered wait4, even on a loaded machine.
  auto run = probed({"sh", "-c", workload("wl_storm") + " 500; true"}, probe);
  ASSERT_TRUE(run) << run.error().message();
  int child_stops = 0;
  for (const auto& s : probe.seen) {
    if (s.pid == run->pid) continue;
    // The child's first calls may come before the shell has entered wait4.
    if (s.tracer_cpus == 1 && s.task_cpus == 1) ++child_stops;
  }
  EXPECT_GT(child_stops, 250) << "the storm child (500 getppid) was not paired while sh waited";
}

TEST_F(CpuPlacementTest, ThreadsRunningTogetherKeepTheirMasks) {
  AffinityProbe probe;
  auto run = probed({workload("wl_threads"), "threads"}, probe);
  ASSERT_TRUE(run) << run.error().message();
  int thread_stops = 0;
  for (const auto& s : probe.seen) {
    if (s.pid == run->pid) continue;  // the main thread is alone before and after its threads
    ++thread_stops;
    EXPECT_EQ(s.tracer_cpus, cpus_) << "stop of thread " << s.pid;
    EXPECT_EQ(s.task_cpus, cpus_) << "stop of thread " << s.pid;
  }
  EXPECT_GT(thread_stops, 0);
  EXPECT_EQ(probe.seen.front().task_cpus, 1);  // the main thread's first call, alone
}

TEST_F(CpuPlacementTest, AWorkloadThatSetsItsAffinityKeepsItAndEndsThePlacement) {
  cpu_set_t set;
  CPU_ZERO(&set);
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  int chosen = 0;  // the last CPU we may use
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) chosen = cpu;
  }
  AffinityProbe probe;
  auto run = probed({"taskset", "-c", std::to_string(chosen), workload("wl_storm"), "20"}, probe);
  ASSERT_TRUE(run) << run.error().message();
  EXPECT_EQ(run->exit.code, 0);
  ASSERT_FALSE(probe.seen.empty());
  // The storm's calls: its mask is the one taskset chose; the tracer is free again.
  const auto& last = probe.seen.back();
  EXPECT_EQ(last.task_cpus, 1);
  EXPECT_EQ(last.tracer_cpus, cpus_);
}

TEST(CpuPlacement, AutoIsTheDefault) { EXPECT_EQ(TracerOptions{}.cpu_placement, CpuPlacement::Auto); }

TEST(CpuPlacement, NoneLeavesTracerAndWorkloadAlone) {
  const int cpus = allowed_cpus();
  AffinityProbe probe;
  auto run = probed({workload("wl_storm"), "20"}, probe, CpuPlacement::None);
  ASSERT_TRUE(run) << run.error().message();
  ASSERT_FALSE(probe.seen.empty());
  for (const auto& s : probe.seen) {
    EXPECT_EQ(s.tracer_cpus, cpus) << "pid " << s.pid;
    EXPECT_EQ(s.task_cpus, cpus) << "pid " << s.pid;
  }
}

}  // namespace
}  // namespace syscap::tracer
