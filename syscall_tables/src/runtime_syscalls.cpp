// The syscalls container runtimes make under the container's own seccomp filter, before the
// workload runs: measured, not guessed.
//
// How they were measured (2026-11-28, scripts/docker/measure-runtime-syscalls, rerun it to
// check a new runtime version):
//   Debian 12, kernel 6.18.44 (x86_64, cgroup v1 "hybrid"), docker.io 20.10.24+dfsg1-1+deb12u1+b6
//   (dockerd 20.10.24, containerd 1.6.20~ds1-1+deb12u3, client 28.2.2), runc 1.1.5+ds1-1+deb12u1
//   (go1.19.8, libseccomp 2.5.4), crun 1.8.1-1+deb12u1, libseccomp2 2.5.4-1+deb12u1.
//   Private daemon from scripts/docker/daemon; crun registered with --add-runtime through
//   scripts/docker/crun-legacy (crun 1.8 refuses this host's hybrid cgroups otherwise; the
//   wrapper only hides the cgroup2 mount from crun, it does not touch the container's setup).
//   Each container ran under a profile {"defaultAction": "SCMP_ACT_LOG"} with no rules, so
//   every syscall of every thread under the filter is allowed and logged by the kernel as an
//   audit record (type=1326) with the thread group id, the exe and the syscall number, with
//   printk rate limiting off. The workload's pid is the one whose records carry the workload's
//   exe; the records of that pid with another exe are the runtime's, from just after the
//   filter is loaded up to and including the execve (its record is written at syscall entry).
//   Variants, 20-40 runs each: an empty static workload (its only syscall is exit_group,
//   tests/docker/empty_workload.c) and busybox `sh -c 'echo ok'`; default capabilities and
//   --cap-drop ALL; --user 65534:65534; -t; --security-opt no-new-privileges; and, for runc,
//   `docker exec` into a running container and runs with both cores busy.
//   The sets below are the union over all variants. Cross-checked once per runtime with
//   `strace -D -f` wrapped around runc/crun (a second --add-runtime): the same calls follow
//   runc's prctl(PR_SET_SECCOMP) and crun's seccomp(SECCOMP_SET_MODE_FILTER) up to the execve.
//
// What the variants showed:
//   runc loads the filter before it drops capabilities and changes user (Docker does not set
//   no_new_privs by default), so capget/capset, setgroups/setgid/setuid and the fd cleanup are
//   all under the filter; the set is the same for the empty workload and busybox, and for
//   default caps and --cap-drop ALL. --user adds fchown (runc hands the stdio fds to the
//   user). With no-new-privileges runc loads the filter just before execve and only close,
//   epoll_ctl, execve, fstatfs, futex, getdents64, getpid, openat, write (+rt_sigreturn) remain.
//   `docker exec` makes a subset of the set. runc loads the filter with prctl, without TSYNC,
//   so only its init thread (locked to the goroutine) is under it; the Go runtime still acts
//   there: rt_sigreturn after a SIGURG preemption signal from sysmon (about 1 run in 6) and
//   sched_yield (1 run in 30). Other Go runtime syscalls (nanosleep, mmap, madvise, clone,
//   ...) were never seen on that thread and are not listed.
//   crun is single-threaded and deterministic: the same 11 syscalls in every run of every
//   variant; with no-new-privileges only close and execve.
//
// Which are needed (profile with defaultAction SCMP_ACT_ERRNO allowing the set + exit_group,
// then each syscall removed in turn, empty workload, default caps, root):
//   runc starts without epoll_ctl, fchown (it ignores the EPERM, also with --user), fcntl,
//   getpid, rt_sigreturn or sched_yield (in runs where no preemption signal came); without any other one the container
//   fails to start (without execve the workload's exec fails with EPERM, exit 1). crun starts
//   without close; without read the exec never happens (exit 1); every other one is needed.
//   The lists keep everything seen: an error for a call the runtime made changes its behaviour
//   even when it survives it (an rt_sigreturn refused after a signal crashes it).

#include "syscap/tables/runtime_syscalls.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace syscap::tables {
namespace {

using namespace std::string_view_literals;

constexpr std::array kRunc{
    "capget"sv,        // finalizeNamespace: read the current capability sets
    "capset"sv,        // ... and set the container's
    "chdir"sv,         // the container's working directory
    "close"sv,         // the init and log pipes, the exec fifo, files read
    "epoll_ctl"sv,     // Go's os.File offers each opened file to the netpoller
    "execve"sv,        // the workload itself
    "faccessat2"sv,    // exec.LookPath of the command
    "fchown"sv,        // stdio fds handed to a non-root --user
    "fcntl"sv,         // CloseExecFrom: mark inherited fds close-on-exec
    "fstat"sv,         // the stdio fds, before handing them to --user
    "fstatfs"sv,       // is /proc/self/fd really procfs?
    "futex"sv,         // Go runtime wakeups
    "getcwd"sv,        // after the user change
    "getdents64"sv,    // listing /proc/self/fd
    "getpid"sv,        // the pid for the state passed to startContainer hooks
    "getppid"sv,       // "did my parent die?" before exec
    "newfstatat"sv,    // /dev/null, exec.LookPath
    "openat"sv,        // /proc/self/fd, /proc/self/status, /etc/passwd, /etc/group, the exec fifo
    "prctl"sv,         // PR_CAPBSET_DROP, PR_SET_KEEPCAPS, PR_CAP_AMBIENT
    "read"sv,          // /proc/self/status, /etc/passwd, /etc/group, /proc/self/setgroups
    "rt_sigreturn"sv,  // Go runtime: return from the SIGURG preemption handler
    "sched_yield"sv,   // Go runtime (rarely)
    "setgid"sv,        // the container's user and groups (root too)
    "setgroups"sv,
    "setuid"sv,
    "write"sv,         // "0" into the exec fifo: ready to exec
};

constexpr std::array kCrun{
    "capset"sv,          // the container's capabilities
    "close"sv,           // the sync fds
    "execve"sv,          // the workload itself
    "prctl"sv,           // PR_CAPBSET_DROP, PR_SET_KEEPCAPS, PR_CAP_AMBIENT
    "pselect6"sv,        // waiting for `crun start`
    "read"sv,            // ... and reading its one byte
    "rt_sigaction"sv,    // every signal back to SIG_DFL for the workload
    "rt_sigprocmask"sv,  // unblock signals for the workload
    "setresgid"sv,       // the container's user (root too)
    "setresuid"sv,
    "write"sv,           // "ready" to the parent on the sync socket
};

constexpr bool strictly_sorted(std::span<const std::string_view> names) {
  return std::ranges::adjacent_find(names, std::ranges::greater_equal{}) == names.end();
}
static_assert(strictly_sorted(kRunc) && strictly_sorted(kCrun),
              "runtime syscall lists must be sorted and free of duplicates");

constexpr std::array kRuntimes{"crun"sv, "runc"sv};

}  // namespace

std::span<const std::string_view> known_runtimes() { return kRuntimes; }

std::optional<std::span<const std::string_view>> runtime_syscalls(std::string_view runtime) {
  if (runtime == "runc") return std::span<const std::string_view>(kRunc);
  if (runtime == "crun") return std::span<const std::string_view>(kCrun);
  return std::nullopt;
}

}  // namespace syscap::tables
