// Running a command from a test and capturing what it did: its exit status and its standard
// output and standard error, each kept apart (never merged: how two streams interleave is up to
// the scheduler, so a test that reads them merged would be flaky).
//
//   auto r = syscap::test::run_command({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
//   EXPECT_EQ(r.status, 3);
//   EXPECT_EQ(r.out, "out\n");
//   EXPECT_EQ(r.err, "err\n");
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace syscap::test {

struct CommandResult {
  int status = -1;  // exit code, or 128 + N when signal N killed it (127: could not be started)
  std::string out;  // everything it wrote to standard output
  std::string err;  // everything it wrote to standard error
  bool exited = false;  // it ended by exit (not killed by a signal)
  bool timed_out = false;

  // Both streams, labelled, for failure messages only (never assert on this).
  std::string describe() const;
};

struct CommandOptions {
  std::string cwd;                        // working directory ("" = this process's)
  std::string input;                      // standard input ("" = empty, like /dev/null)
  std::vector<std::string> env;           // "NAME=VALUE" added to (or replacing in) the environment
  std::chrono::seconds limit{300};        // killed with SIGKILL after this: a guard against hangs
};

// Runs argv (argv[0] looked up in PATH when it has no '/'), waits for it, returns its result.
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options = {});

// 0-255 exit code, or 128 + N for a death by signal N, from a waitpid() status.
int shell_status(int wait_status);

}  // namespace syscap::test
