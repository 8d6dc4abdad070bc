// Reading a stopped tracee's memory, for observers that look behind a syscall's pointer
// arguments (the capability checker reads paths and structs; the CPU placement reads clone3's
// flags). Only valid while the tracee is stopped at a syscall the observer is told about.
//
//   std::uint64_t flags = syscap::tracer::clone3_flags(stop.pid, stop.args[0]).value_or(0);
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace syscap::tracer {

// `len` bytes at `addr` in a stopped tracee's memory (process_vm_readv); false when `addr` is 0
// or the bytes cannot be read.
bool read_tracee_memory(pid_t pid, std::uint64_t addr, void* out, std::size_t len);

// The flags of a clone3 call: its struct clone_args, at `args_addr`, starts with them.
std::optional<std::uint64_t> clone3_flags(pid_t pid, std::uint64_t args_addr);

}  // namespace syscap::tracer
