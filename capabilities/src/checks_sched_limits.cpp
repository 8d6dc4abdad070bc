// The checker's scheduling and resource-limit checks: set_one_prio(), can_nice(),
// user_check_sched_setscheduler(), ioprio_check_cap(), do_prlimit() and
// check_prlimit_permission().
#include <sched.h>

#include <algorithm>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities::detail {

using tables::Arch;
using tables::Capability;

namespace {

bool can_nice(const ProcessFacts& p, int nice) {
  const std::uint64_t rlim = static_cast<std::uint64_t>(20 - nice);
  return rlim <= p.limits[kRlimitNice].cur;
}

}  // namespace

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

}  // namespace syscap::capabilities::detail
