#include "recording.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "report.hpp"
#include "syscap/capabilities/observer.hpp"
#include "syscap/capabilities/verifier.hpp"
#include "syscap/tracer/bpf_engine.hpp"
#include "syscap/tracer/recorder.hpp"

namespace syscap::cli {

namespace {

Result<Recording> record_with_bpf(tracer::BpfEngine& engine, const RecordingOptions& options) {
  auto run = engine.run({.command = options.command,
                         .forward_signals = true,
                         .workload_stdout_to_stderr = options.workload_stdout_to_stderr});
  if (!run) return std::unexpected(run.error());
  Recording r;
  r.run = run->run;
  r.trace = std::move(run->trace);
  r.trace.engine = "bpf";
  r.trace.incomplete = run->incomplete;
  for (const auto& s : r.trace.syscalls) r.total_calls += s.count;
  r.distinct_syscalls = r.trace.syscalls.size();
  for (const auto& line : run->incomplete) spdlog::error("the recording is incomplete: {}", line);
  return r;
}

}  // namespace

ChosenEngine choose_engine(const std::string& engine, bool verify_caps, const std::string& command) {
  ChosenEngine chosen;
  if (engine != "bpf") return chosen;
  if (verify_caps) {
    spdlog::error("--verify-caps needs --engine ptrace: the BPF engine does not record capabilities yet");
    chosen.exit_code = 2;
    return chosen;
  }
  auto loaded = tracer::BpfEngine::load();
  if (!loaded) {
    report_error(loaded.error(), "; not running " + command);
    chosen.exit_code = 125;
    return chosen;
  }
  chosen.bpf.emplace(std::move(*loaded));
  return chosen;
}

void add_engine_option(CLI::App* sub, std::string& engine) {
  sub->add_option("--engine", engine,
                  "ptrace (default): every syscall stops the workload, capabilities inferred; "
                  "bpf: syscalls counted in the kernel at near-native speed, no capabilities yet")
      ->check(CLI::IsMember(kEngines));
}

Result<Recording> record_workload(const RecordingOptions& options) {
  if (options.engine == "bpf") return record_with_bpf(*options.bpf, options);
  tracer::Recorder recorder;
  capabilities::CapabilityObserver capabilities;
  tracer::TracerOptions topts;
  topts.command = options.command;
  topts.observers = {&recorder, &capabilities};
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
  auto run = tracer::run_traced(topts);
  if (options.live) fmt::print(stderr, "\r\033[K");
  if (!run) return std::unexpected(run.error());

  Recording r;
  r.run = *run;
  r.trace = recorder.trace(options.command, *run);
  r.trace.capabilities = capabilities.capabilities();
  r.total_calls = recorder.total_calls();
  r.distinct_syscalls = recorder.distinct_syscalls();
  if (options.verify_caps && !r.trace.capabilities.empty()) {
    capabilities::VerifyOptions v{options.command, run->exit, r.trace.capabilities, {}};
    v.on_attempt = [](const capabilities::VerifyAttempt& a) { fmt::print(stderr, "syscap: verify: {}\n", a.summary); };
    if (auto attempts = capabilities::verify_capabilities(v)) {
      r.trace.capabilities = capabilities::keep_needed(v.candidates, *attempts);
    } else {
      spdlog::warn("--verify-caps: {}; keeping the recorded capabilities", attempts.error().message());
    }
  }
  return r;
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
