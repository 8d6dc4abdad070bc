#include "syscap/capabilities/kernel_evidence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "syscap/capabilities/checker.hpp"
#include "syscap/capabilities/observer.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/kernel_check_rules.hpp"

namespace syscap::capabilities {

namespace {

using tables::Capability;
using tables::CheckVerdict;

// What the rule model may know of a call seen only through its capability check: the
// arguments, the credentials checked and, for some calls, the bytes one argument points to.
// Everything else (files, other processes, sysctls) is unknown, so the model finds nothing
// that depends on it.
class CheckedCallView : public TraceeView {
 public:
  explicit CheckedCallView(const tracer::KernelCheck& check) : check_(check) {
    facts_.pid = facts_.tgid = check.pid;
    auto& c = facts_.creds;
    c.ruid = check.creds[0], c.euid = check.creds[1], c.suid = check.creds[2], c.fsuid = check.creds[3];
    c.rgid = check.creds[4], c.egid = check.creds[5], c.sgid = check.creds[6], c.fsgid = check.creds[7];
    c.cap_eff = c.cap_prm = c.cap_bnd = ~std::uint64_t{0};  // the kernel granted the check
    for (auto& limit : facts_.limits) limit = {kRlimInfinity, kRlimInfinity};
  }
  pid_t caller() const override { return check_.pid; }
  const ProcessFacts* process(pid_t tid) override { return tid == check_.pid ? &facts_ : nullptr; }
  std::vector<pid_t> processes(std::optional<pid_t>) override { return {}; }
  std::optional<std::string> read_string(std::uint64_t) override { return std::nullopt; }
  bool read_memory(std::uint64_t addr, void* out, std::size_t len) override {
    if (check_.memory_arg < 0 || addr != check_.args[static_cast<std::size_t>(check_.memory_arg)] ||
        len > check_.memory.size())
      return false;
    std::memcpy(out, check_.memory.data(), len);
    return true;
  }
  std::optional<PathFacts> resolve(int, const std::string&, bool) override { return std::nullopt; }
  std::optional<FileFacts> fd_file(int) override { return std::nullopt; }
  std::optional<SocketFacts> fd_socket(int) override { return std::nullopt; }
  std::optional<pid_t> fd_pidfd(int) override { return std::nullopt; }
  std::optional<std::string> fd_link(int) override { return std::nullopt; }
  std::optional<IpcObjectFacts> ipc_object(IpcKind, int) override { return std::nullopt; }
  std::optional<std::int64_t> sysctl(std::string_view) override { return std::nullopt; }

 private:
  const tracer::KernelCheck& check_;
  ProcessFacts facts_;
};

// A result standing for the calls that made the check: success (1, as a write of a byte) if
// any succeeded, else a refusal if any was refused, else another error. A call that never
// returned (exit_group, a process killed in it) counts as done.
std::int64_t typical_result(const tracer::KernelCheck& c) {
  if (c.returned == 0 || c.returned > c.failed) return 1;
  if (c.failed > c.refused) return -22;  // EINVAL
  return -1;                             // EPERM
}

// The outcome the rule table asks of `syscall` for `cap` (Succeeded when it has no row).
tables::CapOutcome outcome_for(Capability cap, std::string_view syscall) {
  for (const auto& rule : tables::capability_rules_for(syscall))
    for (const auto& c : rule.caps)
      if (c == cap) return rule.outcome;
  return tables::CapOutcome::Succeeded;
}

// The evidence a check gives for `cap`, or nullopt when it shows no need.
std::optional<tracer::CapabilityEvidence> judge(const tracer::KernelCheck& check, Capability cap) {
  if (!check.granted || !check.initial_user_ns || check.syscall.empty()) return std::nullopt;
  tracer::CapabilityEvidence e{check.syscall, check.arch, nlohmann::ordered_json::object(), check.pid, check.exe, ""};
  const auto* rule = tables::kernel_check_rule(cap, check.syscall);
  if (rule && rule->verdict == CheckVerdict::Probe) return std::nullopt;
  if (rule && rule->verdict == CheckVerdict::Model) {
    const tables::ArchFacts* arch = tables::arch_by_scmp_name(check.arch);
    if (!arch || !arch->table) return std::nullopt;  // no table: the model cannot judge the call
    CheckedCallView view(check);
    const SyscallCall call{check.syscall, *arch->table, check.args};
    for (const CapabilityUse& use : check_capabilities(call, view)) {
      if (use.cap != cap || !outcome_confirms(use.outcome, typical_result(check))) continue;
      e.args = use.args;
      e.why = fmt::format("{}; the kernel checked it and granted it", use.why);
      return e;
    }
    return std::nullopt;
  }
  if (rule && rule->verdict == CheckVerdict::NeedIfArgBits) {
    const std::uint64_t value = check.args[static_cast<std::size_t>(rule->arg) % 6];
    if ((value & rule->bits) == 0) return std::nullopt;
    e.args["arg" + std::to_string(rule->arg)] = value;
  }
  if (!outcome_confirms(outcome_for(cap, check.syscall), typical_result(check))) return std::nullopt;
  e.why = fmt::format("the kernel checked {} during {} and granted it", tables::capability_name(cap), check.syscall);
  return e;
}

}  // namespace

std::vector<tracer::CapabilityRecord> capabilities_from_kernel_checks(const std::vector<tracer::KernelCheck>& checks) {
  std::map<std::string, std::vector<tracer::CapabilityEvidence>> found;
  for (const tracer::KernelCheck& check : checks) {
    const auto cap = tables::capability_by_name(check.capability);
    if (!cap) continue;
    auto evidence = judge(check, *cap);
    if (!evidence) continue;
    auto& kept = found[check.capability];
    const bool seen = std::ranges::any_of(kept, [&](const auto& e) { return e.syscall == evidence->syscall && e.why == evidence->why; });
    if (!seen && kept.size() < CapabilityObserver::kMaxEvidence) kept.push_back(std::move(*evidence));
  }
  std::vector<tracer::CapabilityRecord> out;
  for (auto& [name, evidence] : found) out.push_back({name, std::move(evidence)});
  return out;
}

std::vector<std::string> unchecked_capabilities(const std::vector<tracer::CapabilityRecord>& model,
                                                const std::vector<tracer::KernelCheck>& checks) {
  std::set<std::string> checked;
  for (const auto& c : checks) checked.insert(c.capability);
  std::vector<std::string> out;
  for (const auto& record : model) {
    if (checked.contains(record.name)) continue;
    // The kernel may have asked for a capability that does the same (CAP_SYS_ADMIN for CAP_BPF).
    const auto cap = tables::capability_by_name(record.name);
    bool stand_in_checked = false;
    if (cap)
      for (Capability other : tables::stand_in_capabilities(*cap))
        stand_in_checked |= checked.contains(std::string(tables::capability_name(other)));
    if (!stand_in_checked) out.push_back(record.name);
  }
  std::ranges::sort(out);
  return out;
}

}  // namespace syscap::capabilities
