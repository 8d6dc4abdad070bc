// run_command: streams kept apart, statuses in shell form, input, environment, directory, and
// the time limit.
#include <gtest/gtest.h>

#include "syscap/test/command.hpp"
#include "syscap/test/temp_dir.hpp"

namespace syscap::test {
namespace {

TEST(RunCommand, KeepsStdoutAndStderrApart) {
  // Interleaved writes to both streams: each stream's text must come out whole and in order.
  auto r = run_command({"sh", "-c", "for i in 1 2 3; do echo out$i; echo err$i >&2; done; exit 3"});
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.out, "out1\nout2\nout3\n");
  EXPECT_EQ(r.err, "err1\nerr2\nerr3\n");
}

TEST(RunCommand, SignalDeathIs128PlusN) {
  auto r = run_command({"sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.status, 128 + 15);
}

TEST(RunCommand, MissingCommandIs127) {
  auto r = run_command({"syscap-no-such-command"});
  EXPECT_EQ(r.status, 127);
  EXPECT_NE(r.err.find("No such file"), std::string::npos) << r.describe();
}

TEST(RunCommand, InputEnvironmentAndDirectory) {
  TempDir dir;
  CommandOptions o;
  o.input = "line\n";
  o.env = {"SYSCAP_TEST_VALUE=v1"};
  o.cwd = dir.path.string();
  auto r = run_command({"sh", "-c", "read x; echo \"$x $SYSCAP_TEST_VALUE $(pwd)\""}, o);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "line v1 " + dir.path.string() + "\n");
}

TEST(RunCommand, TimeLimitKills) {
  CommandOptions o;
  o.limit = std::chrono::seconds(1);
  auto r = run_command({"sleep", "30"}, o);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.status, 128 + 9);
}

}  // namespace
}  // namespace syscap::test
