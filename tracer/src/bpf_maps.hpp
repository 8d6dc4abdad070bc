// Reading what the BPF program aggregated (record.bpf.c's maps) into trace records.
#pragma once

#include <linux/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tracer/trace.hpp"

struct record_bpf;

namespace syscap::tracer::detail {

// The program's key of call `name` on `arch` (syscap_call_key()), if the program counts it in
// its arrays: numbers below SYSCAP_MAX_NR once x32's kX32SyscallBit is off (the program clears
// it). nullopt for a call the tables do not have there, or one with a larger number.
std::optional<__u32> program_key(tables::Arch arch, std::string_view name);

// The number our tables (and the ptrace engine's traces) give a call the program saw as `nr` on
// `arch`: x32's with kX32SyscallBit back.
std::int64_t table_number(tables::Arch arch, std::int64_t nr);

// Tells the program which arguments to keep values of (arg_rules() for every arch) and, for
// the capability checks kernel_check_rules() has the model judge, which argument's memory to
// keep: written into the program's global data before it loads. Returns how many arguments are
// watched (the values map's size is SYSCAP_ARG_VALUES_KEPT for each).
Result<std::size_t> watch_arguments(record_bpf& skel);

// Marks the exec calls (execve, execveat) of every arch in the program's global data: the calls
// a group makes before its first exec that count, and those sys_exit starts a group at.
void mark_exec_calls(record_bpf& skel);

// The syscalls counted, with their arguments and first callers.
std::vector<SyscallRecord> read_syscalls(const record_bpf& skel);

// The capability checks seen, one per distinct (capability, answer, call, arguments,
// credentials).
std::vector<KernelCheck> read_kernel_checks(const record_bpf& skel);

// What could not be stored, one line per reason ("" none).
std::vector<std::string> read_losses(const record_bpf& skel);

}  // namespace syscap::tracer::detail
