// How a capability check the kernel makes during a syscall (the cap_capable tracepoint) bears
// on what the call needs. Most checks are the need itself: the kernel asks for CAP_CHOWN only
// when the owner changes, for CAP_DAC_OVERRIDE only after the mode bits refused. The rows here
// are the exceptions, facts about kernel code like capability_rules():
//
//   - Probe: the kernel asks to pick a behaviour, and the call works without it (memory
//     accounting asks for CAP_SYS_ADMIN on every mmap, brk, execve and fork).
//   - Model: the kernel asks before trying the unprivileged way (root's setuid(0) asks for
//     CAP_SETUID): the rule model (capability_rules()) judges the call from its arguments,
//     the checked credentials and, where it reads memory, the bytes at `memory_arg`.
//   - NeedIfArgBits: a need only when argument `arg` has one of `bits` (chmod asks for
//     CAP_FSETID whenever the file's group is not the caller's; it matters only for S_ISGID).
//
//   const KernelCheckRule* r = kernel_check_rule(Capability::SysAdmin, "mmap");  // Probe
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "syscap/tables/capabilities.hpp"

namespace syscap::tables {

enum class CheckVerdict : std::uint8_t { Probe, Model, NeedIfArgBits };

struct KernelCheckRule {
  Capability cap;
  std::string_view syscall;  // as named in our syscall tables (every arch's spelling has a row)
  CheckVerdict verdict;
  std::int8_t arg = -1;       // NeedIfArgBits: the argument; Model: the one whose memory is read
  std::uint64_t bits = 0;     // NeedIfArgBits: the bits that make it a need
  std::string_view kernel;    // the kernel code that asks, e.g. "mm/util.c __vm_enough_memory"
};

// Every row.
std::span<const KernelCheckRule> kernel_check_rules();

// The row for a check of `cap` during `syscall`, or nullptr: the check is the need.
const KernelCheckRule* kernel_check_rule(Capability cap, std::string_view syscall);

}  // namespace syscap::tables
