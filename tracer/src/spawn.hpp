// Starting the workload: fork, seize, filter, exec.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::tracer::detail {

// A child that is seized by this process and about to install the filter and exec.
struct SpawnedChild {
  pid_t pid = -1;
  int error_fd = -1;  // read end: the child writes a ChildFailure here if it cannot exec
};

// What the child reports when it cannot get to the command.
struct ChildFailure {
  static constexpr int kNoNewPrivs = 0, kFilter = 1, kExec = 2, kTrack = 3;
  int stage;  // one of the above; kTrack: the BPF engine's fork tracepoint did not track it
  int err;
};

// Forks the workload with `block_mask` signals blocked around the fork; the child restores
// the default dispositions of `reset_signals` and the caller's original mask before it waits
// for the seize. On success the child runs towards execve(path, argv) under the filter.
Result<SpawnedChild> spawn_seized(const std::string& path, const std::vector<std::string>& argv,
                                  unsigned long ptrace_options, bool stdout_to_stderr = false);

// Reads the child's ChildFailure after the run, if it wrote one: the Error to report (with a
// hint for an exec format error of the executable `path`).
std::optional<Error> read_child_failure(int error_fd, const std::string& command, const std::string& path);

}  // namespace syscap::tracer::detail
