// What `record`, `profile` (and `enforce --learn`'s neighbours) share: running CMD under the
// tracer with the recorder and the capability observer, the live status line, --verify-caps.
//
//   auto rec = record_workload({.command = {"ls"}, .live = isatty(2)});
//   if (!rec) return report_command_error(rec.error());   // 126/127: CMD did not run
//   save_trace(rec->trace, path);
#pragma once

#include <CLI/CLI.hpp>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tracer/bpf_engine.hpp"
#include "syscap/tracer/cpu_placement.hpp"
#include "syscap/tracer/trace.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::cli {

struct RecordingOptions {
  std::vector<std::string> command;
  bool live = false;         // redraw a status line on stderr while it runs
  bool verify_caps = false;  // re-run without each capability found (capabilities/verifier.hpp)
  tracer::CpuPlacement cpu_placement = tracer::CpuPlacement::Auto;
  bool workload_stdout_to_stderr = false;  // our stdout carries data (-o -)
  std::string engine = "ptrace";           // "ptrace" or "bpf" (tracer/bpf_engine.hpp): ChosenEngine::name
  tracer::BpfEngine* bpf = nullptr;        // loaded beforehand (choose_engine) for "bpf"
  std::string engine_reason;               // why, when --engine auto chose it
  // record --pid: these running processes instead of `command` (empty), for `duration` (0: until
  // they end or a signal); the trace then has its window.
  std::vector<pid_t> attach_pids;
  std::chrono::milliseconds duration{0};
  std::string container_id;  // the attached processes are this running container's (bpf: and its later ones)
};

struct Recording {
  tracer::Trace trace;  // syscalls and capabilities
  tracer::RunResult run;
  std::uint64_t total_calls = 0;
  std::size_t distinct_syscalls = 0;
};

// The engines `--engine` accepts, and how the option is added to `sub` (record, profile).
inline const std::vector<std::string> kEngines = {"ptrace", "bpf", "auto"};
void add_engine_option(CLI::App* sub, std::string& engine);

// The engine `--engine` chose, made ready before CMD runs: the BPF engine loaded for "bpf"
// (nothing for "ptrace"); for "auto", bpf where it loads and sees the kernel's capability checks,
// else ptrace, and why. When "bpf" cannot load, the reason is reported and `exit_code` is 125:
// syscap's own failure, CMD never ran.
struct ChosenEngine {
  std::string name;    // "ptrace" or "bpf"
  std::string reason;  // for auto: why this one
  std::optional<tracer::BpfEngine> bpf;
  int exit_code = 0;
};
// `not_started` ends the report ("; not running CMD", RecordingSubject::not_started());
// `needs_ptrace`: why an option given makes auto take ptrace ("" when none does).
ChosenEngine choose_engine(const std::string& engine, const std::string& not_started,
                           tracer::BpfTarget target = tracer::BpfTarget::Command, const std::string& needs_ptrace = "");

// A BPF engine's run as a Recording: capabilities judged from the kernel's checks (a warning
// where they were not seen), losses reported as errors.
Recording recording_from_bpf(tracer::BpfRun run);

// Runs and records the command, or attaches to the running processes (attach_pids). Errors:
// it did not run (report with report_command_error), or a process could not be attached to.
Result<Recording> record_workload(const RecordingOptions& options);

// The summary's account of an attached window ("attached to pid 42 for 2.0 s, until the
// duration was up") and the warning that its start-up was not seen.
std::string describe_window(const tracer::AttachWindow& window, double duration_ms);
void warn_window_misses_startup(const std::string& trace_path);

// Reports why a recording did not happen and returns the exit code: CMD's 126/127
// (report_command_error), or 1 when processes could not be attached to.
int report_recording_error(const Error& e, bool attaching);

// "exit 0" / "killed by SIGKILL" / "exit 0, the processes that outlived it killed by SIGTERM".
std::string describe_exit(const tracer::RunResult& run);

}  // namespace syscap::cli
