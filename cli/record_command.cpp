// `syscap record -o trace.json [-q] [--] CMD ARGS...`: run CMD traced, write its trace.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <memory>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

#include "commands.hpp"
#include "report.hpp"
#include "syscap/capabilities/observer.hpp"
#include "syscap/capabilities/verifier.hpp"
#include "syscap/tracer/recorder.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::cli {

namespace {

struct RecordOptions {
  std::string output;
  bool quiet = false;
  bool verify_caps = false;          // --verify-caps: re-run without each capability found
  std::string cpu_placement = "auto";  // --cpu-placement auto|none
  std::vector<std::string> unused;   // see register_record_command
  std::vector<std::string> command;  // CMD ARGS...
};

// "1.2 s" / "340 ms".
std::string format_duration(double ms) {
  return ms >= 1000 ? fmt::format("{:.1f} s", ms / 1000) : fmt::format("{:.0f} ms", ms);
}

int run_record(const RecordOptions& opts, const GlobalOptions& global) {
  const bool quiet = opts.quiet || global.quiet;
  const bool live = !quiet && isatty(STDERR_FILENO);

  tracer::Recorder recorder;
  capabilities::CapabilityObserver capabilities;
  tracer::TracerOptions topts;
  topts.command = opts.command;
  topts.observers = {&recorder, &capabilities};
  topts.cpu_placement =
      opts.cpu_placement == "auto" ? tracer::CpuPlacement::Auto : tracer::CpuPlacement::None;
  if (live) {
    topts.on_tick = [&](const tracer::LiveStatus& s) {
      const double secs = std::chrono::duration<double>(s.elapsed).count();
      fmt::print(stderr, "\r\033[Ksyscap: {:.1f} s, {} live, {} syscalls, newest: {}", secs,
                 s.live_tasks, recorder.distinct_syscalls(), recorder.newest_syscall());
      std::fflush(stderr);
    };
  }
  auto run = tracer::run_traced(topts);
  if (live) fmt::print(stderr, "\r\033[K");
  if (!run) {
    return report_command_error(run.error());
  }

  tracer::Trace trace = recorder.trace(opts.command, *run);
  trace.capabilities = capabilities.capabilities();
  if (opts.verify_caps && !trace.capabilities.empty()) {
    capabilities::VerifyOptions v{opts.command, run->exit, trace.capabilities, {}};
    v.on_attempt = [](const capabilities::VerifyAttempt& a) { fmt::print(stderr, "syscap: verify: {}\n", a.summary); };
    if (auto attempts = capabilities::verify_capabilities(v)) {
      trace.capabilities = capabilities::keep_needed(v.candidates, *attempts);
    } else {
      spdlog::warn("--verify-caps: {}; keeping the recorded capabilities", attempts.error().message());
    }
  }
  if (auto saved = tracer::save_trace(trace, opts.output); !saved) {
    spdlog::error("{}", saved.error().message());
    return run->exit.shell_status() != 0 ? run->exit.shell_status() : 1;
  }
  if (!quiet) {
    std::string how = run->exit.code ? fmt::format("exit {}", *run->exit.code)
                                     : fmt::format("killed by {}", tracer::signal_name(run->exit.signo));
    fmt::print(stderr,
               "syscap: {} calls of {} distinct syscalls in {} processes/threads, {}, {}; "
               "wrote {}\n",
               recorder.total_calls(), recorder.distinct_syscalls(), run->processes,
               format_duration(run->duration_ms), how, opts.output);
  }
  return run->exit.shell_status();
}

}  // namespace

void register_record_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto opts = std::make_shared<RecordOptions>();
  CLI::App* sub = app.add_subcommand(
      "record", "Run CMD and record every syscall of it and its children into a trace (JSON)");
  sub->add_option("-o,--output", opts->output, "Trace file to write")->required();
  sub->add_flag("-q,--quiet", opts->quiet, "No summary or status line on stderr");
  sub->add_flag("--verify-caps", opts->verify_caps,
                "Re-run CMD once per capability found, without it; keep only those it needs");
  sub->add_option("--cpu-placement", opts->cpu_placement,
                  "auto (default): while one task of CMD can run, it and the tracer share a CPU; "
                  "none: leave both to the scheduler")
      ->check(CLI::IsMember({"none", "auto"}));
  // Everything from CMD on belongs to the command, options included (`record -o t ls -q`):
  // CLI11's prefix_command hands us the rest once it meets an argument that is not ours. The
  // CMD positional never accepts a value itself (its check always fails); it exists so that
  // `--` is taken as our marker rather than passed up to the root app.
  sub->add_option("CMD", opts->unused, "The command to run, then its arguments")
      ->check([](const std::string&) { return std::string("taken as the command"); });
  sub->validate_positionals();
  sub->prefix_command();
  sub->fallthrough(false);
  sub->footer("Usage: syscap record -o trace.json [-q] [--] CMD [ARGS...]");
  sub->callback([opts, sub, &global, &exit_code] {
    opts->command = sub->remaining();
    // A leading "--" is our own marker: no command is called "--".
    if (!opts->command.empty() && opts->command.front() == "--")
      opts->command.erase(opts->command.begin());
    if (opts->command.empty()) throw CLI::RequiredError("CMD");
    exit_code = run_record(*opts, global);
  });
}

}  // namespace syscap::cli
