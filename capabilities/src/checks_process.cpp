// The checker's non-file checks: signals, credentials, networking, memory locking, System V
// IPC, namespaces, scheduling, limits, ptrace access, and the kernel-wide facilities (syslog,
// bpf, perf, clocks). Each follows the kernel function its rule row names.
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities::detail {
namespace {

using tables::Arch;
using tables::Capability;
using tables::CapCheck;

std::uint64_t page_round(std::uint64_t addr, std::uint64_t len) {
  const std::uint64_t start = addr & ~std::uint64_t{4095};
  const std::uint64_t end = (addr + len + 4095) & ~std::uint64_t{4095};
  return end - start;
}

// ---- signals: check_kill_permission(), kill_ok_by_cred()

bool kill_ok_by_cred(const Credentials& c, const Credentials& t) {
  return c.euid == t.suid || c.euid == t.ruid || c.ruid == t.suid || c.ruid == t.ruid;
}

void signal(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int sig = as_int(call.args[o.b]);
  f.args["signal"] = sig;
  std::vector<pid_t> targets;
  const bool thread = call.name == "tkill" || call.name == "tgkill" || call.name == "rt_tgsigqueueinfo";
  if (o.fd >= 0) {
    auto pid = view.fd_pidfd(as_int(call.args[o.fd]));
    if (!pid) return;
    f.args["pidfd"] = as_int(call.args[o.fd]);
    targets.push_back(*pid);
  } else {
    const int pid = as_int(call.args[o.a]);
    f.args["pid"] = pid;
    if (pid > 0 || thread) {
      targets.push_back(pid);
    } else if (pid == 0) {
      targets = view.processes(f.caller.pgid);
    } else if (pid == -1) {
      for (pid_t p : view.processes(std::nullopt))
        if (p > 1) targets.push_back(p);
    } else {
      targets = view.processes(-pid);
    }
  }
  for (pid_t t : targets) {
    const ProcessFacts* target = view.process(t);
    if (!target || target->tgid == f.caller.tgid) continue;  // same thread group: no check
    if (kill_ok_by_cred(f.creds, target->creds)) continue;
    if (sig == SIGCONT && target->sid == f.caller.sid) continue;
    if (!f.creds.has(Capability::Kill)) return;
    f.add(Capability::Kill,
          fmt::format("signal {} to pid {} (uid {}, saved uid {}) from uid {} euid {}", sig, t,
                      target->creds.ruid, target->creds.suid, f.creds.ruid, f.creds.euid));
    return;
  }
}

// ---- credentials: __sys_setuid() and friends

std::int64_t id_arg(const Findings& f, const SyscallCall& call, int index) {
  const std::uint64_t v = call.args[index];
  if (f.rule->ops.id16 && call.arch == Arch::X86)
    return (v & 0xffff) == 0xffff ? -1 : static_cast<std::int64_t>(v & 0xffff);
  const auto u = static_cast<std::uint32_t>(v);
  return u == 0xffffffffu ? -1 : static_cast<std::int64_t>(u);
}

bool one_of(std::int64_t v, std::initializer_list<std::uint32_t> set) {
  return std::ranges::find(set, static_cast<std::uint32_t>(v)) != set.end();
}

void set_ids(Findings& f, const SyscallCall& call, TraceeView&) {
  const auto& o = f.rule->ops;
  const Credentials& c = f.creds;
  const CapCheck k = f.rule->check;
  const bool gid = k == CapCheck::SetGid || k == CapCheck::SetReGid || k == CapCheck::SetResGid ||
                   k == CapCheck::SetFsGid;
  const std::uint32_t r = gid ? c.rgid : c.ruid, e = gid ? c.egid : c.euid,
                      s = gid ? c.sgid : c.suid, fs = gid ? c.fsgid : c.fsuid;
  const Capability cap = gid ? Capability::Setgid : Capability::Setuid;
  const char* what = gid ? "gid" : "uid";
  std::string bad;
  auto require = [&](const char* name, std::int64_t v, std::initializer_list<std::uint32_t> allowed) {
    f.args[name] = v;
    if (v < 0 || one_of(v, allowed)) return;
    if (bad.empty()) bad = fmt::format("{} {} {}", name, what, v);
  };
  switch (k) {
    case CapCheck::SetUid:
    case CapCheck::SetGid: {
      const std::int64_t v = id_arg(f, call, o.a);
      f.args[what] = v;
      if (v >= 0 && !one_of(v, {r, s})) bad = fmt::format("{} {}", what, v);
      break;
    }
    case CapCheck::SetReUid:
    case CapCheck::SetReGid:
      require("real", id_arg(f, call, o.a), {r, e});
      require("effective", id_arg(f, call, o.b), {r, e, s});
      break;
    case CapCheck::SetResUid:
    case CapCheck::SetResGid:
      require("real", id_arg(f, call, o.a), {r, e, s});
      require("effective", id_arg(f, call, o.b), {r, e, s});
      require("saved", id_arg(f, call, o.c), {r, e, s});
      break;
    default:  // SetFsUid / SetFsGid
      require("fs", id_arg(f, call, o.a), {r, e, s, fs});
      break;
  }
  if (bad.empty() || !c.has(cap)) return;
  f.add(cap, fmt::format("{} is none of the current real/effective/saved {}s {}/{}/{}", bad, what,
                         r, e, s));
}

void capset(Findings& f, const SyscallCall& call, TraceeView& view) {
  struct {
    std::uint32_t version;
    std::int32_t pid;
  } hdr{};
  struct {
    std::uint32_t effective, permitted, inheritable;
  } data[2]{};
  if (!view.read_memory(call.args[f.rule->ops.a], &hdr, sizeof hdr) || call.args[f.rule->ops.b] == 0)
    return;
  const bool v1 = hdr.version == 0x19980330;
  if (!view.read_memory(call.args[f.rule->ops.b], data, v1 ? sizeof data[0] : sizeof data)) return;
  const std::uint64_t inh = data[0].inheritable | (v1 ? 0 : std::uint64_t{data[1].inheritable} << 32);
  f.args["inheritable"] = fmt::format("{:#x}", inh);
  const std::uint64_t allowed = f.creds.cap_inh | f.creds.cap_prm;
  if ((inh & ~allowed) && f.creds.has(Capability::Setpcap))
    f.add(Capability::Setpcap,
          fmt::format("raising inheritable capabilities {:#x} beyond permitted {:#x}", inh & ~allowed,
                      f.creds.cap_prm));
}

void prctl(Findings& f, const SyscallCall& call, TraceeView&) {
  const int option = as_int(call.args[0]);
  const std::uint64_t arg2 = call.args[1];
  constexpr int kCapbsetDrop = 24, kSetSecurebits = 28, kSetMm = 35;
  constexpr std::uint64_t kSetMmMap = 14, kSetMmMapSize = 15;
  f.args["option"] = option;
  if (option == kCapbsetDrop && f.creds.has(Capability::Setpcap)) {
    f.args["capability"] = arg2;
    f.add(Capability::Setpcap, fmt::format("PR_CAPBSET_DROP of capability {}", arg2));
  } else if (option == kSetSecurebits && f.creds.has(Capability::Setpcap)) {
    f.add(Capability::Setpcap, fmt::format("PR_SET_SECUREBITS {:#x}", arg2));
  } else if (option == kSetMm && arg2 != kSetMmMap && arg2 != kSetMmMapSize &&
             f.creds.has(Capability::SysResource)) {
    f.add(Capability::SysResource, fmt::format("PR_SET_MM option {}", arg2));
  }
}

// ---- networking

void bind(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const std::uint64_t len = call.args[o.b];
  if (len < 4) return;
  unsigned char sa[4];
  if (!view.read_memory(call.args[o.a], sa, sizeof sa)) return;
  std::uint16_t family;
  std::memcpy(&family, sa, 2);
  if (family != AF_INET && family != AF_INET6) return;
  const unsigned port = (unsigned{sa[2]} << 8) | sa[3];
  f.args["family"] = family == AF_INET ? "AF_INET" : "AF_INET6";
  f.args["port"] = port;
  if (port == 0) return;
  const int fd = as_int(call.args[o.fd]);
  if (auto sock = view.fd_socket(fd); sock && sock->type == SOCK_RAW) return;  // raw_bind: no port check
  const std::int64_t first = view.sysctl("net/ipv4/ip_unprivileged_port_start").value_or(1024);
  if (port >= first || !f.creds.has(Capability::NetBindService)) return;
  f.add(Capability::NetBindService,
        fmt::format("binding port {} < net.ipv4.ip_unprivileged_port_start {}", port, first));
}

void create_socket(Findings& f, const SyscallCall& call, TraceeView&) {
  const int domain = as_int(call.args[0]);
  const int type = as_int(call.args[1]) & 0xf;
  const int protocol = as_int(call.args[2]);
  f.args["domain"] = domain;
  f.args["type"] = type;
  f.args["protocol"] = protocol;
  std::string what;
  if ((domain == AF_INET || domain == AF_INET6) && type == SOCK_RAW)
    what = fmt::format("a raw {} socket", domain == AF_INET ? "AF_INET" : "AF_INET6");
  else if (domain == AF_PACKET || (domain == AF_INET && type == SOCK_PACKET))
    what = "a packet socket";
  if (!what.empty() && f.creds.has(Capability::NetRaw))
    f.add(Capability::NetRaw, "creating " + what);
}

void set_sock_opt(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int level = as_int(call.args[o.a]);
  const int name = as_int(call.args[o.b]);
  std::int32_t val = 0;
  if (call.args[o.c] && !view.read_memory(call.args[o.c], &val, sizeof val)) return;
  f.args["level"] = level;
  f.args["optname"] = name;
  f.args["value"] = val;
  const Credentials& c = f.creds;
  std::optional<Capability> cap;
  std::string why;
  if (level == SOL_SOCKET) {
    if (name == SO_SNDBUFFORCE || name == SO_RCVBUFFORCE) {
      cap = c.has(Capability::NetAdmin) ? std::optional(Capability::NetAdmin) : std::nullopt;
      why = "SO_SNDBUFFORCE/SO_RCVBUFFORCE ignore net.core.[rw]mem_max";
    } else if (name == SO_DEBUG && val != 0) {
      cap = c.has(Capability::NetAdmin) ? std::optional(Capability::NetAdmin) : std::nullopt;
      why = "SO_DEBUG";
    } else if (name == SO_PRIORITY && (val < 0 || val > 6)) {
      cap = first_effective(c, {Capability::NetRaw, Capability::NetAdmin});
      why = fmt::format("SO_PRIORITY {} outside 0..6", val);
    } else if (name == SO_MARK) {
      cap = first_effective(c, {Capability::NetRaw, Capability::NetAdmin});
      why = "SO_MARK";
    }
  } else if ((level == SOL_IP && name == 19 /* IP_TRANSPARENT */) ||
             (level == SOL_IPV6 && name == 75 /* IPV6_TRANSPARENT */)) {
    if (val != 0) {
      cap = first_effective(c, {Capability::NetRaw, Capability::NetAdmin});
      why = "IP_TRANSPARENT";
    }
  }
  if (cap) f.add(*cap, "setsockopt " + why);
}

void ioctl(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto cmd = static_cast<std::uint32_t>(call.args[f.rule->ops.a]);
  // net/core/dev_ioctl.c: the interface-changing requests need CAP_NET_ADMIN;
  // net/ipv4/af_inet.c: routes and ARP entries too.
  static constexpr std::uint32_t kNetAdmin[] = {
      0x890B /* SIOCADDRT */,    0x890C /* SIOCDELRT */,     0x8914 /* SIOCSIFFLAGS */,
      0x8916 /* SIOCSIFADDR */,  0x8918 /* SIOCSIFDSTADDR */, 0x891A /* SIOCSIFBRDADDR */,
      0x891C /* SIOCSIFNETMASK */, 0x891E /* SIOCSIFMETRIC */, 0x8922 /* SIOCSIFMTU */,
      0x8923 /* SIOCSIFNAME */,  0x8924 /* SIOCSIFHWADDR */, 0x8931 /* SIOCADDMULTI */,
      0x8932 /* SIOCDELMULTI */, 0x8934 /* SIOCSIFPFLAGS */,  0x8936 /* SIOCDIFADDR */,
      0x8937 /* SIOCSIFHWBROADCAST */, 0x8943 /* SIOCSIFTXQLEN */, 0x8953 /* SIOCDARP */,
      0x8955 /* SIOCSARP */,     0x8971 /* SIOCSIFMAP */};
  const int fd = as_int(call.args[f.rule->ops.fd]);
  if (cmd == 0x400454ca /* TUNSETIFF */) {
    // drivers/net/tun.c tun_set_iff(): creating an interface needs CAP_NET_ADMIN.
    auto file = view.fd_file(fd);
    if (file && file->path == "/dev/net/tun" && f.creds.has(Capability::NetAdmin)) {
      f.args["fd"] = fd;
      f.args["request"] = "TUNSETIFF";
      f.add(Capability::NetAdmin, "creating a tun/tap interface (TUNSETIFF)");
    }
    return;
  }
  if (std::ranges::find(kNetAdmin, cmd) == std::end(kNetAdmin)) return;
  if (!view.fd_socket(fd)) return;
  f.args["fd"] = fd;
  f.args["request"] = fmt::format("{:#x}", cmd);
  if (f.creds.has(Capability::NetAdmin))
    f.add(Capability::NetAdmin, fmt::format("network configuration ioctl {:#x}", cmd));
}

void send_netlink(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int fd = as_int(call.args[o.fd]);
  auto sock = view.fd_socket(fd);
  if (!sock || sock->domain != AF_NETLINK) return;
  if (sock->protocol != NETLINK_AUDIT && sock->protocol != NETLINK_ROUTE) return;
  std::uint64_t buf = 0, len = 0;
  if (call.name == "sendto") {
    buf = call.args[o.a];
    len = call.args[o.b];
  } else {
    // struct msghdr: the first iovec only.
    const bool compat = call.arch == Arch::X86;
    std::uint64_t iov = 0;
    if (compat) {
      std::uint32_t m[4];
      if (!view.read_memory(call.args[o.a], m, sizeof m)) return;
      std::uint32_t v[2];
      if (m[3] == 0 || !view.read_memory(m[2], v, sizeof v)) return;
      buf = v[0], len = v[1];
    } else {
      std::uint64_t m[4];
      if (!view.read_memory(call.args[o.a], m, sizeof m)) return;
      iov = m[2];
      std::uint64_t v[2];
      if (m[3] == 0 || !view.read_memory(iov, v, sizeof v)) return;
      buf = v[0], len = v[1];
    }
  }
  if (len < sizeof(nlmsghdr)) return;
  nlmsghdr h{};
  if (!view.read_memory(buf, &h, sizeof h)) return;
  f.args["nlmsg_type"] = h.nlmsg_type;
  if (sock->protocol == NETLINK_AUDIT) {
    const unsigned t = h.nlmsg_type;
    const bool user = t == 1005 /* AUDIT_USER */ || (t >= 1100 && t <= 1199) || (t >= 2100 && t <= 2999);
    f.args["protocol"] = "NETLINK_AUDIT";
    // audit_netlink_ok(): configuration requests need CAP_AUDIT_CONTROL.
    static constexpr unsigned kControl[] = {1000 /* GET */, 1001 /* SET */, 1010 /* SIGNAL_INFO */,
                                            1011, 1012, 1013 /* rules */, 1014 /* TRIM */,
                                            1015 /* MAKE_EQUIV */, 1018, 1019 /* features */};
    if (user && f.creds.has(Capability::AuditWrite))
      f.add(Capability::AuditWrite, fmt::format("sending audit user message type {}", t));
    else if (std::ranges::find(kControl, t) != std::end(kControl) && f.creds.has(Capability::AuditControl))
      f.add(Capability::AuditControl, fmt::format("audit configuration request type {}", t));
  } else {
    const unsigned t = h.nlmsg_type;
    // rtnetlink_rcv_msg(): every kind but GET (type & 3 == 2) needs CAP_NET_ADMIN.
    if (t >= 16 && ((t - 16) & 3) != 2 && f.creds.has(Capability::NetAdmin))
      f.args["protocol"] = "NETLINK_ROUTE",
      f.add(Capability::NetAdmin, fmt::format("rtnetlink change request type {}", t));
  }
}

// ---- memory locking: can_do_mlock(), do_mlock(), mlockall(), mlock_future_ok()

constexpr int kRlimitMemlock = 8, kRlimitNice = 13, kRlimitRtprio = 14;

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

// ---- System V IPC: ipcperms(), ipcctl_obtain_check()

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

// ---- fcntl: generic_setlease(), pipe_set_size(), setfl()

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

// ---- namespaces

constexpr std::uint64_t kNsFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
                                   CLONE_NEWPID | CLONE_NEWCGROUP;
constexpr std::uint64_t kCloneNewTime = 0x80;

void namespaces(Findings& f, const SyscallCall& call, TraceeView& view) {
  std::uint64_t flags = 0;
  if (f.rule->ops.by_pointer) {
    if (!view.read_memory(call.args[0], &flags, sizeof flags)) return;
  } else {
    flags = static_cast<std::uint32_t>(call.args[0]);
  }
  std::uint64_t ns = flags & kNsFlags;
  if (call.name != "clone") ns |= flags & kCloneNewTime;  // in clone() 0x80 is the exit signal
  f.args["flags"] = fmt::format("{:#x}", flags);
  if (!ns || (flags & CLONE_NEWUSER)) return;  // a new user namespace brings its own caps
  if (f.creds.has(Capability::SysAdmin))
    f.add(Capability::SysAdmin, fmt::format("creating namespaces {:#x} without CLONE_NEWUSER", ns));
}

void set_ns(Findings& f, const SyscallCall& call, TraceeView& view) {
  const int fd = as_int(call.args[0]);
  const int nstype = as_int(call.args[1]);
  auto link = view.fd_link(fd);
  if (!link) return;
  f.args["fd"] = fd;
  f.args["target"] = *link;
  bool mnt = link->starts_with("mnt:");
  if (link->find("pidfd") != std::string::npos) {
    if (!(static_cast<std::uint64_t>(nstype) & (kNsFlags | kCloneNewTime | CLONE_NEWUSER))) return;
    mnt = nstype & CLONE_NEWNS;
  }
  if (f.creds.has(Capability::SysAdmin))
    f.add(Capability::SysAdmin, fmt::format("joining namespace {}", *link));
  if (mnt && f.creds.has(Capability::SysChroot))
    f.add(Capability::SysChroot, fmt::format("joining mount namespace {}", *link));
}

// ---- scheduling: set_one_prio(), can_nice(), user_check_sched_setscheduler()

bool can_nice(const ProcessFacts& p, int nice) {
  const std::uint64_t rlim = static_cast<std::uint64_t>(20 - nice);
  return rlim <= p.limits[kRlimitNice].cur;
}

void set_priority(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const Credentials& c = f.creds;
  std::vector<pid_t> targets;
  int niceval;
  if (call.name == "nice") {
    niceval = f.caller.nice + as_int(call.args[o.c]);
    targets.push_back(f.caller.pid);
    f.args["increment"] = as_int(call.args[o.c]);
  } else {
    const int which = as_int(call.args[o.a]);
    const int who = as_int(call.args[o.b]);
    niceval = as_int(call.args[o.c]);
    f.args["which"] = which, f.args["who"] = who, f.args["prio"] = niceval;
    if (which == 0 /* PRIO_PROCESS */) {
      targets.push_back(who ? who : f.caller.pid);
    } else if (which == 1 /* PRIO_PGRP */) {
      targets = view.processes(who ? who : f.caller.pgid);
    } else if (which == 2 /* PRIO_USER */) {
      const std::uint32_t uid = who ? static_cast<std::uint32_t>(who) : c.euid;
      for (pid_t p : view.processes(std::nullopt))
        if (const ProcessFacts* t = view.process(p); t && t->creds.ruid == uid) targets.push_back(p);
    }
  }
  niceval = std::clamp(niceval, -20, 19);
  if (!c.has(Capability::SysNice)) return;
  for (pid_t t : targets) {
    const ProcessFacts* p = view.process(t);
    if (!p) continue;
    if (p->creds.ruid != c.euid && p->creds.euid != c.euid) {
      f.add(Capability::SysNice, fmt::format("changing the nice value of pid {} owned by uid {}", t, p->creds.ruid));
      return;
    }
    if (niceval < p->nice && !can_nice(*p, niceval)) {
      f.add(Capability::SysNice, fmt::format("lowering the nice value of pid {} from {} to {} beyond RLIMIT_NICE {}",
                                             t, p->nice, niceval, p->limits[kRlimitNice].cur));
      return;
    }
  }
}

void sched_policy(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int pid = as_int(call.args[o.a]);
  const ProcessFacts* p = view.process(pid ? pid : f.caller.pid);
  if (!p) return;
  int policy = p->policy;
  int prio = 0;
  int nice = p->nice;
  bool reset_on_fork = false;
  if (call.name == "sched_setattr") {
    struct {
      std::uint32_t size, policy;
      std::uint64_t flags;
      std::int32_t nice;
      std::uint32_t priority;
    } attr{};
    if (!view.read_memory(call.args[o.c], &attr, sizeof attr)) return;
    policy = static_cast<int>(attr.policy);
    prio = static_cast<int>(attr.priority);
    if (attr.flags & 0x02 /* SCHED_FLAG_KEEP_POLICY */) policy = p->policy;
    nice = attr.nice;
    reset_on_fork = attr.flags & 0x01;
  } else {
    if (call.name == "sched_setscheduler") {
      policy = as_int(call.args[o.b]);
      reset_on_fork = policy & 0x40000000;
      policy &= ~0x40000000;
    }
    if (call.args[o.c] && !view.read_memory(call.args[o.c], &prio, sizeof prio)) return;
  }
  (void)reset_on_fork;
  f.args["pid"] = pid, f.args["policy"] = policy, f.args["priority"] = prio;
  const bool rt = policy == SCHED_FIFO || policy == SCHED_RR;
  const bool fair = policy == SCHED_OTHER || policy == SCHED_BATCH;
  const Rlimit rtprio = p->limits[kRlimitRtprio];
  std::string why;
  if (fair && nice < p->nice && !can_nice(*p, nice))
    why = fmt::format("nice {} below {} beyond RLIMIT_NICE", nice, p->nice);
  else if (rt && policy != p->policy && rtprio.cur == 0)
    why = fmt::format("switching to real-time policy {} with RLIMIT_RTPRIO 0", policy);
  else if (rt && prio > p->rt_priority && static_cast<std::uint64_t>(prio) > rtprio.cur)
    why = fmt::format("real-time priority {} above RLIMIT_RTPRIO {}", prio, rtprio.cur);
  else if (policy == 6 /* SCHED_DEADLINE */)
    why = "SCHED_DEADLINE";
  else if (p->policy == SCHED_IDLE && policy != SCHED_IDLE && !can_nice(*p, p->nice))
    why = "leaving SCHED_IDLE beyond RLIMIT_NICE";
  else if (p->creds.euid != f.creds.euid && p->creds.ruid != f.creds.euid)
    why = fmt::format("pid {} is owned by uid {}", p->pid, p->creds.ruid);
  if (!why.empty() && f.creds.has(Capability::SysNice)) f.add(Capability::SysNice, why);
}

void io_prio(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int which = as_int(call.args[o.a]);
  const int who = as_int(call.args[o.b]);
  const int ioprio = as_int(call.args[o.c]);
  const int cls = (ioprio >> 13) & 7;
  f.args["which"] = which, f.args["who"] = who, f.args["class"] = cls;
  if (cls == 1 /* IOPRIO_CLASS_RT */) {
    if (auto cap = first_effective(f.creds, {Capability::SysNice, Capability::SysAdmin}))
      f.add(*cap, "real-time I/O priority class");
    return;
  }
  if (which == 1 /* IOPRIO_WHO_PROCESS */ && who != 0) {
    const ProcessFacts* p = view.process(who);
    if (p && p->creds.ruid != f.creds.euid && p->creds.ruid != f.creds.ruid &&
        f.creds.has(Capability::SysNice))
      f.add(Capability::SysNice, fmt::format("I/O priority of pid {} owned by uid {}", who, p->creds.ruid));
  }
}

// ---- limits: do_prlimit(), check_prlimit_permission()

void rlimit(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  const int resource = as_int(call.args[o.a]);
  const int pid = o.b >= 0 ? as_int(call.args[o.b]) : 0;
  const std::uint64_t ptr = call.args[o.c];
  if (!ptr || resource < 0 || resource >= kRlimitCount) return;
  Rlimit want;
  if (call.name == "setrlimit" && call.arch == Arch::X86) {
    std::uint32_t v[2];
    if (!view.read_memory(ptr, v, sizeof v)) return;
    auto widen = [](std::uint32_t x) { return x == 0xffffffffu ? kRlimInfinity : std::uint64_t{x}; };
    want = {widen(v[0]), widen(v[1])};
  } else {
    std::uint64_t v[2];
    if (!view.read_memory(ptr, v, sizeof v)) return;
    want = {v[0], v[1]};
  }
  const ProcessFacts* p = view.process(pid ? pid : f.caller.pid);
  if (!p) return;
  f.args["resource"] = resource;
  if (pid) f.args["pid"] = pid;
  f.args["soft"] = want.cur == kRlimInfinity ? nlohmann::ordered_json("unlimited") : nlohmann::ordered_json(want.cur);
  f.args["hard"] = want.max == kRlimInfinity ? nlohmann::ordered_json("unlimited") : nlohmann::ordered_json(want.max);
  if (!f.creds.has(Capability::SysResource)) return;
  const Credentials& c = f.creds;
  const Credentials& t = p->creds;
  if (p->tgid != f.caller.tgid &&
      !(c.ruid == t.euid && c.ruid == t.suid && c.ruid == t.ruid && c.rgid == t.egid &&
        c.rgid == t.sgid && c.rgid == t.rgid)) {
    f.add(Capability::SysResource, fmt::format("changing limits of pid {} with other credentials", pid));
    return;
  }
  const Rlimit old = p->limits[resource];
  if (want.max > old.max)
    f.add(Capability::SysResource,
          fmt::format("raising the hard limit of resource {} from {} to {}", resource,
                      old.max == kRlimInfinity ? "unlimited" : std::to_string(old.max),
                      want.max == kRlimInfinity ? "unlimited" : std::to_string(want.max)));
}

// ---- other processes: __ptrace_may_access()

}  // namespace

std::string ptrace_denial(const ProcessFacts& caller, bool fscreds, const ProcessFacts& target) {
  if (target.tgid == caller.tgid) return "";
  const Credentials& c = caller.creds;
  const Credentials& tc = target.creds;
  const std::uint32_t uid = fscreds ? c.fsuid : c.ruid;
  const std::uint32_t gid = fscreds ? c.fsgid : c.rgid;
  if (!(uid == tc.euid && uid == tc.suid && uid == tc.ruid && gid == tc.egid && gid == tc.sgid &&
        gid == tc.rgid))
    return fmt::format("pid {} has other credentials (uid {}/{}/{}) than the caller's {}",
                       target.pid, tc.ruid, tc.euid, tc.suid, uid);
  if (!target.dumpable) return fmt::format("pid {} is not dumpable", target.pid);
  return "";
}

namespace {

void ptrace_access(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  std::vector<pid_t> targets;
  bool fscreds = false;
  if (call.name == "ptrace") {
    const long req = static_cast<long>(call.args[o.a]);
    if (req != 16 /* PTRACE_ATTACH */ && req != 0x4206 /* PTRACE_SEIZE */) return;
    targets.push_back(as_int(call.args[o.b]));
    f.args["request"] = req == 16 ? "PTRACE_ATTACH" : "PTRACE_SEIZE";
  } else if (o.fd >= 0) {
    auto pid = view.fd_pidfd(as_int(call.args[o.fd]));
    if (!pid) return;
    targets.push_back(*pid);
    fscreds = call.name == "process_madvise";
  } else {
    targets.push_back(as_int(call.args[o.b]));
    if (o.c >= 0) targets.push_back(as_int(call.args[o.c]));
  }
  const Credentials& c = f.creds;
  for (pid_t t : targets) {
    f.args["pid"] = t;
    const ProcessFacts* p = view.process(t);
    if (!p) continue;
    const std::string why = ptrace_denial(f.caller, fscreds, *p);
    if (!why.empty() && c.has(Capability::SysPtrace)) {
      f.add(Capability::SysPtrace, fmt::format("{} of {}", call.name, why));
      return;
    }
  }
}

// ---- kernel facilities

void syslog(Findings& f, const SyscallCall& call, TraceeView& view) {
  const int type = as_int(call.args[0]);
  f.args["type"] = type;
  const bool restrict_ = view.sysctl("kernel/dmesg_restrict").value_or(0) != 0;
  // syslog_action_restricted(): everything under dmesg_restrict, else all but READ_ALL (3) and
  // SIZE_BUFFER (10).
  const bool restricted = restrict_ || (type != 3 && type != 10);
  if (!restricted) return;
  if (auto cap = first_effective(f.creds, {Capability::Syslog, Capability::SysAdmin}))
    f.add(*cap, fmt::format("syslog action {}{}", type, restrict_ ? " with kernel.dmesg_restrict=1" : ""));
}

void bpf(Findings& f, const SyscallCall& call, TraceeView& view) {
  const int cmd = as_int(call.args[0]);
  f.args["cmd"] = cmd;
  static constexpr int kAdminOnly[] = {11, 12, 13, 14, 19, 23, 30, 31, 32};  // *_GET_NEXT_ID, *_GET_FD_BY_ID, ENABLE_STATS
  if (std::ranges::find(kAdminOnly, cmd) != std::end(kAdminOnly)) {
    if (f.creds.has(Capability::SysAdmin)) f.add(Capability::SysAdmin, fmt::format("bpf command {} needs CAP_SYS_ADMIN", cmd));
    return;
  }
  const bool btf_load = cmd == 18;
  const bool creates = cmd == 0 /* MAP_CREATE */ || cmd == 5 /* PROG_LOAD */;
  const std::int64_t disabled = view.sysctl("kernel/unprivileged_bpf_disabled").value_or(2);
  if (btf_load || (creates && disabled != 0)) {
    if (auto cap = first_effective(f.creds, {Capability::Bpf, Capability::SysAdmin}))
      f.add(*cap, fmt::format("bpf command {}{}", cmd, btf_load ? "" : fmt::format(" with kernel.unprivileged_bpf_disabled={}", disabled)));
  }
  // bpf_prog_load(): program types that reach into networking or tracing need more
  // (is_net_admin_prog_type(), is_perfmon_prog_type()).
  std::uint32_t prog_type = 0;
  if (cmd != 5 || !view.read_memory(call.args[1], &prog_type, sizeof prog_type)) return;
  f.args["prog_type"] = prog_type;
  static constexpr std::uint32_t kNetAdminTypes[] = {3, 4, 6, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 22, 23, 25, 28};
  static constexpr std::uint32_t kPerfmonTypes[] = {2, 5, 7, 17, 24, 26, 27, 28, 29};
  if (std::ranges::find(kNetAdminTypes, prog_type) != std::end(kNetAdminTypes))
    if (auto cap = first_effective(f.creds, {Capability::NetAdmin, Capability::SysAdmin}))
      f.add(*cap, fmt::format("loading a networking BPF program (type {})", prog_type));
  if (std::ranges::find(kPerfmonTypes, prog_type) != std::end(kPerfmonTypes))
    if (auto cap = first_effective(f.creds, {Capability::Perfmon, Capability::SysAdmin}))
      f.add(*cap, fmt::format("loading a tracing BPF program (type {})", prog_type));
}

void perf_event_open(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  std::uint64_t attr[6];
  if (!view.read_memory(call.args[o.a], attr, sizeof attr)) return;
  const std::uint32_t type = static_cast<std::uint32_t>(attr[0]);
  const std::uint64_t bits = attr[5];
  const bool exclude_kernel = bits & (1u << 5);
  const int pid = as_int(call.args[o.b]);
  const int cpu = as_int(call.args[o.c]);
  f.args["type"] = type, f.args["config"] = attr[1], f.args["exclude_kernel"] = exclude_kernel;
  f.args["pid"] = pid, f.args["cpu"] = cpu;
  const std::int64_t paranoid = view.sysctl("kernel/perf_event_paranoid").value_or(2);
  std::string why;
  if (!exclude_kernel && paranoid > 1)
    why = fmt::format("measuring the kernel with kernel.perf_event_paranoid={}", paranoid);
  else if (pid == -1 && paranoid > 0)
    why = fmt::format("a CPU-wide event with kernel.perf_event_paranoid={}", paranoid);
  if (why.empty()) return;
  if (auto cap = first_effective(f.creds, {Capability::Perfmon, Capability::SysAdmin})) f.add(*cap, why);
}

void adjust_time(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  if (o.a >= 0 && as_int(call.args[o.a]) != 0) return;  // only CLOCK_REALTIME is adjustable here
  std::uint32_t modes = 0;
  if (!view.read_memory(call.args[o.b], &modes, sizeof modes)) return;
  f.args["modes"] = fmt::format("{:#x}", modes);
  constexpr std::uint32_t kAdjAdjtime = 0x8000, kAdjOffsetReadonly = 0x2000;
  const bool changes = (modes & kAdjAdjtime) ? !(modes & kAdjOffsetReadonly) : modes != 0;
  if (changes && f.creds.has(Capability::SysTime))
    f.add(Capability::SysTime, fmt::format("adjusting the clock (modes {:#x})", modes));
}

void set_clock(Findings& f, const SyscallCall& call, TraceeView& view) {
  const auto& o = f.rule->ops;
  if (o.a >= 0) {
    const int clock = as_int(call.args[o.a]);
    f.args["clock"] = clock;
    if (clock != 0 /* CLOCK_REALTIME */) return;  // EINVAL (or another clock's own rules)
  }
  // timespec64_valid_settod() comes before the capability check: an invalid time is EINVAL.
  if (o.b >= 0) {
    const std::uint64_t ptr = call.args[o.b];
    const bool timeval = call.name == "settimeofday";
    if (ptr == 0 && !timeval) return;  // clock_settime(NULL): EFAULT first
    if (ptr) {
      std::int64_t sec = 0, frac = 0;
      if (call.arch == Arch::X86 && !call.name.ends_with("64")) {
        std::int32_t t[2];
        if (!view.read_memory(ptr, t, sizeof t)) return;
        sec = t[0], frac = t[1];
      } else {
        std::int64_t t[2];
        if (!view.read_memory(ptr, t, sizeof t)) return;
        sec = t[0], frac = t[1];
      }
      if (sec < 0 || frac < 0 || frac >= (timeval ? 1000000 : 1000000000)) return;
      f.args["seconds"] = sec;
    } else {
      f.args["time"] = nullptr;
    }
  }
  if (f.creds.has(Capability::SysTime))
    f.add(Capability::SysTime, fmt::format("{} on CLOCK_REALTIME", call.name));
}

void alarm_clock(Findings& f, const SyscallCall& call, TraceeView&) {
  const int clock = as_int(call.args[f.rule->ops.a]);
  f.args["clock"] = clock;
  if ((clock == 8 || clock == 9) && f.creds.has(Capability::WakeAlarm))
    f.add(Capability::WakeAlarm, fmt::format("a timer on the wake-up alarm clock {}", clock == 8 ? "CLOCK_REALTIME_ALARM" : "CLOCK_BOOTTIME_ALARM"));
}

void iopl(Findings& f, const SyscallCall& call, TraceeView&) {
  const auto& o = f.rule->ops;
  const int v = as_int(call.args[o.a >= 0 ? o.a : o.c]);
  f.args[call.name == "iopl" ? "level" : "turn_on"] = v;
  if (v > 0 && f.creds.has(Capability::SysRawio))
    f.add(Capability::SysRawio, call.name == "iopl" ? "raising the I/O privilege level" : "enabling I/O port access");
}

void fanotify_init(Findings& f, const SyscallCall& call, TraceeView&) {
  const auto flags = static_cast<std::uint32_t>(call.args[0]);
  f.args["flags"] = fmt::format("{:#x}", flags);
  constexpr std::uint32_t kFidBits = 0x200 | 0x400 | 0x800 | 0x1000;
  constexpr std::uint32_t kAdminFlags = 0x4 | 0x8 | 0x10 | 0x20 | 0x80 | 0x100;
  if (((flags & kAdminFlags) || !(flags & kFidBits)) && f.creds.has(Capability::SysAdmin))
    f.add(Capability::SysAdmin, "fanotify_init without FID reporting or with privileged flags");
}

}  // namespace

CheckFn process_check_function(CapCheck check) {
  switch (check) {
    case CapCheck::Signal: return signal;
    case CapCheck::SetUid:
    case CapCheck::SetReUid:
    case CapCheck::SetResUid:
    case CapCheck::SetFsUid:
    case CapCheck::SetGid:
    case CapCheck::SetReGid:
    case CapCheck::SetResGid:
    case CapCheck::SetFsGid: return set_ids;
    case CapCheck::Capset: return capset;
    case CapCheck::Prctl: return prctl;
    case CapCheck::Bind: return bind;
    case CapCheck::CreateSocket: return create_socket;
    case CapCheck::SetSockOpt: return set_sock_opt;
    case CapCheck::Ioctl: return ioctl;
    case CapCheck::SendNetlink: return send_netlink;
    case CapCheck::MemoryLock: return memory_lock;
    case CapCheck::MapLocked: return map_locked;
    case CapCheck::IpcAccess: return ipc_access;
    case CapCheck::Fcntl: return fcntl_cmd;
    case CapCheck::Namespaces: return namespaces;
    case CapCheck::SetNs: return set_ns;
    case CapCheck::SetPriority: return set_priority;
    case CapCheck::SchedPolicy: return sched_policy;
    case CapCheck::IoPrio: return io_prio;
    case CapCheck::Rlimit: return rlimit;
    case CapCheck::PtraceAccess: return ptrace_access;
    case CapCheck::Syslog: return syslog;
    case CapCheck::Bpf: return bpf;
    case CapCheck::PerfEventOpen: return perf_event_open;
    case CapCheck::AdjustTime: return adjust_time;
    case CapCheck::SetClock: return set_clock;
    case CapCheck::AlarmClock: return alarm_clock;
    case CapCheck::Iopl: return iopl;
    case CapCheck::FanotifyInit: return fanotify_init;
    default: return nullptr;
  }
}

}  // namespace syscap::capabilities::detail
