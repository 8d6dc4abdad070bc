// FilterPlan -> the BPF program the kernel runs, built with libseccomp (binary-tree
// optimisation), and its installation.
//
//   auto program = build_program(plan);          // Result<SeccompProgram>
//   auto pfc = program_pfc(plan);                // libseccomp's pseudo filter code, for review
//   install_program(*program);                   // NO_NEW_PRIVS + seccomp(2); in the child only
//
// Numbers, not names, go into libseccomp: native numbers as they are; other arches through
// libseccomp's own name for that number. Syscalls libseccomp 2.5.4 does not know on a
// non-native arch (e.g. i386 mseal) are checked by a short BPF prefix in front of
// libseccomp's program (as runc prepends its ENOSYS stub), so they are enforced, not dropped.
#pragma once

#include <linux/filter.h>

#include <string>
#include <vector>

#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/error.hpp"

namespace syscap::enforcer {

struct SeccompProgram {
  std::vector<sock_filter> instructions;
  unsigned long kernel_flags = 0;          // SECCOMP_FILTER_FLAG_*
  std::vector<PlannedRule> prefix_rules;   // the rules checked by the prefix
};

// The complete program for `plan`.
Result<SeccompProgram> build_program(const FilterPlan& plan);

// libseccomp's PFC for `plan`, preceded by comment lines for the prefix rules, if any.
Result<std::string> program_pfc(const FilterPlan& plan);

// The program as the raw bytes of its sock_filter array (what seccomp_export_bpf writes).
std::string program_bytes(const SeccompProgram& program);

// Sets NO_NEW_PRIVS and loads the program into this process. Irreversible: call it in the
// process that is about to exec the workload (or a forked test child).
Result<void> install_program(const SeccompProgram& program);

}  // namespace syscap::enforcer
