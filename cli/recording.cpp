#include "recording.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "report.hpp"
#include "syscap/capabilities/kernel_evidence.hpp"
#include "syscap/capabilities/observer.hpp"
#include "syscap/capabilities/verifier.hpp"
#include "syscap/tracer/attach.hpp"
#include "syscap/tracer/bpf_engine.hpp"
#include "syscap/tracer/kernel_check_watch.hpp"
#include "syscap/tracer/recorder.hpp"

namespace syscap::cli {

namespace {

Result<Recording> record_with_bpf(tracer::BpfEngine& engine, const RecordingOptions& options) {
  auto run = !options.attach_pids.empty()
                 ? engine.attach({.pids = options.attach_pids,
                                .duration = options.duration,
                                .observers = {},
                                .container_id = options.container_id,
                                .listed = !options.container_id.empty()})
                 : engine.run({.command = options.command,
                               .forward_signals = true,
                               .workload_stdout_to_stderr = options.workload_stdout_to_stderr});
  if (!run) return std::unexpected(run.error());
  return recording_from_bpf(std::move(*run));
}

}  // namespace

Recording recording_from_bpf(tracer::BpfRun run) {
  Recording r;
  r.run = run.run;
  r.trace = std::move(run.trace);
  r.trace.engine = "bpf";
  r.trace.incomplete = run.incomplete;
  for (const auto& s : r.trace.syscalls) r.total_calls += s.count;
  r.distinct_syscalls = r.trace.syscalls.size();
  for (const auto& line : run.incomplete) spdlog::error("the recording is incomplete: {}", line);
  if (r.trace.kernel_checks)
    r.trace.capabilities = capabilities::capabilities_from_kernel_checks(*r.trace.kernel_checks);
  else
    spdlog::warn("no capabilities recorded: {} (record with --engine ptrace for them)", r.trace.kernel_checks_unseen);
  return r;
}

ChosenEngine choose_engine(const std::string& engine, const std::string& not_started, tracer::BpfTarget target,
                           const std::string& needs_ptrace) {
  ChosenEngine chosen;
  chosen.name = engine == "bpf" ? "bpf" : "ptrace";
  if (engine == "ptrace") return chosen;
  if (engine == "auto" && !needs_ptrace.empty()) {
    chosen.reason = "auto: ptrace, " + needs_ptrace;
    spdlog::debug("{}", chosen.reason);
    return chosen;
  }
  auto loaded = tracer::BpfEngine::load(target);
  if (engine == "auto") {
    // bpf only where it records all that ptrace does: the capabilities need the kernel's checks.
    if (!loaded)
      chosen.reason = "auto: ptrace, the BPF engine cannot load here (" + loaded.error().message() + ")";
    else if (!loaded->capability_checks_unseen().empty())
      chosen.reason = "auto: ptrace, the BPF engine would record no capabilities here (" +
                      loaded->capability_checks_unseen() + ")";
    else {
      chosen.name = "bpf";
      chosen.reason = "auto: bpf, it loads here and sees the kernel's capability checks";
      chosen.bpf.emplace(std::move(*loaded));
    }
    spdlog::debug("{}", chosen.reason);
    return chosen;
  }
  if (!loaded) {
    report_error(loaded.error(), not_started);
    chosen.exit_code = 125;
    return chosen;
  }
  chosen.bpf.emplace(std::move(*loaded));
  return chosen;
}

void add_engine_option(CLI::App* sub, std::string& engine) {
  sub->add_option("--engine", engine,
                  "auto (default): bpf where it loads and sees the kernel's capability checks, else "
                  "ptrace (the trace says which and why); bpf: syscalls and the kernel's capability checks "
                  "counted in the kernel at near-native speed; ptrace: every syscall stops the workload")
      ->check(CLI::IsMember(kEngines));
}

namespace {

Result<Recording> record_with_ptrace(const RecordingOptions& options) {
  tracer::Recorder recorder;
  capabilities::CapabilityObserver capabilities;
  tracer::TracerOptions topts;
  topts.command = options.command;
  topts.observers = {&recorder, &capabilities};
  // The kernel's own capability checks, where BPF and the cap_capable tracepoint allow: the
  // rule model is held against them.
  auto watch = tracer::KernelCheckWatch::load();
  if (watch) topts.observers.push_back(&*watch);
  topts.cpu_placement = options.cpu_placement;
  topts.workload_stdout_to_stderr = options.workload_stdout_to_stderr;
  if (options.live) {
    topts.on_tick = [&](const tracer::LiveStatus& s) {
      const double secs = std::chrono::duration<double>(s.elapsed).count();
      fmt::print(stderr, "\r\033[Ksyscap: {:.1f} s, {} live, {} syscalls, newest: {}", secs, s.live_tasks,
                 recorder.distinct_syscalls(), recorder.newest_syscall());
      std::fflush(stderr);
    };
  }
  Result<tracer::RunResult> run = std::unexpected(Error{});
  std::optional<tracer::AttachWindow> window;
  std::vector<std::string> command = options.command;
  if (!options.attach_pids.empty()) {
    // The check watch, an observer, is told each process as attach_traced() resolves it.
    auto attached = tracer::attach_traced(
        {.pids = options.attach_pids, .duration = options.duration, .observers = topts.observers,
         .container_id = "", .listed = !options.container_id.empty()});
    if (!attached) return std::unexpected(attached.error());
    tracer::RunResult result;
    result.processes = attached->processes;
    result.duration_ms = attached->duration_ms;
    result.pid = attached->window.pids.front();
    run = result;
    window = attached->window;
    command = attached->command;
  } else {
    run = tracer::run_traced(topts);
  }
  if (options.live) fmt::print(stderr, "\r\033[K");
  if (!run) return std::unexpected(run.error());

  Recording r;
  r.run = *run;
  r.trace = recorder.trace(command, *run);
  r.trace.window = window;
  r.trace.capabilities = capabilities.capabilities();
  if (watch) {
    r.trace.kernel_checks = watch->checks();
    for (const auto& line : watch->incomplete()) spdlog::warn("the kernel's capability checks are incomplete: {}", line);
  } else {
    r.trace.kernel_checks_unseen = watch.error().message();
    spdlog::debug("the kernel's capability checks are not watched: {}", r.trace.kernel_checks_unseen);
  }
  r.total_calls = recorder.total_calls();
  r.distinct_syscalls = recorder.distinct_syscalls();
  return r;
}

}  // namespace

Result<Recording> record_workload(const RecordingOptions& options) {
  auto recorded = options.engine == "bpf" ? record_with_bpf(*options.bpf, options) : record_with_ptrace(options);
  if (!recorded) return recorded;
  Recording& r = *recorded;
  r.trace.engine_reason = options.engine_reason;
  // The run is read: the engine's programs are released after syscap's exit, not before it
  // (tracer/process_exit.hpp).
  if (options.bpf != nullptr) options.bpf->release_after_exit();
  if (options.verify_caps && !r.trace.capabilities.empty()) {
    capabilities::VerifyOptions v{options.command, r.run.exit, r.trace.capabilities, {}};
    v.on_attempt = [](const capabilities::VerifyAttempt& a) { fmt::print(stderr, "syscap: verify: {}\n", a.summary); };
    if (auto attempts = capabilities::verify_capabilities(v)) {
      r.trace.capabilities = capabilities::keep_needed(v.candidates, *attempts);
    } else {
      spdlog::warn("--verify-caps: {}; keeping the recorded capabilities", attempts.error().message());
    }
  }
  if (r.trace.kernel_checks && r.trace.engine == "ptrace") {
    r.trace.unchecked_capabilities = capabilities::unchecked_capabilities(r.trace.capabilities, *r.trace.kernel_checks);
    for (const auto& name : r.trace.unchecked_capabilities)
      spdlog::warn("the rule model found {} but the kernel never checked it: a bug in syscap's capability "
                   "rules (listed in the trace's unchecked_capabilities; please report it)", name);
  }
  return recorded;
}

std::string describe_window(const tracer::AttachWindow& window, double duration_ms) {
  const std::string until = window.ended_by == "duration" ? "until the duration was up"
                            : window.ended_by == "signal" ? "until told to stop; they run on"
                                                          : "until they ended";
  return fmt::format("attached to pid {} for {:.1f} s, {}", fmt::join(window.pids, ", "), duration_ms / 1000, until);
}

void warn_window_misses_startup(const std::string& trace_path) {
  spdlog::warn("the processes were running already: their start-up was not seen. A profile from this window alone "
               "may refuse what they do at start; merge it with a recording of the start: "
               "`syscap generate -o profile.json start.json {}`", trace_path);
}

int report_recording_error(const Error& e, bool attaching) {
  if (!attaching) return report_command_error(e);
  report_error(e);
  return 1;
}

std::string describe_exit(const tracer::RunResult& run) {
  const tracer::ExitStatus& exit = run.exit;
  std::string text =
      exit.code ? fmt::format("exit {}", *exit.code) : fmt::format("killed by {}", tracer::signal_name(exit.signo));
  if (run.interrupted_by)
    text += fmt::format(", the processes that outlived it killed by {}", tracer::signal_name(run.interrupted_by));
  return text;
}

}  // namespace syscap::cli
