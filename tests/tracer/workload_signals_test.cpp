// The order signals are forwarded to the workload's processes in: each after its parent.
#include "workload_signals.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <vector>

namespace syscap::tracer::detail {
namespace {

auto parents(std::map<pid_t, pid_t> tree) {
  return [tree](pid_t pid) -> std::optional<pid_t> {
    auto it = tree.find(pid);
    return it == tree.end() ? std::nullopt : std::optional<pid_t>(it->second);
  };
}

// A child with a lower pid than its parent (pids wrap round) still comes after it; processes
// whose parents are not the workload's (re-parented to syscap, or gone) come first.
TEST(WorkloadSignals, ParentsComeBeforeTheirChildren) {
  // 900 (sh) -> 50 (its child, pid wrapped) -> 7000 (grandchild); 300 re-parented to syscap (1).
  const auto order = parents_first({7000, 50, 900, 300, 50}, parents({{900, 1}, {50, 900}, {7000, 50}, {300, 1}}));
  EXPECT_EQ(order, (std::vector<pid_t>{300, 900, 50, 7000}));
}

TEST(WorkloadSignals, GoneProcessesAndLoopsDoNotHang) {
  // 10 is gone (no parent known); 20 and 21 claim each other (a stale answer from /proc).
  const auto order = parents_first({21, 20, 10}, parents({{20, 21}, {21, 20}}));
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order.front(), 10);
}

}  // namespace
}  // namespace syscap::tracer::detail
