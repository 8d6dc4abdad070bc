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

#include "attach_options.hpp"
#include "command_words.hpp"
#include "commands.hpp"
#include "recording.hpp"
#include "report.hpp"
#include "syscap/output_file.hpp"

namespace syscap::cli {

namespace {

struct RecordOptions {
  std::string output;
  bool quiet = false;
  bool verify_caps = false;          // --verify-caps: re-run without each capability found
  std::string cpu_placement = "auto";  // --cpu-placement auto|none
  bool cpu_placement_given = false;    // given on the command line: the ptrace engine's option
  std::string engine = "auto";         // --engine auto|ptrace|bpf
  AttachCli attach;                    // --pid, --duration
  std::vector<std::string> unused;   // see hand_over_words_from
  std::vector<std::string> command;  // CMD ARGS...
};

// "1.2 s" / "340 ms".
std::string format_duration(double ms) {
  return ms >= 1000 ? fmt::format("{:.1f} s", ms / 1000) : fmt::format("{:.0f} ms", ms);
}

int run_record(const RecordOptions& opts, const GlobalOptions& global) {
  const bool quiet = opts.quiet || global.quiet;
  const RecordingSubject subject = recording_subject(opts.command, opts.attach);
  const bool attaching = subject.attaching;
  const std::string& what = subject.name;
  // Where the trace goes is checked before CMD runs: a run whose trace cannot be written is lost.
  if (auto ok = check_output(opts.output, "trace"); !ok) {
    report_error(ok.error(), subject.not_started());
    return 125;
  }
  auto engine = choose_engine(opts.engine, subject.not_started(), tracer::BpfTarget::Command,
                              opts.cpu_placement_given ? "--cpu-placement places the ptrace engine's tracer" : "");
  if (engine.exit_code != 0) return engine.exit_code;
  const bool to_stdout = is_stdout(opts.output);
  if (to_stdout && !quiet && !attaching)
    spdlog::info("the trace goes to standard output; {}'s standard output goes to standard error", what);
  auto rec = record_workload({.command = opts.command,
                              .live = !quiet && isatty(STDERR_FILENO),
                              .verify_caps = opts.verify_caps,
                              .cpu_placement = opts.cpu_placement == "auto" ? tracer::CpuPlacement::Auto
                                                                            : tracer::CpuPlacement::None,
                              .workload_stdout_to_stderr = to_stdout,
                              .engine = engine.name,
                              .bpf = engine.bpf ? &*engine.bpf : nullptr,
                              .engine_reason = engine.reason,
                              .attach_pids = {opts.attach.pids.begin(), opts.attach.pids.end()},
                              .duration = opts.attach.limit,
                              .container_id = ""});
  if (!rec) return report_recording_error(rec.error(), attaching);
  const int status = rec->run.shell_status();
  if (auto saved = tracer::save_trace(rec->trace, opts.output); !saved) {
    report_error(saved.error());
    return status != 0 ? status : 1;
  }
  if (!quiet) {
    fmt::print(stderr,
               "syscap: {} calls of {} distinct syscalls in {} processes/threads, {}, {} ({} engine); wrote {}\n",
               rec->total_calls, rec->distinct_syscalls, rec->run.processes, format_duration(rec->run.duration_ms),
               rec->trace.window ? describe_window(*rec->trace.window, rec->run.duration_ms) : describe_exit(rec->run),
               engine.name, to_stdout ? "the trace to standard output" : opts.output);
  }
  if (rec->trace.window) {
    warn_window_misses_startup(to_stdout ? "window.json" : opts.output);
    return rec->trace.incomplete.empty() ? 0 : 1;  // the processes run on: no status of theirs
  }
  // A trace that misses calls must not pass for a complete one.
  if (!rec->trace.incomplete.empty() && status == 0) return 1;
  return status;
}

}  // namespace

void register_record_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto opts = std::make_shared<RecordOptions>();
  CLI::App* sub = app.add_subcommand(
      "record", "Run CMD and record every syscall of it and its children into a trace (JSON)");
  sub->add_option("-o,--output", opts->output, "Trace file to write (- for standard output)")->required();
  sub->add_flag("-q,--quiet", opts->quiet, "No summary or status line on stderr");
  sub->add_flag("--verify-caps", opts->verify_caps,
                "Re-run CMD once per capability found, without it; keep only those it needs");
  add_engine_option(sub, opts->engine);
  add_attach_options(sub, opts->attach, "CMD");
  CLI::Option* placement =
      sub->add_option("--cpu-placement", opts->cpu_placement,
                      "ptrace engine: auto (default): while one task of CMD can run, it and the tracer share "
                      "a CPU; none: leave both to the scheduler. Given, --engine auto takes ptrace")
          ->check(CLI::IsMember({"none", "auto"}));
  hand_over_words_from(sub, "CMD", "The command to run, then its arguments", opts->unused);
  sub->footer("Usage: syscap record -o trace.json [-q] [--] CMD [ARGS...]\n"
              "       syscap record -o trace.json --pid PID [--pid PID...] [--duration 60s]");
  sub->callback([opts, sub, placement, &global, &exit_code] {
    opts->command = command_or_attach(*sub, opts->attach, "CMD", opts->verify_caps);
    // Where the tracer runs matters only to the ptrace engine: asked for, it is that engine.
    opts->cpu_placement_given = placement->count() > 0;
    if (opts->cpu_placement_given && opts->engine == "bpf")
      throw CLI::ValidationError("--cpu-placement", "places the ptrace engine's tracer; the BPF engine has none");
    exit_code = run_record(*opts, global);
  });
}

}  // namespace syscap::cli
