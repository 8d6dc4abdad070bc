#include "syscap/tracer/recorder.hpp"

#include <unistd.h>

#include <algorithm>
#include <fmt/format.h>

#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/arg_rules.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::tracer {

using tables::Arch;

// Everything about a syscall besides its count, made once at its first sighting.
struct Recorder::Detail {
  std::string name;
  std::string arch;
  std::int64_t nr = 0;
  FirstSeen first_seen;
  struct Tracked {
    ArgRule rule;
    ArgValueSet values;
  };
  std::vector<Tracked> args;
  const Slot* slot = nullptr;
};

std::vector<std::uint64_t> ArgValueSet::sorted() const {
  std::vector<std::uint64_t> v(values_.begin(), values_.begin() + static_cast<long>(size_));
  std::ranges::sort(v);
  return v;
}

Recorder::Recorder() : slots_(kArches * kMaxNr) {}
Recorder::~Recorder() = default;

namespace {

// /proc/<pid>/exe, read only at a syscall's first sighting (never per call).
std::string exe_of(pid_t pid) {
  char buf[4096];
  std::string link = fmt::format("/proc/{}/exe", pid);
  ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  if (n < 0) return "";
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace

Recorder::Slot& Recorder::first_sighting(Slot& slot, const SeccompStop& stop) {
  auto d = std::make_unique<Detail>();
  d->nr = stop.nr;
  if (stop.arch) {
    d->arch = std::string(tables::facts(*stop.arch).scmp_name);
    auto name = stop.nr >= 0 && stop.nr <= 0x7fffffff
                    ? tables::syscall_name(*stop.arch, static_cast<int>(stop.nr))
                    : std::nullopt;
    // A number our tables do not know (newer kernel, or garbage like syscall(-1)).
    d->name = name ? std::string(*name) : fmt::format("syscall_{}", stop.nr);
    for (const ArgRule& r : arg_rules_for(d->name, *stop.arch)) d->args.push_back({r, {}});
  } else {
    const tables::ArchFacts* f = tables::arch_by_audit(stop.audit_arch);
    d->arch = f ? std::string(f->scmp_name) : fmt::format("AUDIT_ARCH_{:#x}", stop.audit_arch);
    d->name = fmt::format("syscall_{}", stop.nr);
  }
  d->first_seen = FirstSeen{stop.pid, exe_of(stop.pid), stop.instruction_pointer};
  d->slot = &slot;
  slot.detail = d.get();
  newest_ = slot.detail->name;
  ++distinct_;
  details_.push_back(std::move(d));
  return slot;
}

Resume Recorder::on_syscall(const SeccompStop& stop) {
  Slot* slot;
  // x32 numbers index the same range once their bit is masked off.
  const std::int64_t index = stop.nr & ~static_cast<std::int64_t>(tables::kX32SyscallBit);
  if (stop.arch && index >= 0 && index < static_cast<std::int64_t>(kMaxNr)) {
    slot = &slots_[static_cast<std::size_t>(*stop.arch) * kMaxNr + static_cast<std::size_t>(index)];
  } else {
    std::uint32_t key = stop.arch ? static_cast<std::uint32_t>(*stop.arch) : stop.audit_arch;
    slot = &other_[{key, stop.nr}];
  }
  if (!slot->detail) first_sighting(*slot, stop);
  ++slot->count;
  for (auto& t : slot->detail->args) t.values.add(stop.args[t.rule.index]);
  return Resume::Continue;
}

std::uint64_t Recorder::total_calls() const {
  std::uint64_t n = 0;
  for (const auto& d : details_) n += d->slot->count;
  return n;
}

Trace Recorder::trace(const std::vector<std::string>& command, const RunResult& run) const {
  Trace t;
  t.command = command;
  t.kernel = kernel_release();
  t.machine_arch = native_scmp_arch();
  t.exit = run.exit;
  t.processes = run.processes;
  t.duration_ms = run.duration_ms;
  for (const auto& d : details_) {
    SyscallRecord s;
    s.name = d->name;
    s.arch = d->arch;
    s.nr = d->nr;
    s.count = d->slot->count;
    for (const auto& a : d->args)
      s.args.push_back({a.rule.index, std::string(a.rule.name), a.values.sorted(), a.values.truncated()});
    s.first_seen = d->first_seen;
    t.syscalls.push_back(std::move(s));
  }
  return t;
}

}  // namespace syscap::tracer
