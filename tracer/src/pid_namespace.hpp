// The BPF programs know a task by the pid the initial PID namespace gives it
// (bpf_get_current_pid_tgid, the scheduler's tracepoints); syscap knows it by the pid its own
// namespace gives it. The two agree only in the initial namespace: elsewhere the workload
// would never be found in `tracked`, and the capability-check watch would see no checks at all
// and say so as if the kernel had made none.
#pragma once

#include <optional>
#include <string>

namespace syscap::tracer::detail {

// Why this process's pids are not the kernel's (it runs in a nested PID namespace, or that
// cannot be told), or nullopt in the initial namespace.
std::optional<std::string> pid_namespace_mismatch();

}  // namespace syscap::tracer::detail
