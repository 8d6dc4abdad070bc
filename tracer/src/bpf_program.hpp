// Loading the BPF program (record.bpf.c) for the two users of it: the BPF recording engine
// (everything) and the ptrace engine's watch on the kernel's capability checks (no syscall
// counting).
#pragma once

#include <memory>
#include <string>

#include "record_skeleton.hpp"
#include "syscap/error.hpp"

namespace syscap::tracer::detail {

struct SkeletonDeleter {
  void operator()(record_bpf* skel) const { record_bpf__destroy(skel); }
};
using Skeleton = std::unique_ptr<record_bpf, SkeletonDeleter>;

struct LoadedProgram {
  Skeleton skel;
  std::string checks_unseen;  // why capability checks are not watched ("" when they are)
};

// What the program is loaded for.
enum class ProgramUse {
  RecordCommand,    // a command syscap starts: syscalls and capability checks
  RecordContainer,  // a container its engine starts: the same, and its start found by cgroup
  WatchChecks,      // the ptrace engine's watch: task tracking and capability checks only
};

// Loads and attaches the program for `use`. SYSCAP_BPF_CHECKS=0 in the environment loads it
// without the capability checks (as on kernels before 6.14); any value but 0 or 1 is refused. WatchChecks is an error when the kernel cannot
// watch checks; for the recordings, where the checks cannot be watched, the syscall recording
// loads without them and says why.
Result<LoadedProgram> load_program(ProgramUse use);

}  // namespace syscap::tracer::detail
