// What the BPF engine's source files share: the loaded program behind a BpfEngine, and the
// reading of a finished run from its maps.
#pragma once

#include <string>
#include <vector>

#include "bpf_program.hpp"
#include "syscap/tracer/bpf_engine.hpp"

namespace syscap::tracer {

struct BpfEngine::Loaded {
  detail::Skeleton skel;
  std::string checks_unseen;
  BpfTarget target = BpfTarget::Command;
  bool used = false;  // the maps hold one run's counts: a second run would add to them
};

namespace detail {

// The run's trace from the maps: syscalls, losses, capability checks (or why they are unseen).
BpfRun collect(const Skeleton& skel, const std::string& checks_unseen, RunResult run,
               const std::vector<std::string>& command);

// From now on the program follows processes that start running in the cgroup named after
// `container_id` (a full id): the first one (SYSCAP_CONTAINER_FIRST) or every one (_EVERY).
// The engine must be loaded with BpfTarget::Container.
Result<void> watch_container_cgroup(Skeleton& skel, const std::string& container_id, unsigned mode);

}  // namespace detail
}  // namespace syscap::tracer
