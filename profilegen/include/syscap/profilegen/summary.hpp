// What a generated profile means for the user, compared with Docker's default.
//
//   auto s = summarize(generated, trace.arch, "profile.json", trace.command);
//   fmt::print("{}", summary_text(s));
//   // allows 61 syscalls on SCMP_ARCH_X86_64; Docker's default allows 359 (298 fewer)
//   // refuses high-risk syscalls Docker's default allows: ptrace, process_vm_readv, ...
//   // capabilities needed: CAP_CHOWN
//   // tied by Docker's default profile, not exercised: CAP_SYS_CHROOT (chroot); ...
//   // run it with:
//   //   docker run --cap-drop ALL --cap-add CHOWN --security-opt seccomp=profile.json IMAGE chown ...
//
// With SummaryTarget{.format = OutputFormat::K8s} the last lines say how to install the
// SeccompProfile resource (kubectl apply) and reference it from a container's securityContext.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/profilegen/formats.hpp"
#include "syscap/profilegen/generator.hpp"

namespace syscap::profilegen {

// How many syscalls of one architecture the profile allows, next to Docker's default.
struct ArchCount {
  std::string arch;  // SCMP_ARCH_*
  // Syscalls of `arch` the profile allows in some form (with or without argument rules) to a
  // container with the needed capabilities: every allowed name that is a syscall on `arch`.
  std::size_t allowed = 0;
  // The same for Docker's default profile and capability set; nullopt when Docker's default
  // does not list `arch` for the native architecture.
  std::optional<std::size_t> docker_allowed;
};

// Where the profile goes, for the "how to use it" lines.
struct SummaryTarget {
  OutputFormat format = OutputFormat::Docker;
  std::string k8s_name = "syscap-profile";  // metadata.name of the SeccompProfile
  std::string k8s_namespace;                // metadata.namespace; empty: kubectl's current one
};

struct ProfileSummary {
  // One entry per architecture of the profile that syscap has a table for, native first.
  std::vector<ArchCount> per_arch;
  // The default action lets calls run (SCMP_ACT_ALLOW, SCMP_ACT_LOG): the profile allows every
  // syscall except those its rules refuse, and the counts above mean nothing.
  bool allows_by_default = false;
  std::string default_action;         // "SCMP_ACT_ERRNO"
  std::vector<std::string> refused;   // with allows_by_default: names of refusing rules, sorted
  // High-risk syscalls (high_risk_syscalls()) Docker's default allows and this profile refuses.
  std::vector<std::string> high_risk_refused;
  // High-risk syscalls this profile allows (the workload used them).
  std::vector<std::string> high_risk_allowed;
  std::vector<std::string> capabilities;  // evidence and --tie: what the container is given
  std::vector<DockerTie> docker_ties;     // tied only because Docker's default profile ties them
  std::string native_arch;                // SCMP_ARCH_*
  std::string container_arch;             // the native arch's includes/excludes name ("amd64")
  SummaryTarget target;
  std::string profile_path;
  // The exact command line to run the workload under the profile with Docker; empty for k8s
  // (a SeccompProfile resource is not a Docker profile).
  std::string docker_run;
};

// The high-risk syscalls the summary names: kernel attack surface or container escapes that
// Docker's default profile has at some time allowed (ptrace, keyctl, add_key, request_key, bpf,
// mount, umount2, unshare, setns, clone3, io_uring_*, userfaultfd, perf_event_open,
// process_vm_readv/writev, kexec_*, init_module, finit_module, delete_module, ...). Sorted.
std::span<const std::string_view> high_risk_syscalls();

// Compares `generated` with Docker's default on `native_arch` (SCMP_ARCH_*, the trace's) and on
// every other architecture the profile lists. `profile_path` and `command` go into the usage lines.
ProfileSummary summarize(const GeneratedProfile& generated, std::string_view native_arch,
                         std::string_view profile_path, std::span<const std::string> command,
                         const SummaryTarget& target = {});

// The summary as a few lines of text for the terminal.
std::string summary_text(const ProfileSummary& summary);

// `word` quoted for a POSIX shell when it needs it.
std::string shell_quote(std::string_view word);

}  // namespace syscap::profilegen
