#include "syscap/capabilities/observer.hpp"

#include <unistd.h>

#include <algorithm>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "dir_facts_cache.hpp"
#include "proc_files.hpp"
#include "proc_view.hpp"
#include "syscap/tracer/tracee_memory.hpp"
#include "syscap/tables/syscall_classes.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::capabilities {

namespace {

constexpr std::size_t kArchSlots = 4;
constexpr std::int64_t kMaxNr = 1024;
constexpr std::int8_t kHasRules = 1, kInvalidates = 2, kAltersDirs = 4, kCreatesDirs = 16,
                      kMayEndDirCache = 8, kUnknown = -1;

std::size_t arch_slot(tables::Arch a) { return static_cast<std::size_t>(a); }

std::string exe_of(pid_t pid) { return detail::read_link(fmt::format("/proc/{}/exe", pid)).value_or(""); }

pid_t tgid_of(pid_t tid) { return static_cast<pid_t>(detail::status_number(tid, "Tgid").value_or(tid)); }

pid_t ppid_of(pid_t tid) { return static_cast<pid_t>(detail::status_number(tid, "PPid").value_or(0)); }

}  // namespace

CapabilityObserver::CapabilityObserver()
    : rule_cache_(kArchSlots * kMaxNr, kUnknown), dirs_(std::make_unique<detail::DirFactsCache>()) {}

CapabilityObserver::~CapabilityObserver() {
  spdlog::debug("directory cache: {} paths resolved from it, {} walked", dirs_->hits(), dirs_->misses());
}

// Whether `stop` (of SyscallClass::ChangesRootOrMounts) ends the directory cache: chroot, pivot_root, setns
// and io_uring_setup always; clone, clone3 and unshare when they make a new mount namespace.
bool CapabilityObserver::ends_dir_cache(const tracer::SeccompStop& stop, std::string_view name, pid_t pid) {
  constexpr std::uint64_t kNewNs = 0x00020000;  // CLONE_NEWNS
  if (name == "clone" || name == "unshare") return stop.args[0] & kNewNs;
  if (name == "clone3") {
    const auto flags = tracer::clone3_flags(pid, stop.args[0]);
    return !flags || (*flags & kNewNs);
  }
  return true;
}

bool CapabilityObserver::has_rules(const tracer::SeccompStop& stop, std::string_view& name) {
  const tables::Arch arch = *stop.arch;
  const std::int64_t nr = stop.nr & ~static_cast<std::int64_t>(tables::kX32SyscallBit);
  std::int8_t* slot = (nr >= 0 && nr < kMaxNr) ? &rule_cache_[arch_slot(arch) * kMaxNr + nr] : nullptr;
  if (slot && *slot == 0) return false;
  auto n = tables::syscall_name(arch, static_cast<int>(stop.nr));
  if (!n) {
    // A call newer than our tables may change directories in ways the cache cannot follow.
    if (dirs_->enabled())
      dirs_->disable(fmt::format("pid {} made syscall {}, which has no name here", stop.pid, stop.nr));
    return false;
  }
  name = *n;
  if (!slot || *slot == kUnknown) {
    std::int8_t flags = 0;
    if (may_exercise_capability(name)) flags |= kHasRules;
    // What the call may change decides what of the cached facts goes (syscall_classes.hpp).
    using tables::SyscallClass;
    if (tables::has_class(name, SyscallClass::ChangesProcess)) flags |= kInvalidates;
    if (tables::has_class(name, SyscallClass::AltersDirectories)) flags |= kAltersDirs;
    if (tables::has_class(name, SyscallClass::CreatesDirectoryEntries)) flags |= kCreatesDirs;
    if (tables::has_class(name, SyscallClass::ChangesRootOrMounts)) flags |= kMayEndDirCache;
    if (slot) *slot = flags;
    if (!slot) return flags != 0;
  }
  return true;
}

tracer::Resume CapabilityObserver::on_syscall(const tracer::SeccompStop& stop) {
  // A new stop of a tracee means its previous call has run.
  if (dirs_->change_pending()) dirs_->change_finished(stop.pid);
  if (!stop.arch) {
    // A call we cannot name may be any of those above.
    if (dirs_->enabled())
      dirs_->disable(fmt::format("pid {} made a call of an architecture with no table", stop.pid));
    return tracer::Resume::Continue;
  }
  std::string_view name;
  if (!has_rules(stop, name)) return tracer::Resume::Continue;
  const std::int64_t nr = stop.nr & ~static_cast<std::int64_t>(tables::kX32SyscallBit);
  const std::int8_t flags = (nr >= 0 && nr < kMaxNr)
                                ? rule_cache_[arch_slot(*stop.arch) * kMaxNr + nr]
                                : static_cast<std::int8_t>(kHasRules | kInvalidates | kAltersDirs |
                                                           kMayEndDirCache);
  if ((flags & kMayEndDirCache) && dirs_->enabled() && ends_dir_cache(stop, name, stop.pid))
    dirs_->disable(fmt::format("pid {} called {}", stop.pid, name));
  // Checked (below) and run with the cache bypassed; its caller's next stop ends the change.
  if (flags & kAltersDirs) dirs_->change_started(stop.pid, detail::DirFactsCache::Change::Alter);
  else if (flags & kCreatesDirs) dirs_->change_started(stop.pid, detail::DirFactsCache::Change::Create);
  // The call may change what we cached of its caller: check it with the facts as they are
  // now, and drop them afterwards; the caller's next stop comes after the call has run.
  if (flags & kInvalidates) callers_.erase(stop.pid);
  if (!(flags & kHasRules)) return tracer::Resume::Continue;
  // Hot path: mmap only matters with MAP_LOCKED.
  if (name == "mmap" || name == "mmap2") {
    if (!(stop.args[3] & 0x2000)) return tracer::Resume::Continue;
    callers_.erase(stop.pid);  // its VmLck and VmSize must be current
  } else if (name.starts_with("mlock") || name == "shmctl") {
    callers_.erase(stop.pid);
  }

  const SyscallCall call{name, *stop.arch, stop.args};
  detail::ProcTraceeView view(stop.pid, callers_, nondumpable_, dirs_.get());
  std::vector<CapabilityUse> uses = check_capabilities(call, view);
  if (flags & kInvalidates) callers_.erase(stop.pid);
  std::optional<bool> dumpable;
  if (name == "prctl" && static_cast<int>(stop.args[0]) == 4 /* PR_SET_DUMPABLE */)
    dumpable = stop.args[1] == 1;
  if (uses.empty() && !dumpable) return tracer::Resume::Continue;
  for (const CapabilityUse& u : uses)
    spdlog::debug("pid {} {}: may use {} ({}), checking its result", stop.pid, name,
                  tables::capability_name(u.cap), u.why);
  pending_[stop.pid] = Pending{std::move(uses), std::string(name),
                               std::string(tables::facts(*stop.arch).scmp_name), exe_of(stop.pid),
                               dumpable};
  return tracer::Resume::ReportExit;
}

void CapabilityObserver::on_syscall_exit(const tracer::SyscallExit& exit) {
  dirs_->change_finished(exit.pid);
  auto it = pending_.find(exit.pid);
  if (it == pending_.end()) return;
  Pending p = std::move(it->second);
  pending_.erase(it);
  if (p.dumpable && exit.rval >= 0) {
    const pid_t tgid = tgid_of(exit.pid);
    if (*p.dumpable) nondumpable_.erase(tgid);
    else nondumpable_.insert(tgid);
  }
  for (CapabilityUse& u : p.uses) {
    if (!outcome_confirms(u.outcome, exit.rval)) {
      spdlog::debug("pid {} {}: returned {}, {} not used", exit.pid, p.syscall, exit.rval,
                    tables::capability_name(u.cap));
      continue;
    }
    auto& evidence = found_[u.cap];
    const bool seen = std::ranges::any_of(evidence, [&](const tracer::CapabilityEvidence& e) {
      return e.syscall == p.syscall && e.why == u.why;
    });
    if (seen || evidence.size() >= kMaxEvidence) continue;
    evidence.push_back(tracer::CapabilityEvidence{p.syscall, p.arch, std::move(u.args), exit.pid, p.exe,
                                          std::move(u.why)});
  }
}

void CapabilityObserver::on_task_start(pid_t pid) {
  // fork() copies the mm and with it the dumpable flag; threads share their group's.
  if (tgid_of(pid) != pid) return;
  if (const pid_t parent = ppid_of(pid); parent > 0 && nondumpable_.contains(parent))
    nondumpable_.insert(pid);
}

void CapabilityObserver::on_exec(pid_t pid, pid_t former_tid) {
  nondumpable_.erase(pid);  // execve makes the process dumpable again (no set-id binary here)
  callers_.erase(pid);
  callers_.erase(former_tid);
}

void CapabilityObserver::on_task_exit(pid_t pid, int) {
  dirs_->change_finished(pid);
  pending_.erase(pid);
  callers_.erase(pid);
}

std::vector<tracer::CapabilityRecord> CapabilityObserver::capabilities() const {
  std::vector<tracer::CapabilityRecord> out;
  for (const auto& [cap, evidence] : found_)
    if (!evidence.empty())
      out.push_back(tracer::CapabilityRecord{std::string(tables::capability_name(cap)), evidence});
  std::ranges::sort(out, {}, &tracer::CapabilityRecord::name);
  return out;
}

}  // namespace syscap::capabilities
