// Runs a seccomp BPF program in user space, as the kernel would for one call: for tests that
// check a compiled filter without loading it (like Chromium's bpf_dsl verifier), and for
// `syscap enforce --learn`, which asks the program what it would do to each traced call.
//
//   seccomp_data call{.nr = 272, .arch = AUDIT_ARCH_X86_64, .args = {0x04000000}};
//   std::uint32_t ret = evaluate_program(program.instructions, call);   // SECCOMP_RET_*
//   bool refused = would_refuse(ret);                                   // not ALLOW or LOG
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cstdint>
#include <span>

namespace syscap::enforcer {

// The program's return value for `call`; SECCOMP_RET_KILL_PROCESS for a malformed program
// (a jump or load out of range, an unknown instruction, running off the end).
std::uint32_t evaluate_program(std::span<const sock_filter> program, const seccomp_data& call);

// True unless `ret` lets the call run (SECCOMP_RET_ALLOW or SECCOMP_RET_LOG).
bool would_refuse(std::uint32_t ret);

}  // namespace syscap::enforcer
