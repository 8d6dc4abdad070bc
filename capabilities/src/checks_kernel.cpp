// The checker's checks on kernel-wide facilities: namespaces, syslog, bpf, perf events,
// clocks, I/O ports and fanotify.
#include <sched.h>

#include <algorithm>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities::detail {

using tables::Arch;
using tables::Capability;

namespace {

constexpr std::uint64_t kNsFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
                                   CLONE_NEWPID | CLONE_NEWCGROUP;
constexpr std::uint64_t kCloneNewTime = 0x80;

}  // namespace

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

}  // namespace syscap::capabilities::detail
