// The exceptions to "a capability the kernel checked and granted is one the call needed"
// (kernel_check_rules.hpp). Read from Linux 6.18's sources; the tests run every capability
// workload's need and benign modes against these rows (tests/e2e/bpf_capabilities_test.cpp).
#include "syscap/tables/kernel_check_rules.hpp"

#include <algorithm>
#include <array>

namespace syscap::tables {

namespace {

using enum Capability;
using enum CheckVerdict;

constexpr std::string_view kVmAccounting = "mm/util.c __vm_enough_memory (cap_vm_enough_memory, noaudit)";
constexpr std::string_view kPipeAccounting = "fs/pipe.c pipe_is_unprivileged_user (pipe buffer limits)";
constexpr std::string_view kSetid = "kernel/sys.c set*id: ns_capable_setid before the unprivileged cases";
constexpr std::string_view kSgid = "fs/attr.c in_group_or_capable: S_ISGID kept only with CAP_FSETID";
constexpr std::string_view kAclMode = "fs/posix_acl.c posix_acl_update_mode: S_ISGID kept only with CAP_FSETID";

constexpr KernelCheckRule kFixedRules[] = {
    // Memory accounting probes CAP_SYS_ADMIN (the admin reserve) on whatever commits memory.
    {SysAdmin, "brk", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "execve", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "execveat", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "fork", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "vfork", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "mmap", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "mmap2", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "mprotect", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "pkey_mprotect", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "mremap", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "shmget", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "shmat", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "ipc", Probe, -1, 0, kVmAccounting},
    {SysAdmin, "memfd_create", Probe, -1, 0, kVmAccounting},
    // ... and clone commits the copied mappings, but new namespaces need CAP_SYS_ADMIN: the
    // model reads the flags (clone3's from its clone_args).
    {SysAdmin, "clone", Model, -1, 0, "kernel/fork.c dup_mmap accounting; copy_namespaces"},
    {SysAdmin, "clone3", Model, 0, 0, "kernel/fork.c dup_mmap accounting; copy_namespaces"},
    {SysAdmin, "unshare", Model, -1, 0, "kernel/fork.c ksys_unshare; kernel/nsproxy.c"},
    // Pipe buffers: CAP_SYS_RESOURCE, then CAP_SYS_ADMIN, asked to pick the limit.
    {SysResource, "pipe", Probe, -1, 0, kPipeAccounting},
    {SysResource, "pipe2", Probe, -1, 0, kPipeAccounting},
    {SysAdmin, "pipe", Probe, -1, 0, kPipeAccounting},
    {SysAdmin, "pipe2", Probe, -1, 0, kPipeAccounting},
    {SysResource, "write", Probe, -1, 0, kPipeAccounting},
    {SysAdmin, "write", Probe, -1, 0, kPipeAccounting},
    {SysResource, "writev", Probe, -1, 0, kPipeAccounting},
    {SysAdmin, "writev", Probe, -1, 0, kPipeAccounting},
    // The verifier asks CAP_PERFMON to decide what a program may do; bpf() itself needs CAP_BPF.
    {Perfmon, "bpf", Probe, -1, 0, "kernel/bpf/syscall.c bpf_prog_load: token_perfmon_capable for verifier options"},
    // perf_event_open asks CAP_PERFMON whatever the event; the model reads the attr.
    {Perfmon, "perf_event_open", Model, 0, 0, "kernel/events/core.c perf_event_open"},
    // set*id: asked first, needed only when an id is none of the caller's own.
    {Setuid, "setuid", Model, -1, 0, kSetid},
    {Setuid, "setuid32", Model, -1, 0, kSetid},
    {Setuid, "setreuid", Model, -1, 0, kSetid},
    {Setuid, "setreuid32", Model, -1, 0, kSetid},
    {Setuid, "setresuid", Model, -1, 0, kSetid},
    {Setuid, "setresuid32", Model, -1, 0, kSetid},
    {Setuid, "setfsuid", Model, -1, 0, kSetid},
    {Setuid, "setfsuid32", Model, -1, 0, kSetid},
    {Setgid, "setgid", Model, -1, 0, kSetid},
    {Setgid, "setgid32", Model, -1, 0, kSetid},
    {Setgid, "setregid", Model, -1, 0, kSetid},
    {Setgid, "setregid32", Model, -1, 0, kSetid},
    {Setgid, "setresgid", Model, -1, 0, kSetid},
    {Setgid, "setresgid32", Model, -1, 0, kSetid},
    {Setgid, "setfsgid", Model, -1, 0, kSetid},
    {Setgid, "setfsgid32", Model, -1, 0, kSetid},
    // capset asks CAP_SETPCAP at every call (cap_inh_is_capped), before it tests whether the
    // new inheritable set stays within the old inheritable and permitted ones: a need only when
    // it does not. The checks carry no capability sets, so the model finds that only where it
    // sees them (the ptrace engine); from the check alone it finds no need, which holds wherever
    // the permitted set is full (root's).
    {Setpcap, "capset", Model, -1, 0, "security/commoncap.c cap_capset: cap_inh_is_capped asks first"},
    // chmod asks CAP_FSETID whenever the file's group is not the caller's.
    {Fsetid, "chmod", NeedIfArgBits, 1, 02000, kSgid},
    {Fsetid, "fchmod", NeedIfArgBits, 1, 02000, kSgid},
    {Fsetid, "fchmodat", NeedIfArgBits, 2, 02000, kSgid},
    {Fsetid, "fchmodat2", NeedIfArgBits, 2, 02000, kSgid},
    // An ACL set on a file of a group the caller is not in asks CAP_FSETID, to decide whether
    // S_ISGID stays; it decides something only for a setgid file, which the check does not show
    // (cp -a of another user's tree asked it for every file; a setgid directory's chmod, which
    // cp -a makes too, is judged by its mode).
    {Fsetid, "setxattr", Probe, -1, 0, kAclMode},
    {Fsetid, "lsetxattr", Probe, -1, 0, kAclMode},
    {Fsetid, "fsetxattr", Probe, -1, 0, kAclMode},
    {Fsetid, "setxattrat", Probe, -1, 0, kAclMode},
};

// A namespace's sysctl table asks, without auditing, whether the caller could write it
// (net_ctl_permissions: CAP_NET_ADMIN for /proc/sys/net; pid_table_root_permissions: CAP_SYS_ADMIN
// for kernel.pid_max; set_permissions: CAP_SYS_RESOURCE for /proc/sys/user; ipc_permissions:
// CAP_CHECKPOINT_RESTORE for kernel.msg_next_id, sem_next_id and shm_next_id) whenever a path
// through it is walked or one of its files opened or read. Reading, stat and access work without
// (Go's net package reads net.core.somaxconn at its first listen); writing as root does too.
constexpr std::string_view kSysctl =
    "fs/proc/proc_sysctl.c sysctl_perm: the table's permissions ask, noaudit, who may write it";
constexpr Capability kSysctlCaps[] = {NetAdmin, SysAdmin, SysResource, CheckpointRestore};
constexpr std::string_view kReadCalls[] = {"read", "pread64", "readv", "preadv", "preadv2"};
// Writing one asks the same (root writes a net sysctl by its owner bits: sysctl -w works
// without CAP_NET_ADMIN). Only /proc/sys/net's: a write to kernel.ns_last_pid needs
// CAP_CHECKPOINT_RESTORE for real, and writes' CAP_SYS_ADMIN and CAP_SYS_RESOURCE are probes
// already (pipe buffers).
constexpr std::string_view kWriteCalls[] = {"write", "pwrite64", "writev", "pwritev", "pwritev2"};
constexpr std::string_view kPathCalls[] = {
    "open", "openat", "openat2", "stat", "lstat", "stat64", "lstat64", "newfstatat", "fstatat64", "statx",
    "access", "faccessat", "faccessat2", "readlink", "readlinkat", "chdir"};
// /proc/<pid>/stat, wchan and the like ask, noaudit, whether the reader may trace the process,
// and hide some fields when not (do_task_stat, proc_pid_wchan): the read works either way. (The
// reads that need it fail at open: environ, maps, mem, the fd links.)
constexpr std::string_view kProcPid = "fs/proc/array.c do_task_stat: ptrace_may_access(..., PTRACE_MODE_NOAUDIT)";

constexpr std::size_t kRuleCount = std::size(kFixedRules) +
                                   std::size(kSysctlCaps) * (std::size(kReadCalls) + std::size(kPathCalls)) +
                                   std::size(kReadCalls) + std::size(kWriteCalls);

constexpr std::array<KernelCheckRule, kRuleCount> all_rules() {
  std::array<KernelCheckRule, kRuleCount> rules{};
  std::size_t n = 0;
  for (const KernelCheckRule& r : kFixedRules) rules[n++] = r;
  for (Capability cap : kSysctlCaps) {
    for (std::string_view call : kReadCalls) rules[n++] = {cap, call, Probe, -1, 0, kSysctl};
    for (std::string_view call : kPathCalls) rules[n++] = {cap, call, Probe, -1, 0, kSysctl};
  }
  for (std::string_view call : kReadCalls) rules[n++] = {SysPtrace, call, Probe, -1, 0, kProcPid};
  for (std::string_view call : kWriteCalls) rules[n++] = {NetAdmin, call, Probe, -1, 0, kSysctl};
  return rules;
}

constexpr auto kRules = all_rules();

}  // namespace

std::span<const KernelCheckRule> kernel_check_rules() { return kRules; }

const KernelCheckRule* kernel_check_rule(Capability cap, std::string_view syscall) {
  const auto* it = std::ranges::find_if(kRules, [&](const KernelCheckRule& r) { return r.cap == cap && r.syscall == syscall; });
  return it == std::end(kRules) ? nullptr : it;
}

}  // namespace syscap::tables
