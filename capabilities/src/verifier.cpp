#include "syscap/capabilities/verifier.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <fmt/format.h>
#include <map>
#include <set>
#include <spdlog/spdlog.h>

#include "syscap/command_path.hpp"
#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::capabilities {

namespace {

// Counts EPERM/EACCES failures of the syscalls that exercised the capability, once the
// workload runs (after setpriv's execve).
class RefusalCounter : public tracer::SyscallObserver {
 public:
  explicit RefusalCounter(std::set<std::string> watched) : watched_(std::move(watched)) {}

  tracer::Resume on_syscall(const tracer::SeccompStop& stop) override {
    if (!armed_ || !stop.arch) return tracer::Resume::Continue;
    auto name = tables::syscall_name(*stop.arch, static_cast<int>(stop.nr));
    return name && watched_.contains(std::string(*name)) ? tracer::Resume::ReportExit : tracer::Resume::Continue;
  }
  void on_syscall_exit(const tracer::SyscallExit& e) override {
    if (e.rval != -EPERM && e.rval != -EACCES) return;
    auto name = e.arch ? tables::syscall_name(*e.arch, static_cast<int>(e.nr)) : std::nullopt;
    if (name) ++refusals_[fmt::format("{}: {}", *name, e.rval == -EPERM ? "EPERM" : "EACCES")];
  }
  void on_exec(pid_t, pid_t) override { armed_ = true; }

  std::vector<std::string> refusals() const {
    std::vector<std::string> out;
    for (const auto& [what, n] : refusals_) out.push_back(fmt::format("{} x{}", what, n));
    return out;
  }

 private:
  std::set<std::string> watched_;
  std::map<std::string, int> refusals_;
  bool armed_ = false;
};

std::string setpriv_name(const std::string& cap) {
  std::string s = cap.starts_with("CAP_") ? cap.substr(4) : cap;
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string describe(const tracer::ExitStatus& e) {
  return e.code ? fmt::format("exit {}", *e.code) : fmt::format("killed by {}", tracer::signal_name(e.signo));
}

}  // namespace

std::vector<std::string> stand_in_capabilities(const std::string& cap) {
  std::vector<std::string> names;
  if (auto known = tables::capability_by_name(cap))
    for (tables::Capability alt : tables::stand_in_capabilities(*known)) names.emplace_back(tables::capability_name(alt));
  return names;
}

Result<std::vector<VerifyAttempt>> verify_capabilities(const VerifyOptions& options) {
  auto setpriv = find_command("setpriv");
  if (!setpriv) return fail("verify capabilities", "setpriv", "not found (it is in util-linux)", ENOENT);
  std::set<std::string> recorded;
  for (const auto& c : options.candidates) recorded.insert(c.name);

  std::vector<VerifyAttempt> attempts;
  for (const tracer::CapabilityRecord& candidate : options.candidates) {
    VerifyAttempt a;
    a.capability = candidate.name;
    a.dropped.push_back(candidate.name);
    for (const std::string& alt : stand_in_capabilities(candidate.name))
      if (!recorded.contains(alt)) a.dropped.push_back(alt);
    std::string list;
    for (const auto& d : a.dropped) list += (list.empty() ? "-" : ",-") + setpriv_name(d);

    std::set<std::string> watched;
    for (const auto& e : candidate.evidence) watched.insert(e.syscall);
    RefusalCounter counter(std::move(watched));
    tracer::TracerOptions topts;
    topts.command = {*setpriv, "--bounding-set", list, "--inh-caps", list, "--ambient-caps", list, "--"};
    topts.command.insert(topts.command.end(), options.command.begin(), options.command.end());
    topts.observers = {&counter};
    spdlog::debug("verify {}: {}", candidate.name, fmt::join(topts.command, " "));
    auto run = tracer::run_traced(topts);
    if (!run) return std::unexpected(run.error());
    a.exit = run->exit;
    a.refused = counter.refusals();
    const bool exit_changed = a.exit.shell_status() != options.recorded_exit.shell_status();
    a.needed = exit_changed || !a.refused.empty();
    a.summary = fmt::format("without {}: {}{}{}{} -> {}", fmt::join(a.dropped, ", "), describe(a.exit),
                            exit_changed ? fmt::format(" (recorded {})", describe(options.recorded_exit)) : "",
                            a.refused.empty() ? "" : ", refused: ", fmt::join(a.refused, ", "),
                            a.needed ? "needed" : "not needed, dropped from the trace");
    if (options.on_attempt) options.on_attempt(a);
    attempts.push_back(std::move(a));
  }
  return attempts;
}

std::vector<tracer::CapabilityRecord> keep_needed(const std::vector<tracer::CapabilityRecord>& candidates,
                                          const std::vector<VerifyAttempt>& attempts) {
  std::vector<tracer::CapabilityRecord> out;
  for (const auto& c : candidates) {
    auto it = std::ranges::find(attempts, c.name, &VerifyAttempt::capability);
    if (it != attempts.end() && it->needed) out.push_back(c);
  }
  return out;
}

}  // namespace syscap::capabilities
