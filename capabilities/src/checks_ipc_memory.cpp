// The checker's checks on locked memory (can_do_mlock(), do_mlock(), mlockall(),
// mlock_future_ok()), System V IPC (ipcperms(), ipcctl_obtain_check()) and fcntl commands
// (generic_setlease(), pipe_set_size(), setfl()).
#include <fcntl.h>

#include <algorithm>
#include <vector>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities::detail {

using tables::Capability;

namespace {

std::uint64_t page_round(std::uint64_t addr, std::uint64_t len) {
  const std::uint64_t start = addr & ~std::uint64_t{4095};
  const std::uint64_t end = (addr + len + 4095) & ~std::uint64_t{4095};
  return end - start;
}

bool lock_needs_cap(Findings& f, std::uint64_t bytes, std::string& why) {
  const Rlimit lim = f.caller.limits[kRlimitMemlock];
  if (lim.cur == 0) {
    why = "RLIMIT_MEMLOCK is 0";
    return true;
  }
  if (lim.cur == kRlimInfinity) return false;
  const std::uint64_t pages = (bytes >> 12) + (f.caller.vm_locked >> 12);
  if (pages > (lim.cur >> 12)) {
    why = fmt::format("{} bytes locked beyond RLIMIT_MEMLOCK {} (already locked {})", bytes,
                      lim.cur, f.caller.vm_locked);
    return true;
  }
  return false;
}

}  // namespace

void memory_lock(Findings& f, const SyscallCall& call, TraceeView&) {
  std::string why;
  bool needs = false;
  if (call.name == "mlockall") {
    const int flags = as_int(call.args[0]);
    f.args["flags"] = flags;
    const Rlimit lim = f.caller.limits[kRlimitMemlock];
    if (lim.cur == 0) {
      needs = true, why = "RLIMIT_MEMLOCK is 0";
    } else if ((flags & 1 /* MCL_CURRENT */) && lim.cur != kRlimInfinity &&
               (f.caller.vm_size >> 12) > (lim.cur >> 12)) {
      needs = true;
      why = fmt::format("MCL_CURRENT with {} bytes mapped > RLIMIT_MEMLOCK {}", f.caller.vm_size, lim.cur);
    }
  } else {
    const std::uint64_t len = page_round(call.args[0], call.args[1]);
    f.args["len"] = call.args[1];
    needs = lock_needs_cap(f, len, why);
  }
  if (needs && f.creds.has(Capability::IpcLock)) f.add(Capability::IpcLock, call.name == "mlockall" ? "mlockall: " + why : "mlock: " + why);
}

void map_locked(Findings& f, const SyscallCall& call, TraceeView&) {
  const int flags = as_int(call.args[f.rule->ops.flags]);
  constexpr int kMapLocked = 0x2000;
  if (!(flags & kMapLocked)) return;
  f.args["flags"] = fmt::format("{:#x}", flags);
  f.args["len"] = call.args[f.rule->ops.b];
  std::string why;
  if (lock_needs_cap(f, page_round(0, call.args[f.rule->ops.b]), why) && f.creds.has(Capability::IpcLock))
    f.add(Capability::IpcLock, "MAP_LOCKED: " + why);
}

void ipc_access(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int id = as_int(call.args[o.a]);
  const std::string_view n = call.name;
  const IpcKind kind = n.starts_with("shm") ? IpcKind::Shm : n.starts_with("msg") ? IpcKind::Msg : IpcKind::Sem;
  int mask = 0;           // 4 read, 2 write
  bool owner_only = false;  // IPC_SET / IPC_RMID
  bool shm_lock = false;
  const int cmd = o.b >= 0 ? (as_int(call.args[o.b]) & ~0x100 /* IPC_64 */) : -1;
  if (n == "shmat") {
    mask = (as_int(call.args[o.flags]) & 010000 /* SHM_RDONLY */) ? 4 : 6;
  } else if (n == "msgsnd") {
    mask = 2;
  } else if (n == "msgrcv") {
    mask = 4;
  } else if (n.starts_with("semop") || n.starts_with("semtimedop")) {
    mask = 4;
    const std::uint64_t nsops = std::min<std::uint64_t>(call.args[o.c], 64);
    std::vector<std::int16_t> sops(nsops * 3);
    if (nsops && view.read_memory(call.args[o.b], sops.data(), sops.size() * 2))
      for (std::uint64_t i = 0; i < nsops; ++i)
        if (sops[i * 3 + 1] != 0) mask = 2;
  } else {
    f.args["cmd"] = cmd;
    if (cmd == 0 /* IPC_RMID */ || cmd == 1 /* IPC_SET */) owner_only = true;
    else if (cmd == 2 /* IPC_STAT */ || cmd == 13 /* SHM_STAT, MSG_STAT=11 below */) mask = 4;
    else if (kind == IpcKind::Msg && cmd == 11 /* MSG_STAT */) mask = 4;
    else if (kind == IpcKind::Sem && (cmd == 11 || cmd == 12 || cmd == 13 || cmd == 14 || cmd == 15 || cmd == 18)) mask = 4;
    else if (kind == IpcKind::Sem && (cmd == 16 /* SETVAL */ || cmd == 17 /* SETALL */)) mask = 2;
    else if (kind == IpcKind::Shm && (cmd == 11 /* SHM_LOCK */ || cmd == 12 /* SHM_UNLOCK */)) shm_lock = true;
    else return;
  }
  f.args["id"] = id;
  auto obj = view.ipc_object(kind, id);
  if (!obj) return;
  const Credentials& c = f.creds;
  const bool owner = c.euid == obj->uid || c.euid == obj->cuid;
  const std::string desc = fmt::format("{} {} (mode {:04o}, uid {}, creator uid {})",
                                       kind == IpcKind::Shm ? "shm" : kind == IpcKind::Msg ? "msg queue" : "semaphore set",
                                       id, obj->mode & 0777, obj->uid, obj->cuid);
  if (owner_only) {
    if (!owner && c.has(Capability::SysAdmin))
      f.add(Capability::SysAdmin, fmt::format("IPC_SET/IPC_RMID on {} not owned by euid {}", desc, c.euid));
    return;
  }
  if (shm_lock) {
    const bool no_limit = cmd == 11 && f.caller.limits[kRlimitMemlock].cur == 0;
    if ((!owner || no_limit) && c.has(Capability::IpcLock))
      f.add(Capability::IpcLock, fmt::format("SHM_LOCK/SHM_UNLOCK on {}{}", desc,
                                             owner ? " with RLIMIT_MEMLOCK 0" : " not owned by the caller"));
    return;
  }
  unsigned granted = obj->mode;
  if (owner) granted >>= 6;
  else if (c.in_group(obj->gid) || c.in_group(obj->cgid)) granted >>= 3;
  if ((static_cast<unsigned>(mask) & ~granted & 7u) && c.has(Capability::IpcOwner))
    f.add(Capability::IpcOwner, fmt::format("{} access to {} denied by its mode to euid {}",
                                            mask == 4 ? "read" : "write", desc, c.euid));
}

void fcntl_cmd(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int fd = as_int(call.args[o.fd]);
  const int cmd = as_int(call.args[o.a]);
  const std::uint64_t arg = call.args[o.b];
  const Credentials& c = f.creds;
  if (cmd == F_SETLEASE) {
    auto file = view.fd_file(fd);
    if (!file) return;
    f.args["fd"] = fd, f.args["cmd"] = "F_SETLEASE", f.args["file"] = file->path;
    if (file->uid != c.fsuid && c.has(Capability::Lease))
      f.add(Capability::Lease, fmt::format("lease on {} not owned by fsuid {}", describe(*file), c.fsuid));
  } else if (cmd == F_SETPIPE_SZ) {
    const std::int64_t max = view.sysctl("fs/pipe-max-size").value_or(1048576);
    f.args["fd"] = fd, f.args["cmd"] = "F_SETPIPE_SZ", f.args["size"] = arg;
    if (static_cast<std::int64_t>(static_cast<std::uint32_t>(arg)) > max && c.has(Capability::SysResource))
      f.add(Capability::SysResource, fmt::format("pipe size {} > fs.pipe-max-size {}", arg, max));
  } else if (cmd == F_SETFL && (arg & O_NOATIME)) {
    auto file = view.fd_file(fd);
    if (!file || (file->open_flags & O_NOATIME)) return;
    f.args["fd"] = fd, f.args["cmd"] = "F_SETFL", f.args["flags"] = fmt::format("{:#o}", arg);
    if (file->uid != c.fsuid && c.has(Capability::Fowner))
      f.add(Capability::Fowner, fmt::format("O_NOATIME on {} not owned by fsuid {}", describe(*file), c.fsuid));
  }
}

}  // namespace syscap::capabilities::detail
