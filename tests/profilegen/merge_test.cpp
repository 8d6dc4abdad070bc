// Merging traces keeps every syscall, argument value, capability and evidence.
#include <gtest/gtest.h>

#include <algorithm>

#include "syscap/profilegen/generator.hpp"
#include "syscap/profilegen/merge.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

const TraceSyscall& find(const Trace& t, const std::string& name) {
  auto it = std::ranges::find(t.syscalls, name, &TraceSyscall::name);
  EXPECT_NE(it, t.syscalls.end()) << name;
  return *it;
}

TEST(Merge, UnionKeepsEverything) {
  std::vector<Trace> both = {test::load_test_trace("merge-a"), test::load_test_trace("merge-b")};
  Trace m = merge_traces(both);
  for (const Trace& t : both) {
    for (const auto& s : t.syscalls) EXPECT_NE(std::ranges::find(m.syscalls, s.name, &TraceSyscall::name), m.syscalls.end()) << s.name;
  }
  const auto& socket = find(m, "socket");
  EXPECT_EQ(socket.count, 3u);
  EXPECT_EQ(socket.args[0].values, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(socket.args[1].values, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(socket.args[2].values, (std::vector<std::uint64_t>{0, 17}));
  EXPECT_FALSE(socket.args[0].truncated);
  EXPECT_EQ(find(m, "read").count, find(both[0], "read").count + find(both[1], "read").count);

  ASSERT_EQ(m.capabilities.size(), 2u);
  EXPECT_EQ(m.capabilities[0].name, "CAP_CHOWN");
  EXPECT_EQ(m.capabilities[1].name, "CAP_KILL");
  EXPECT_EQ(m.processes, both[0].processes + both[1].processes);
  EXPECT_EQ(m.command, both[0].command);
  EXPECT_TRUE(std::ranges::is_sorted(m.syscalls, {}, [](const TraceSyscall& s) { return std::pair(s.arch, s.name); }));
}

TEST(Merge, EvidenceIsKeptOnceEach) {
  Trace a = test::load_test_trace("chown");
  Trace b = a;
  b.capabilities[0].evidence[0].pid = 9999;  // a new call
  Trace m = merge_traces(std::vector<Trace>{a, b});
  ASSERT_EQ(m.capabilities.size(), 1u);
  EXPECT_EQ(m.capabilities[0].evidence.size(), 3u);  // 2 from a, the changed one from b
}

// A window (attached: exit unknown, start-up unseen) merged with a recording of the start is
// no window any more and takes the start's exit; windows alone stay a window.
TEST(Merge, AStartRecordingCompletesAnAttachedWindow) {
  Trace start = test::make_trace({"execve", "read"});
  start.exit.code = 3;
  Trace window = test::make_trace({"read", "accept4"});
  window.exit = {};
  window.window = TraceWindow{{42}, "2026-12-06T20:31:02.123Z", "2026-12-06T20:32:02.123Z", "duration"};
  Trace m = merge_traces(std::vector<Trace>{window, start});
  EXPECT_FALSE(m.window.has_value());
  EXPECT_EQ(m.exit.code, std::optional<std::uint64_t>(3));
  Trace only = merge_traces(std::vector<Trace>{window, window});
  ASSERT_TRUE(only.window.has_value());
  EXPECT_EQ(only.window->pids, std::vector<std::uint64_t>{42});
}

TEST(Merge, ArgumentOneSideDidNotRecordMakesItIncomplete) {
  Trace a = test::make_trace({"read"});
  test::set_arg0(a, "socket", {1});
  Trace b = test::make_trace({"socket"});  // socket without args
  Trace m = merge_traces(std::vector<Trace>{a, b});
  EXPECT_TRUE(find(m, "socket").args[0].truncated);
  // ... and an incomplete argument gives no rule.
  auto o = test::no_runtime();
  auto g = generate_profile(m, o);
  ASSERT_TRUE(g);
  EXPECT_EQ(test::rules_for(g->profile, "socket").size(), 1u);
  EXPECT_TRUE(test::rules_for(g->profile, "socket")[0].args.empty());
}

TEST(Merge, MergedProfileAllowsWhatEachAllows) {
  Trace a = test::load_test_trace("merge-a");
  Trace b = test::load_test_trace("merge-b");
  auto o = test::no_runtime();
  auto ga = generate_profile(a, o);
  auto gb = generate_profile(b, o);
  auto gm = generate_profile(merge_traces(std::vector<Trace>{a, b}), o);
  ASSERT_TRUE(ga && gb && gm);
  EXPECT_EQ(gm->capabilities, (std::vector<std::string>{"CAP_CHOWN", "CAP_KILL"}));
  EXPECT_EQ(test::rules_for(gm->profile, "socket").size(), 2u);  // AF_UNIX and AF_INET
}

}  // namespace
}  // namespace syscap::profilegen
