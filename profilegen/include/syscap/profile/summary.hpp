// What a generated profile means for the user, compared with Docker's default.
//
//   auto s = summarize(generated, trace.arch, "profile.json", trace.command);
//   fmt::print("{}", summary_text(s));
//   // allows 61 syscalls; Docker's default allows 359 (298 fewer)
//   // refuses high-risk syscalls Docker's default allows: ptrace, process_vm_readv, ...
//   // capabilities needed: CAP_CHOWN
//   // docker run --cap-drop ALL --cap-add CHOWN --security-opt seccomp=profile.json IMAGE chown ...
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/profile/generator.hpp"

namespace syscap::profile {

struct ProfileSummary {
  // Syscalls of the native architecture the profile allows in some form (with or without
  // argument rules) to a container that has `capabilities`.
  std::size_t allowed = 0;
  // The same count for Docker's default profile and Docker's default capability set.
  std::size_t docker_allowed = 0;
  // High-risk syscalls (high_risk_syscalls()) Docker's default allows and this profile refuses.
  std::vector<std::string> high_risk_refused;
  // High-risk syscalls this profile allows (the workload used them).
  std::vector<std::string> high_risk_allowed;
  std::vector<std::string> capabilities;
  std::string native_arch;  // SCMP_ARCH_*
  std::string docker_run;   // the exact command line to run the workload under the profile
};

// The high-risk syscalls the summary names: kernel attack surface or container escapes that
// Docker's default profile has at some time allowed (ptrace, keyctl, add_key, request_key, bpf,
// mount, umount2, unshare, setns, clone3, io_uring_*, userfaultfd, perf_event_open,
// process_vm_readv/writev, kexec_*, init_module, finit_module, delete_module, ...). Sorted.
std::span<const std::string_view> high_risk_syscalls();

// Compares `generated` with Docker's default on `native_arch` (SCMP_ARCH_*, the trace's).
// `profile_path` and `command` go into the docker run line.
ProfileSummary summarize(const GeneratedProfile& generated, std::string_view native_arch,
                         std::string_view profile_path, std::span<const std::string> command);

// The summary as a few lines of text for the terminal.
std::string summary_text(const ProfileSummary& summary);

// `word` quoted for a POSIX shell when it needs it.
std::string shell_quote(std::string_view word);

}  // namespace syscap::profile
