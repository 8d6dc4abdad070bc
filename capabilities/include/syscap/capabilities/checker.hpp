// The capability checker: given one syscall at its entry and a view of the calling tracee
// (credentials, file metadata, other processes, memory), decides which capability (if any) the
// kernel would need for the call to succeed, following the rows of
// syscap/tables/capabilities.hpp. Pure: everything it knows comes through TraceeView, so unit
// tests feed it a FakeTraceeView; the tracer feeds it /proc and process_vm_readv
// (capability_observer.hpp).
//
//   SyscallCall call{.name = "fchownat", .arch = tables::Arch::X86_64,
//                    .args = {AT_FDCWD_U64, path_ptr, 1000, 1000, 0, 0}};
//   for (const CapabilityUse& use : check_capabilities(call, view)) {
//     // at the syscall's exit, keep it only if outcome_confirms(use.outcome, rval)
//     // use.cap == Capability::Chown, use.why == "/tmp/x owned by uid 0 ...", use.args = {...}
//   }
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/tables/arch.hpp"
#include "syscap/tables/capabilities.hpp"

namespace syscap::capabilities {

// A process's credentials as /proc/PID/status shows them.
struct Credentials {
  std::uint32_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
  std::uint32_t rgid = 0, egid = 0, sgid = 0, fsgid = 0;
  std::vector<std::uint32_t> groups;  // supplementary groups
  std::uint64_t cap_inh = 0, cap_prm = 0, cap_eff = 0, cap_bnd = 0, cap_amb = 0;

  // True if `cap` is in the effective set.
  bool has(tables::Capability cap) const { return (cap_eff & tables::capability_bit(cap)) != 0; }
  // in_group_p(): the fsgid or a supplementary group.
  bool in_group(std::uint32_t gid) const;
};

// One resource limit; kRlimInfinity for "unlimited".
struct Rlimit {
  std::uint64_t cur = 0, max = 0;
};
inline constexpr std::uint64_t kRlimInfinity = ~std::uint64_t{0};
inline constexpr int kRlimitCount = 16;

// What the checker needs to know of a process (or thread).
struct ProcessFacts {
  pid_t pid = 0;   // thread id
  pid_t tgid = 0;  // process id
  Credentials creds;
  pid_t pgid = 0, sid = 0;
  int nice = 0;         // /proc/PID/stat field 19
  int rt_priority = 0;  // field 40
  int policy = 0;       // field 41 (SCHED_*)
  std::array<Rlimit, kRlimitCount> limits{};  // by RLIMIT_* number, from /proc/PID/limits
  std::uint64_t vm_size = 0, vm_locked = 0;   // bytes (VmSize, VmLck)
  bool dumpable = true;                       // false after prctl(PR_SET_DUMPABLE, 0)
  bool initial_user_ns = true;                // in the tracer's user namespace
  bool tracer_pid_ns = true;                  // in the tracer's pid namespace: the pids it names are the tracer's
};

// Metadata of one file as stat(2) gives it.
struct FileFacts {
  std::string path;            // for `why` and evidence: as resolved, or /proc/PID/fd/N's target
  std::uint32_t mode = 0;      // st_mode
  std::uint32_t uid = 0, gid = 0;
  std::uint64_t rdev = 0;      // st_rdev (major/minor as makedev())
  std::uint32_t open_flags = 0;  // for fds: the flags of the open file (fdinfo), else 0
};

// A path operand resolved the way the tracee's kernel walk would.
struct PathFacts {
  std::optional<FileFacts> target;  // nullopt: the last component does not exist
  std::optional<FileFacts> parent;  // the directory holding the last component
  std::vector<FileFacts> walked;    // directories searched on the way (each needs MAY_EXEC)
};

struct SocketFacts {
  int domain = 0, type = 0, protocol = 0;  // SO_DOMAIN, SO_TYPE, SO_PROTOCOL
};

enum class IpcKind { Shm, Msg, Sem };

// A System V IPC object's owner and mode (/proc/sysvipc/*).
struct IpcObjectFacts {
  std::uint32_t uid = 0, gid = 0, cuid = 0, cgid = 0, mode = 0;
};

// Everything the checker may ask about the calling tracee and its world. Every answer may be
// missing (the tracee died, the fd is gone): the checker then reports nothing for that operand.
class TraceeView {
 public:
  virtual ~TraceeView() = default;
  // The calling thread's id.
  virtual pid_t caller() const = 0;
  // Facts of a thread or process (by id), or nullptr.
  virtual const ProcessFacts* process(pid_t tid) = 0;
  // Process ids in process group `pgid`, or every process when pgid is nullopt.
  virtual std::vector<pid_t> processes(std::optional<pid_t> pgid) = 0;
  // A NUL-terminated string from the tracee's memory (at most 4096 bytes).
  virtual std::optional<std::string> read_string(std::uint64_t addr) = 0;
  // `len` bytes of the tracee's memory.
  virtual bool read_memory(std::uint64_t addr, void* out, std::size_t len) = 0;
  // A path operand relative to `dirfd` (AT_FDCWD: the cwd; absolute: the tracee's root).
  virtual std::optional<PathFacts> resolve(int dirfd, const std::string& path, bool follow) = 0;
  // Only the directories on the way (`walked`, `parent`), not the last component: all that a
  // stat() has checked. May still fill `target`.
  virtual std::optional<PathFacts> resolve_dirs(int dirfd, const std::string& path) {
    return resolve(dirfd, path, true);
  }
  // The file an fd refers to.
  virtual std::optional<FileFacts> fd_file(int fd) = 0;
  // Only its mode and owner (path and open flags may be empty): cheaper, for the write path.
  virtual std::optional<FileFacts> fd_stat(int fd) { return fd_file(fd); }
  // The socket an fd refers to, or nullopt if it is not a socket.
  virtual std::optional<SocketFacts> fd_socket(int fd) = 0;
  // The process a pidfd refers to.
  virtual std::optional<pid_t> fd_pidfd(int fd) = 0;
  // readlink of /proc/PID/fd/N: "mnt:[4026531841]", "anon_inode:[pidfd]", ...
  virtual std::optional<std::string> fd_link(int fd) = 0;
  // A System V IPC object by id.
  virtual std::optional<IpcObjectFacts> ipc_object(IpcKind kind, int id) = 0;
  // A sysctl as the tracee sees it, by /proc/sys path: "net/ipv4/ip_unprivileged_port_start".
  virtual std::optional<std::int64_t> sysctl(std::string_view name) = 0;
  // The inode flags of the file an fd refers to (FS_IOC_GETFLAGS), or with `xflags` its
  // fsxattr flags (FS_IOC_FSGETXATTR); nullopt where they cannot be read.
  virtual std::optional<std::uint32_t> fd_inode_flags(int /*fd*/, bool /*xflags*/) { return std::nullopt; }
};

// One call to check.
struct SyscallCall {
  std::string_view name;             // table name on that arch ("chown32" on i386)
  tables::Arch arch = tables::Arch::X86_64;
  std::array<std::uint64_t, 6> args{};
};

// A capability the call exercises, if its result confirms it (outcome_confirms()).
struct CapabilityUse {
  tables::Capability cap;
  std::string why;                    // "/tmp/x owned by uid 0, new owner 1000"
  nlohmann::ordered_json args;        // decoded arguments, e.g. {"path": ..., "owner": 1000}
  tables::CapOutcome outcome = tables::CapOutcome::Succeeded;
};

// The capabilities `call` would exercise, at most one entry per capability.
std::vector<CapabilityUse> check_capabilities(const SyscallCall& call, TraceeView& view);

// True when a call that returned `rval` (-errno on failure) did use the capability.
bool outcome_confirms(tables::CapOutcome outcome, std::int64_t rval);

// True if any rule row exists for the syscall (a cheap pre-filter for the hot path).
bool may_exercise_capability(std::string_view syscall);

}  // namespace syscap::capabilities
