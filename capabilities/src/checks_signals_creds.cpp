// The checker's checks on signals, credentials and access to other processes: kill_ok_by_cred()
// for signals, __sys_setuid() and friends, capset() and prctl() for the capability sets, and
// __ptrace_may_access() for ptrace and the calls that read another process.
#include <algorithm>
#include <csignal>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities::detail {

using tables::Arch;
using tables::Capability;
using tables::CapCheck;

namespace {

bool kill_ok_by_cred(const Credentials& c, const Credentials& t) {
  return c.euid == t.suid || c.euid == t.ruid || c.ruid == t.suid || c.ruid == t.ruid;
}

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

}  // namespace

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
  // security/commoncap.c cap_ptrace_access_check: the target's permitted capabilities must be
  // within the caller's (its effective ones with the fs credentials, else its permitted ones).
  const std::uint64_t mine = fscreds ? c.cap_eff : c.cap_prm;
  if (const std::uint64_t more = tc.cap_prm & ~mine; more != 0)
    return fmt::format("pid {} holds capabilities the caller does not ({:#x})", target.pid, more);
  return "";
}

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
  // Pids a caller in another pid namespace names are its own numbers, not the tracer's.
  if (!f.caller.tracer_pid_ns && o.fd < 0) return;
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

}  // namespace syscap::capabilities::detail
