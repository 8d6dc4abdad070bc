// `syscap generate -o profile.json [options] TRACE...`: traces -> the smallest Docker profile.
// `syscap profile -o profile.json [options] [--trace t.json] -- CMD...`: record, then generate.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attach_options.hpp"
#include "command_words.hpp"
#include "commands.hpp"
#include "recording.hpp"
#include "report.hpp"
#include "syscap/output_file.hpp"
#include "syscap/profilegen/formats.hpp"
#include "syscap/profilegen/generator.hpp"
#include "syscap/profilegen/merge.hpp"
#include "syscap/profilegen/summary.hpp"
#include "syscap/profilegen/trace_input.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tracer/trace.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::cli {

void add_generate_options(CLI::App* sub, GenerateCliOptions& o) {
  sub->add_option("-o,--output", o.output, "Profile file to write ('-' for stdout)")->capture_default_str();
  sub->add_option("--format", o.format, "docker (moby JSON), oci (runtime-spec linux.seccomp) or k8s "
                                        "(security-profiles-operator SeccompProfile)")
      ->check(CLI::IsMember({"docker", "oci", "k8s"}))
      ->capture_default_str();
  sub->add_option("--default-action", o.default_action, "Action for every syscall not allowed")
      ->capture_default_str();
  sub->add_option("--default-errno", o.default_errno, "errno of the default action (1 = EPERM)")
      ->check(CLI::Range(0, 4095))
      ->capture_default_str();
  sub->add_option("--args", o.args, "narrow: argument rules where the trace proves narrow use; none: no argument rules")
      ->check(CLI::IsMember({"narrow", "none"}))
      ->capture_default_str();
  std::vector<std::string> runtimes = profilegen::runtime_choices();
  sub->add_option("--runtime", o.runtime, "Allow the container runtime's own syscalls (runc, crun) or none")
      ->check(CLI::IsMember(runtimes))
      ->capture_default_str();
  std::string families;
  for (const auto& f : profilegen::tie_families()) families += (families.empty() ? "@" : ", @") + std::string(f.name);
  sub->add_option("--tie", o.ties,
                  "SYSCALL=CAP: allow SYSCALL only to a container with CAP (repeatable); "
                  "@FAMILY=CAP ties a family: " + families)
      ->allow_extra_args(false);  // one value per --tie, so a trace after it stays a trace
  sub->add_option("--name", o.k8s_name, "metadata.name of the k8s SeccompProfile")->capture_default_str();
  sub->add_option("--namespace", o.k8s_namespace, "metadata.namespace of the k8s SeccompProfile");
  sub->add_flag("--no-summary", o.no_summary, "Do not print the summary");
}

namespace {

// The library options from the command line; errors are printed here.
std::optional<profilegen::GenerateOptions> generate_options(const GenerateCliOptions& o) {
  profilegen::GenerateOptions g;
  auto action = profilegen::parse_action(o.default_action);
  if (!action) {
    spdlog::error("--default-action {}: unknown action; expected one of {}", o.default_action,
                  fmt::join(profilegen::known_actions(), ", "));
    return std::nullopt;
  }
  g.default_action = *action;
  g.default_errno_ret = o.default_errno;
  g.arg_rules = o.args == "none" ? profilegen::ArgRules::None : profilegen::ArgRules::Narrow;
  g.runtime = o.runtime;
  for (const auto& t : o.ties) {
    auto parsed = profilegen::parse_tie(t);
    if (!parsed) {
      spdlog::error("{}", parsed.error().message());
      return std::nullopt;
    }
    g.ties.insert(g.ties.end(), parsed->begin(), parsed->end());
  }
  return g;
}

bool write_text(const std::string& path, const std::string& text) {
  if (auto written = write_output(path, text, "profile"); !written) {
    report_error(written.error());
    return false;
  }
  return true;
}

}  // namespace

int generate_and_write(const profilegen::Trace& trace, const GenerateCliOptions& o, const GlobalOptions& global,
                       std::vector<std::string>* capabilities) {
  auto options = generate_options(o);
  if (!options) return 2;
  auto generated = profilegen::generate_profile(trace, *options);
  if (!generated) {
    spdlog::error("{}", generated.error().message());
    return 1;
  }
  for (const auto& note : generated->notes) spdlog::warn("{}", note);
  if (capabilities != nullptr) *capabilities = generated->capabilities;

  profilegen::FormatOptions f;
  const auto* arch = tables::arch_by_scmp_name(trace.arch);
  f.container.native_arch = arch != nullptr ? std::string(arch->native_name) : "amd64";
  f.container.capabilities = generated->capabilities;
  f.k8s_name = o.k8s_name;
  f.k8s_namespace = o.k8s_namespace;
  auto text = profilegen::format_profile(generated->profile, *profilegen::parse_output_format(o.format), f);
  if (!text) {
    spdlog::error("{}", text.error().message());
    return 1;
  }
  if (!write_text(o.output, *text)) return 1;

  if (!o.no_summary && !global.quiet) {
    std::string shown_path = o.output == "-" ? "profile.json" : o.output;
    profilegen::SummaryTarget target{.format = *profilegen::parse_output_format(o.format), .k8s_name = o.k8s_name,
                                  .k8s_namespace = o.k8s_namespace};
    auto summary = profilegen::summarize(*generated, trace.arch, shown_path, trace.command, target);
    // The summary never mixes with a profile written to stdout.
    // Summaries are for the user, never data: always on stderr.
    fmt::print(stderr, "{}", profilegen::summary_text(summary));
  }
  return 0;
}

namespace {

struct GenerateCommand {
  GenerateCliOptions options;
  std::vector<std::string> traces;
};

// What a profile made from `trace` may lack because of how it was recorded.
void warn_about_recording(const profilegen::Trace& trace, const std::string& source) {
  if (trace.engine == "bpf" && !trace.kernel_checks)
    spdlog::warn("{} was recorded by the BPF engine on a kernel whose capability checks it could not see ({}): "
                 "the profile ties no syscall to a capability the workload used (record with --engine ptrace "
                 "for that)",
                 source, trace.kernel_checks_unseen.empty() ? "no kernel_checks" : trace.kernel_checks_unseen);
  for (const auto& name : trace.unchecked_capabilities)
    spdlog::warn("{}: the rule model found {} but the kernel never checked it (a bug in syscap's capability "
                 "rules); the profile keeps it",
                 source, name);
  for (const auto& line : trace.incomplete)
    spdlog::warn("{} is incomplete ({}): the profile may refuse calls the workload makes", source, line);
}

int run_generate(const GenerateCommand& cmd, const GlobalOptions& global) {
  std::vector<profilegen::Trace> traces;
  for (const auto& path : cmd.traces) {
    auto t = profilegen::load_trace(path);
    if (!t) {
      spdlog::error("{}", t.error().message());
      return 1;
    }
    warn_about_recording(*t, path);
    traces.push_back(std::move(*t));
  }
  for (std::size_t i = 1; i < traces.size(); ++i) {
    if (traces[i].arch != traces[0].arch) {
      spdlog::warn("{} was recorded on {}, {} on {}; the profile's native arch is {}", cmd.traces[i],
                   traces[i].arch, cmd.traces[0], traces[0].arch, traces[0].arch);
    }
  }
  profilegen::Trace merged = traces.size() == 1 ? traces[0] : profilegen::merge_traces(traces);
  if (merged.window)
    spdlog::warn("only attached windows: what the processes did at start was not seen, and the profile may refuse "
                 "it; give a recording of the start too (`syscap generate -o profile.json start.json {}`)",
                 cmd.traces.back());
  return generate_and_write(merged, cmd.options, global);
}

struct ProfileCommand {
  GenerateCliOptions options;
  std::string trace_output;
  bool verify_caps = false;
  std::string engine = "auto";  // --engine auto|ptrace|bpf
  AttachCli attach;  // --pid, --duration
  std::vector<std::string> unused;
  std::vector<std::string> command;
};

int run_profile(const ProfileCommand& cmd, const GlobalOptions& global) {
  if (is_stdout(cmd.options.output) && is_stdout(cmd.trace_output)) {
    spdlog::error("-o - and --trace -: only one of the profile and the trace can go to standard output");
    return 2;
  }
  const RecordingSubject subject = recording_subject(cmd.command, cmd.attach);
  const bool attaching = subject.attaching;
  const std::string& what = subject.name;
  // Where the profile (and the trace) go is checked before CMD runs: nothing is lost after it.
  for (const auto& [path, kind] : {std::pair{cmd.options.output, "profile"}, std::pair{cmd.trace_output, "trace"}}) {
    if (path.empty()) continue;
    if (auto ok = check_output(path, kind); !ok) {
      report_error(ok.error(), subject.not_started());
      return 125;
    }
  }
  auto engine = choose_engine(cmd.engine, subject.not_started());
  if (engine.exit_code != 0) return engine.exit_code;
  const bool to_stdout = is_stdout(cmd.options.output) || is_stdout(cmd.trace_output);
  if (to_stdout && !global.quiet && !attaching)
    spdlog::info("the profile goes to standard output; {}'s standard output goes to standard error", what);
  // Recorded exactly as `syscap record` records (syscalls and capabilities).
  auto rec = record_workload({.command = cmd.command,
                              .live = !global.quiet && isatty(STDERR_FILENO),
                              .verify_caps = cmd.verify_caps,
                              .workload_stdout_to_stderr = to_stdout,
                              .engine = engine.name,
                              .bpf = engine.bpf ? &*engine.bpf : nullptr,
                              .engine_reason = engine.reason,
                              .attach_pids = {cmd.attach.pids.begin(), cmd.attach.pids.end()},
                              .duration = cmd.attach.limit,
                              .container_id = ""});
  if (!rec) return report_recording_error(rec.error(), attaching);
  // Attached processes run on: no status of theirs.
  const int status = attaching ? 0 : rec->run.shell_status();
  if (attaching) warn_window_misses_startup(cmd.trace_output.empty() ? "window.json" : cmd.trace_output);
  if (!cmd.trace_output.empty()) {
    if (auto saved = tracer::save_trace(rec->trace, cmd.trace_output); !saved) {
      report_error(saved.error());
      return status != 0 ? status : 1;
    }
  }
  if (status != 0) {
    spdlog::warn("{} ended with status {}; the profile covers only what it did before that", what, status);
  }
  // The trace crosses from tracer to profilegen as its JSON contract (docs/trace-format.md).
  auto trace = profilegen::parse_trace(tracer::trace_to_json(rec->trace), "recorded trace");
  if (!trace) {
    report_error(trace.error());
    return status != 0 ? status : 1;
  }
  warn_about_recording(*trace, "the recording");
  const int written = generate_and_write(*trace, cmd.options, global);
  // Like `record`: the workload's status, unless writing the profile failed.
  return written != 0 && status == 0 ? written : status;
}

}  // namespace

void register_generate_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto cmd = std::make_shared<GenerateCommand>();
  CLI::App* sub = app.add_subcommand(
      "generate", "Write the smallest Docker seccomp profile that runs the recorded workload(s)");
  add_generate_options(sub, cmd->options);
  sub->add_option("TRACE", cmd->traces, "Traces from `syscap record` (several are merged)")->required();
  sub->footer("Usage: syscap generate -o profile.json [--tie chown=CAP_X] trace.json...");
  sub->callback([cmd, &global, &exit_code] { exit_code = run_generate(*cmd, global); });
}

void register_profile_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto cmd = std::make_shared<ProfileCommand>();
  CLI::App* sub = app.add_subcommand("profile", "Record CMD and write its profile in one step");
  add_generate_options(sub, cmd->options);
  sub->add_option("--trace", cmd->trace_output, "Also keep the trace in this file");
  add_engine_option(sub, cmd->engine);
  sub->add_flag("--verify-caps", cmd->verify_caps,
                "Re-run CMD without each capability found and keep only those it needs (as in record)");
  add_attach_options(sub, cmd->attach, "CMD");
  hand_over_words_from(sub, "CMD", "The command to run, then its arguments", cmd->unused);
  sub->footer("Usage: syscap profile -o profile.json [options] [--] CMD [ARGS...]\n"
              "       syscap profile -o profile.json [options] --pid PID [--pid PID...] [--duration 60s]");
  sub->callback([cmd, sub, &global, &exit_code] {
    cmd->command = command_or_attach(*sub, cmd->attach, "CMD", cmd->verify_caps);
    exit_code = run_profile(*cmd, global);
  });
}

}  // namespace syscap::cli
