// The checker's dispatch: which check each rule row names (one table, in CapCheck order),
// i386's multiplexed calls unpacked into the calls they carry, and the outcome that confirms a
// use. The checks themselves are in checks_*.cpp.
#include "syscap/capabilities/checker.hpp"

#include <algorithm>
#include <cerrno>
#include <utility>

#include "checks.hpp"

namespace syscap::capabilities {

using tables::CapCheck;
using tables::CapabilityRule;

namespace {

using namespace detail;

struct CheckEntry {
  CapCheck check;
  CheckFn fn;  // nullptr: nothing to check for this row itself
};

// Every CapCheck, at the index of its value, with the function that decides it.
constexpr CheckEntry kChecks[] = {
    {CapCheck::ChangeOwner, change_owner},
    {CapCheck::ChangeMode, change_mode},
    {CapCheck::SetTimes, set_times},
    {CapCheck::OpenFile, open_file},
    {CapCheck::ExecFile, exec_file},
    {CapCheck::LookupPath, lookup_path},
    {CapCheck::LinkSource, link_source},
    {CapCheck::CreateEntry, create_entry},
    {CapCheck::RemoveEntry, remove_entry},
    {CapCheck::RenameEntry, rename_entry},
    {CapCheck::TruncatePath, truncate_path},
    {CapCheck::WriteFd, write_fd},
    {CapCheck::ChangeDir, change_dir},
    {CapCheck::SetXattr, set_xattr},
    {CapCheck::GetXattr, get_xattr},
    {CapCheck::Always, always},
    {CapCheck::MakeNode, make_node},
    {CapCheck::Signal, signal},
    {CapCheck::SetUid, set_ids},
    {CapCheck::SetReUid, set_ids},
    {CapCheck::SetResUid, set_ids},
    {CapCheck::SetFsUid, set_ids},
    {CapCheck::SetGid, set_ids},
    {CapCheck::SetReGid, set_ids},
    {CapCheck::SetResGid, set_ids},
    {CapCheck::SetFsGid, set_ids},
    {CapCheck::Capset, capset},
    {CapCheck::Prctl, prctl},
    {CapCheck::Bind, bind},
    {CapCheck::CreateSocket, create_socket},
    {CapCheck::SetSockOpt, set_sock_opt},
    {CapCheck::Ioctl, ioctl},
    {CapCheck::InodeFlags, inode_flags},
    {CapCheck::SendNetlink, send_netlink},
    {CapCheck::MemoryLock, memory_lock},
    {CapCheck::MapLocked, map_locked},
    {CapCheck::IpcAccess, ipc_access},
    {CapCheck::Fcntl, fcntl_cmd},
    {CapCheck::Namespaces, namespaces},
    {CapCheck::SetNs, set_ns},
    {CapCheck::SetPriority, set_priority},
    {CapCheck::SchedPolicy, sched_policy},
    {CapCheck::IoPrio, io_prio},
    {CapCheck::Rlimit, rlimit},
    {CapCheck::PtraceAccess, ptrace_access},
    {CapCheck::Syslog, syslog},
    {CapCheck::Bpf, bpf},
    {CapCheck::PerfEventOpen, perf_event_open},
    {CapCheck::AdjustTime, adjust_time},
    {CapCheck::SetClock, set_clock},
    {CapCheck::AlarmClock, alarm_clock},
    {CapCheck::Iopl, iopl},
    {CapCheck::FanotifyInit, fanotify_init},
    {CapCheck::Multiplexer, nullptr},  // checked as the call it carries (unpack_multiplexed)
};

// A new CapCheck without its row here fails the build, not a test.
static_assert(std::size(kChecks) == std::to_underlying(CapCheck::Multiplexer) + 1);
static_assert([] {
  for (std::size_t i = 0; i < std::size(kChecks); ++i)
    if (std::to_underlying(kChecks[i].check) != i) return false;
  return true;
}());

CheckFn check_function(CapCheck check) {
  const auto i = std::to_underlying(check);
  return i < std::size(kChecks) ? kChecks[i].fn : nullptr;
}

// The call an i386 socketcall(2) or ipc(2) carries, as if made directly; nullopt when it is
// not one the rules know or its arguments cannot be read.
std::optional<SyscallCall> unpack_multiplexed(const SyscallCall& call, TraceeView& view) {
  SyscallCall inner{"", call.arch, {}};
  if (call.name == "socketcall") {
    static constexpr std::string_view kNames[] = {
        "", "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername",
        "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt",
        "getsockopt", "sendmsg", "recvmsg"};
    const auto n = static_cast<std::uint32_t>(call.args[0]);
    if (n == 0 || n >= std::size(kNames)) return std::nullopt;
    std::uint32_t a[6] = {};
    if (!view.read_memory(call.args[1], a, sizeof a)) return std::nullopt;
    inner.name = kNames[n];
    for (int i = 0; i < 6; ++i) inner.args[i] = a[i];
    return inner;
  }
  if (call.name == "ipc") {
    // ipc(call, first, second, third, ptr, fifth)
    const auto n = static_cast<std::uint32_t>(call.args[0]) & 0xffff;
    const auto first = call.args[1], second = call.args[2], third = call.args[3], ptr = call.args[4];
    switch (n) {
      case 1: inner.name = "semop", inner.args = {first, ptr, second}; break;
      case 3: inner.name = "semctl", inner.args = {first, second, third, ptr}; break;
      case 4: inner.name = "semtimedop", inner.args = {first, ptr, second, call.args[5]}; break;
      case 11: inner.name = "msgsnd", inner.args = {first, ptr, second, third}; break;
      case 12: inner.name = "msgrcv", inner.args = {first, ptr, second, 0, third}; break;
      case 14: inner.name = "msgctl", inner.args = {first, second, ptr}; break;
      case 21: inner.name = "shmat", inner.args = {first, ptr, second}; break;
      case 24: inner.name = "shmctl", inner.args = {first, second, ptr}; break;
      default: return std::nullopt;
    }
    return inner;
  }
  return std::nullopt;
}

}  // namespace

std::vector<CapabilityUse> check_capabilities(const SyscallCall& call, TraceeView& view) {
  std::vector<CapabilityUse> uses;
  auto rules = tables::capability_rules_for(call.name);
  if (rules.empty()) return uses;
  if (rules[0].check == CapCheck::Multiplexer) {
    auto inner = unpack_multiplexed(call, view);
    if (!inner) return uses;
    uses = check_capabilities(*inner, view);
    for (CapabilityUse& u : uses) {
      nlohmann::ordered_json args = {{"call", inner->name}};
      for (auto it = u.args.begin(); it != u.args.end(); ++it) args[it.key()] = it.value();
      u.args = std::move(args);
    }
    return uses;
  }
  const ProcessFacts* me = view.process(view.caller());
  if (!me || me->creds.cap_eff == 0) return uses;  // no capability to exercise
  for (const CapabilityRule& rule : rules) {
    // In a user namespace of its own, ns_capable() checks pass without real capabilities.
    if (!me->initial_user_ns && rule.scope == tables::CapScope::OwnUserNs) continue;
    CheckFn fn = check_function(rule.check);
    if (!fn) continue;
    Findings f{&rule, me->creds, *me, nlohmann::ordered_json::object(), {}};
    fn(f, call, view);
    for (CapabilityUse& u : f.uses) u.args = f.args;
    for (CapabilityUse& u : f.uses)
      if (std::ranges::none_of(uses, [&](const CapabilityUse& x) { return x.cap == u.cap; }))
        uses.push_back(std::move(u));
  }
  return uses;
}

bool outcome_confirms(tables::CapOutcome outcome, std::int64_t rval) {
  switch (outcome) {
    case tables::CapOutcome::Succeeded: return rval >= 0;
    case tables::CapOutcome::Wrote: return rval > 0;
    case tables::CapOutcome::NotRefused:
      return rval != -EPERM && rval != -EACCES && rval != -ENOSYS;
    case tables::CapOutcome::Any: return true;
  }
  return false;
}

bool may_exercise_capability(std::string_view syscall) {
  return !tables::capability_rules_for(syscall).empty();
}

}  // namespace syscap::capabilities
