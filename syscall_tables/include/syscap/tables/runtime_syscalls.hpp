// The syscalls a container runtime itself makes after it installs the container's seccomp
// filter and before the workload's execve. A profile must allow them or the container
// never starts. Measured against the real runtime; how is written next to the data
// (syscall_tables/src/runtime_syscalls.cpp).
//
//   auto names = syscap::tables::runtime_syscalls("runc");   // sorted syscall names
//   if (!names) ...                                          // unknown runtime
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace syscap::tables {

// The runtimes we carry a measured set for: "runc", "crun".
std::span<const std::string_view> known_runtimes();

// The measured syscall names (x86_64 names, sorted) for `runtime`, or nullopt if unknown.
std::optional<std::span<const std::string_view>> runtime_syscalls(std::string_view runtime);

}  // namespace syscap::tables
