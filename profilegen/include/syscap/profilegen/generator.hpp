// Trace -> the smallest Docker/moby seccomp profile that runs the recorded workload.
//
//   auto trace = load_trace("trace.json");
//   GenerateOptions options;                                  // ERRNO/EPERM, arg rules, runc
//   options.ties = *parse_tie("@chown=CAP_AUDIT_CONTROL");    // --tie, repeatable
//   auto generated = generate_profile(*trace, options);       // Result<GeneratedProfile>
//   std::string json = write_profile(generated->profile);
//   generated->capabilities;                                  // {"CAP_AUDIT_CONTROL", "CAP_CHOWN"}
//
// The profile, block by block (each block's comment says why it is there):
//  1. one ALLOW block: every recorded syscall that needs no capability and no argument rule;
//  2. argument rules, one rule per allowed value, only on scalar arguments the trace proves are
//     used narrowly: socket domains (EQ), personality values (EQ), clone and unshare without the
//     namespace flags that were not used (MASKED_EQ, as Docker does for clone);
//  3. capability blocks `"includes": {"caps": [C]}`: syscalls whose recorded use exercised C
//     (trace evidence), syscalls forced under C with --tie, and recorded syscalls that Docker's
//     default profile allows only with C (docker_capability_tie(); such a C without evidence or
//     --tie is listed in docker_ties, not in capabilities);
//  4. clone3 -> ERRNO 38 (ENOSYS) whenever clone is restricted by arguments, so that glibc falls
//     back to clone; a recorded clone3 without capability evidence is handled the same way;
//  5. the container runtime's own syscalls (runtime_syscalls()), in a labelled block.
// `architectures` lists the trace's native arch and every arch the workload made calls on.
// Entries the tracer could not name ("syscall_500") are left out with a note.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/profilegen/trace_input.hpp"

namespace syscap::profilegen {

enum class ArgRules { Narrow, None };

// A syscall forced under a capability by hand: `--tie chown=CAP_AUDIT_CONTROL`.
struct CapabilityTie {
  std::string syscall;
  std::string capability;
  std::string family;  // "chown" when it came from `--tie @chown=...`, else empty
  bool operator==(const CapabilityTie&) const = default;
};

// A name usable as `--tie @family=CAP`, standing for several syscalls.
struct TieFamily {
  std::string_view name;                       // "chown"
  std::span<const std::string_view> syscalls;  // chown, fchown, fchownat, lchown, chown32, ...
};

struct GenerateOptions {
  Action default_action = Action::Errno;  // --default-action
  unsigned default_errno_ret = 1;         // --default-errno (EPERM), used with ERRNO and TRACE
  ArgRules arg_rules = ArgRules::Narrow;  // --args narrow|none
  std::string runtime = "runc";           // --runtime runc|crun|none
  std::vector<CapabilityTie> ties;        // --tie
};

// A capability the profile ties recorded syscalls to only because Docker's default profile does,
// without evidence in the trace that the workload exercised it (e.g. a failing setns(-1, 0)
// under CAP_SYS_ADMIN). The profile keeps those syscalls for a container that has it.
struct DockerTie {
  std::string capability;             // CAP_*
  std::vector<std::string> syscalls;  // sorted
  bool operator==(const DockerTie&) const = default;
};

struct GeneratedProfile {
  Profile profile;
  // What the container must be given (--cap-add), sorted: every capability the trace shows was
  // exercised and every --tie capability.
  std::vector<std::string> capabilities;
  // Capabilities only Docker-style ties ask for (not in `capabilities`), sorted by capability.
  std::vector<DockerTie> docker_ties;
  // Things the user should know, e.g. "--tie mount=CAP_SYS_ADMIN: mount was not recorded".
  std::vector<std::string> notes;
};

// The profile for `trace` (merge several traces first with merge_traces()).
Result<GeneratedProfile> generate_profile(const Trace& trace, const GenerateOptions& options);

// Parses one --tie value: "SYSCALL=CAP_X" or "@FAMILY=CAP_X" (the family's syscalls, one tie each).
// The syscall must be a known syscall name, the capability a CAP_* name.
Result<std::vector<CapabilityTie>> parse_tie(std::string_view text);

// The families --tie accepts after "@".
std::span<const TieFamily> tie_families();

// The values --runtime accepts: the runtimes with a measured set, and "none".
std::vector<std::string> runtime_choices();

// The namespace flags clone/unshare rules mask, as Docker's default profile does:
// CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP.
inline constexpr std::uint64_t kNamespaceFlags = 0x7E020000;

// errnoRet of the clone3 rule: ENOSYS, so that glibc falls back to clone.
inline constexpr unsigned kClone3Errno = 38;

}  // namespace syscap::profilegen
