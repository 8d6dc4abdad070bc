// Capability facts and the rule table that says which syscalls can exercise which capability.
//
// The table is data: each row names a syscall, the kernel check that decides whether the call
// uses a capability (CapCheck), where that check's inputs sit in the arguments (CapOperands),
// which capabilities the check can exercise, what the call must return for the capability to
// have been used, and the kernel function it follows. The checker in capabilities/ evaluates a
// row against the tracee's credentials and file metadata.
//
//   using namespace syscap::tables;
//   capability_by_name("CAP_CHOWN");              // Capability::Chown (also "chown", "CHOWN")
//   capability_name(Capability::NetRaw);          // "CAP_NET_RAW"
//   for (const CapabilityRule& r : capability_rules_for("fchownat"))
//     ...                                         // r.check == CapCheck::ChangeOwner, r.ops.path == 1
//   parse_capability_list("CHOWN,cap_kill");      // {.caps = {Chown, Kill}}; "KILL CHOWN" is an error
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::tables {

// Linux capability numbers (include/uapi/linux/capability.h).
enum class Capability : std::uint8_t {
  Chown = 0,
  DacOverride = 1,
  DacReadSearch = 2,
  Fowner = 3,
  Fsetid = 4,
  Kill = 5,
  Setgid = 6,
  Setuid = 7,
  Setpcap = 8,
  LinuxImmutable = 9,
  NetBindService = 10,
  NetBroadcast = 11,
  NetAdmin = 12,
  NetRaw = 13,
  IpcLock = 14,
  IpcOwner = 15,
  SysModule = 16,
  SysRawio = 17,
  SysChroot = 18,
  SysPtrace = 19,
  SysPacct = 20,
  SysAdmin = 21,
  SysBoot = 22,
  SysNice = 23,
  SysResource = 24,
  SysTime = 25,
  SysTtyConfig = 26,
  Mknod = 27,
  Lease = 28,
  AuditWrite = 29,
  AuditControl = 30,
  Setfcap = 31,
  MacOverride = 32,
  MacAdmin = 33,
  Syslog = 34,
  WakeAlarm = 35,
  BlockSuspend = 36,
  AuditRead = 37,
  Perfmon = 38,
  Bpf = 39,
  CheckpointRestore = 40,
};

inline constexpr int kCapabilityCount = 41;

// One capability: its names and whether Docker grants it by default.
struct CapabilityFacts {
  Capability cap;
  std::string_view name;         // "CAP_CHOWN": the trace's and the profile's spelling
  std::string_view docker_name;  // "CHOWN": the spelling of `docker run --cap-add`
  bool docker_default;           // in Docker's default set of 14
};

// Every capability, in number order.
std::span<const CapabilityFacts> all_capabilities();

// The facts of `cap`.
const CapabilityFacts& facts(Capability cap);

// "CAP_CHOWN" for Capability::Chown.
std::string_view capability_name(Capability cap);

// The capability named "CAP_CHOWN", "CHOWN" or "chown" (any case), or nullopt.
std::optional<Capability> capability_by_name(std::string_view name);

// The capabilities the kernel accepts in place of `cap` in some of its "A || B" checks
// (bpf_capable(), perfmon_capable(), check_syslog_permissions(), generic_permission(),
// sk_set_prio_allowed()): CAP_SYS_ADMIN for CAP_BPF, CAP_DAC_OVERRIDE for CAP_DAC_READ_SEARCH.
std::span<const Capability> stand_in_capabilities(Capability cap);

// Docker's default capabilities for a container: the 14 with docker_default set.
std::vector<Capability> docker_default_capabilities();

// One value of --cap-add / --cap-drop, parsed whole: a capability name ("CAP_CHOWN", "chown",
// any case), ALL, or a comma-separated list of them. Anything else is refused, naming the part
// that is not a capability ("KILL CHOWN", "KILL;CHOWN", "CAP_KILL,garbage", an empty item).
struct CapabilityList {
  bool all = false;               // ALL was given
  std::vector<Capability> caps;   // in the order given, without repeats
};
Result<CapabilityList> parse_capability_list(std::string_view value);

// The bit of `cap` in a /proc/PID/status Cap* mask.
constexpr std::uint64_t capability_bit(Capability cap) {
  return std::uint64_t{1} << static_cast<unsigned>(cap);
}

// The kernel check a rule row stands for. The checker implements each kind once; rows say
// where its inputs are. Comments name the capabilities each can exercise.
enum class CapCheck : std::uint8_t {
  ChangeOwner,       // chown family: chown_ok/chgrp_ok (fs/attr.c) -> CHOWN
  ChangeMode,        // chmod family: setattr_prepare -> FOWNER; setgid kept -> FSETID
  SetTimes,          // utimensat family: vfs_utimes -> FOWNER (or DAC_OVERRIDE for "now")
  OpenFile,          // open family: may_open/may_o_create -> DAC_*, FOWNER (O_NOATIME),
                     // FSETID (O_TRUNC of a set-id file, new setgid file), SYSLOG (/dev/kmsg),
                     // SYS_RAWIO (/dev/mem), SYS_PTRACE (/proc/PID/mem, environ, ...)
  ExecFile,          // execve: MAY_EXEC on the file -> DAC_OVERRIDE
  LookupPath,        // any path walk: MAY_EXEC on each directory -> DAC_READ_SEARCH;
                     // reading or following another process's /proc links -> SYS_PTRACE
  LinkSource,        // link/linkat's source: may_lookup -> DAC_*; may_linkat with
                     // fs.protected_hardlinks -> DAC_OVERRIDE or FOWNER
  CreateEntry,       // mkdir/mknod/symlink/link target: may_create -> DAC_OVERRIDE
  RemoveEntry,       // unlink/rmdir/rename source: may_delete -> DAC_OVERRIDE, FOWNER (sticky)
  RenameEntry,       // rename: source removed, target created (and replaced)
  TruncatePath,      // truncate: MAY_WRITE -> DAC_OVERRIDE; set-id kept -> FSETID
  WriteFd,           // write family: file_remove_privs -> FSETID
  ChangeDir,         // chdir/fchdir: MAY_EXEC on the directory -> DAC_READ_SEARCH
  SetXattr,          // setxattr/removexattr: SETFCAP, SYS_ADMIN, FOWNER, DAC_OVERRIDE
  GetXattr,          // getxattr: trusted.* -> SYS_ADMIN; user.* read -> DAC_READ_SEARCH
  Always,            // the syscall always checks the capability (chroot, mount, reboot, ...)
  MakeNode,          // mknod: char/block device -> MKNOD
  Signal,            // kill family: kill_ok_by_cred (kernel/signal.c) -> KILL
  SetUid,            // setuid: __sys_setuid -> SETUID
  SetReUid,          // setreuid
  SetResUid,         // setresuid
  SetFsUid,          // setfsuid
  SetGid,            // setgid -> SETGID
  SetReGid,          // setregid
  SetResGid,         // setresgid
  SetFsGid,          // setfsgid
  Capset,            // capset: inheritable beyond permitted -> SETPCAP
  Prctl,             // prctl: PR_CAPBSET_DROP, PR_SET_SECUREBITS -> SETPCAP; PR_SET_MM -> SYS_RESOURCE
  Bind,              // bind: inet_port_requires_bind_service -> NET_BIND_SERVICE
  CreateSocket,      // socket: raw inet, packet -> NET_RAW
  SetSockOpt,        // setsockopt: SO_*BUFFORCE, SO_DEBUG -> NET_ADMIN; SO_PRIORITY, SO_MARK,
                     // IP_TRANSPARENT -> NET_RAW or NET_ADMIN
  Ioctl,             // ioctl: SIOCSIF*, SIOCADDRT..., TUNSETIFF -> NET_ADMIN
  InodeFlags,        // ioctl FS_IOC_SETFLAGS/FSSETXATTR (chattr): vfs_fileattr_set -> FOWNER;
                     // the append-only or immutable flag changed -> LINUX_IMMUTABLE
  SendNetlink,       // sendto/sendmsg on netlink: audit user messages -> AUDIT_WRITE, audit
                     // configuration -> AUDIT_CONTROL; rtnetlink changes, every netfilter and
                     // xfrm request, sock_diag's SOCK_DESTROY -> NET_ADMIN
  MemoryLock,        // mlock family: can_do_mlock + RLIMIT_MEMLOCK -> IPC_LOCK
  MapLocked,         // mmap MAP_LOCKED -> IPC_LOCK
  IpcAccess,         // SysV IPC: ipcperms -> IPC_OWNER; IPC_SET/IPC_RMID by non-owner -> SYS_ADMIN
  Fcntl,             // fcntl: F_SETLEASE -> LEASE, F_SETPIPE_SZ -> SYS_RESOURCE, O_NOATIME -> FOWNER
  Namespaces,        // unshare/clone/clone3: CLONE_NEW* without CLONE_NEWUSER -> SYS_ADMIN
  SetNs,             // setns -> SYS_ADMIN (+ SYS_CHROOT for mount namespaces)
  SetPriority,       // setpriority/nice: set_one_prio -> SYS_NICE
  SchedPolicy,       // sched_setscheduler/setparam/setattr -> SYS_NICE
  IoPrio,            // ioprio_set: realtime class -> SYS_NICE (or SYS_ADMIN)
  Rlimit,            // setrlimit/prlimit64: raise hard limit -> SYS_RESOURCE
  PtraceAccess,      // ptrace attach, process_vm_*, kcmp, pidfd_getfd -> SYS_PTRACE
  Syslog,            // syslog: check_syslog_permissions -> SYSLOG (or SYS_ADMIN)
  Bpf,               // bpf: bpf_capable -> BPF (or SYS_ADMIN); *_GET_FD_BY_ID -> SYS_ADMIN
  PerfEventOpen,     // perf_event_open: perf_allow_kernel/cpu -> PERFMON (or SYS_ADMIN)
  AdjustTime,        // adjtimex/clock_adjtime with modes -> SYS_TIME
  SetClock,          // settimeofday/stime/clock_settime(CLOCK_REALTIME) with a valid time -> SYS_TIME
  AlarmClock,        // timerfd_create/timer_create on *_ALARM clocks -> WAKE_ALARM
  Iopl,              // iopl/ioperm raising access -> SYS_RAWIO
  FanotifyInit,      // fanotify_init without FID reporting -> SYS_ADMIN
  Multiplexer,       // i386 socketcall/ipc: checked as the call they carry (bind, shmat, ...)
};

// What the call must return for the capability to count as used.
enum class CapOutcome : std::uint8_t {
  Succeeded,   // result >= 0: the usual case, the operation happened
  Wrote,       // result > 0: bytes were written (the write path only strips set-id bits then)
  NotRefused,  // result is not -EPERM/-EACCES/-ENOSYS: the kernel checks the capability
               // before validating the rest, so a later error (EINVAL, ENOENT) passed the check
  Any,         // the call cannot fail visibly (setfsuid returns the old fsuid)
};

// Which user namespace the kernel checks the capability in.
enum class CapScope : std::uint8_t {
  OwnUserNs,   // ns_capable(current or object userns): root of a new userns passes
  InitUserNs,  // capable(): only real capabilities pass
};

// Where a check's inputs are: argument indexes (0-5), or -1 when absent.
struct CapOperands {
  std::int8_t dirfd = -1;   // dirfd of an *at call (AT_FDCWD = -100)
  std::int8_t path = -1;    // pointer to a path
  std::int8_t fd = -1;      // a file descriptor operand (fchown, write, bind, ...)
  std::int8_t flags = -1;   // open flags / AT_* flags / clone flags / ...
  std::int8_t a = -1;       // the check's first value (uid, mode, pid, signal, port ptr, ...)
  std::int8_t b = -1;       // second value
  std::int8_t c = -1;       // third value
  bool at_flags = false;    // `flags` holds AT_SYMLINK_NOFOLLOW/AT_EMPTY_PATH
  bool nofollow = false;    // the call never follows a final symlink (lchown, lsetxattr)
  bool id16 = false;        // uid/gid values are 16-bit (i386 chown, setuid, ...)
  bool by_pointer = false;  // the check's value is read from memory at argument `a`
};

inline constexpr std::size_t kMaxCapsPerRule = 8;

// One row: `syscall` can exercise `caps` when `check` says so.
struct CapabilityRule {
  std::string_view syscall;  // as named in our syscall tables (chown32, fcntl64, ...)
  CapCheck check;
  std::array<std::optional<Capability>, kMaxCapsPerRule> caps;
  CapOperands ops;
  CapOutcome outcome;
  CapScope scope;
  std::string_view kernel;   // the kernel check this row follows, e.g. "fs/attr.c chown_ok"
};

// Every rule row, sorted by syscall name (a syscall may have several rows).
std::span<const CapabilityRule> capability_rules();

// The rows for `syscall`, empty when it never exercises a capability.
std::span<const CapabilityRule> capability_rules_for(std::string_view syscall);

}  // namespace syscap::tables
