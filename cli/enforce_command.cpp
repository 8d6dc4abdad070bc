// `syscap enforce --profile P [--cap-drop X]... [--cap-add X]... [--strict] [--] CMD ARGS...`:
// become CMD under profile P and that capability set, as `docker run` would run it.
// Exit status: CMD's own (this process becomes CMD); 125 when the failure is ours (options,
// profile, capabilities, filter; main.cpp maps enforce's option errors to 125), 126 when CMD
// cannot be executed, 127 when it is not found.
//
// With --learn TRACE, CMD runs traced with the capability set applied, every call it makes is
// asked of the compiled filter (in user space, the same BPF program), and the calls the
// profile would refuse are let through and written to TRACE for `syscap generate` to merge.
#include <spdlog/spdlog.h>

#include <cerrno>

#include <memory>
#include <string>
#include <vector>

#include "command_words.hpp"
#include "commands.hpp"
#include "report.hpp"
#include "syscap/command_path.hpp"
#include "syscap/output_file.hpp"
#include "syscap/enforcer/bpf_evaluator.hpp"
#include "syscap/enforcer/enforce.hpp"
#include "syscap/tracer/recorder.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::cli {
namespace {

struct EnforceCliOptions {
  enforcer::EnforceOptions enforce;
  std::string learn;  // trace file for --learn
  std::vector<std::string> unused;   // see hand_over_words_from
  std::vector<std::string> command;  // CMD ARGS...
};

// Records only the calls the program would refuse; every call runs.
class RefusalRecorder : public tracer::SyscallObserver {
 public:
  explicit RefusalRecorder(const enforcer::SeccompProgram& program) : program_(program) {}
  tracer::Resume on_syscall(const tracer::SeccompStop& stop) override {
    seccomp_data call{};
    call.nr = static_cast<int>(stop.nr);
    call.arch = stop.audit_arch;
    call.instruction_pointer = stop.instruction_pointer;
    for (std::size_t i = 0; i < 6; ++i) call.args[i] = stop.args[i];
    if (!enforcer::would_refuse(enforcer::evaluate_program(program_.instructions, call)))
      return tracer::Resume::Continue;
    return recorder_.on_syscall(stop);
  }
  void on_task_start(pid_t pid) override { recorder_.on_task_start(pid); }
  void on_exec(pid_t pid, pid_t former) override { recorder_.on_exec(pid, former); }
  void on_task_exit(pid_t pid, int status) override { recorder_.on_task_exit(pid, status); }
  const tracer::Recorder& recorder() const { return recorder_; }

 private:
  const enforcer::SeccompProgram& program_;
  tracer::Recorder recorder_;
};

int run_learn(const EnforceCliOptions& opts, const enforcer::PreparedEnforcement& prepared) {
  // Fail closed before CMD runs, not after it (which would lose its exit status).
  if (auto out = check_output(opts.learn, "trace"); !out) {
    spdlog::error("{}; not running {}", out.error().message(), opts.command[0]);
    return 125;
  }
  // The tracer's child inherits the bounding set; as root it gets exactly that set at exec.
  if (auto caps = enforcer::apply_capabilities(prepared.caps); !caps) {
    spdlog::error("{}; not running {}", caps.error().message(), opts.command[0]);
    return 125;
  }
  RefusalRecorder refusals(prepared.program);
  tracer::TracerOptions topts;
  topts.command = opts.command;
  topts.observers = {&refusals};
  auto run = tracer::run_traced(topts);
  if (!run) return report_command_error(run.error());
  tracer::Trace trace = refusals.recorder().trace(opts.command, *run);
  if (auto saved = tracer::save_trace(trace, opts.learn); !saved) {
    spdlog::error("{}", saved.error().message());
    return 125;
  }
  spdlog::info("learn: {} calls of {} syscalls that {} would refuse were let through; wrote {}",
               refusals.recorder().total_calls(), refusals.recorder().distinct_syscalls(),
               opts.enforce.profile_path, opts.learn);
  return run->shell_status();
}

int run_enforce(const EnforceCliOptions& opts) {
  auto prepared = enforcer::prepare_enforcement(opts.enforce);
  if (!prepared) {
    spdlog::error("{}; not running {}", prepared.error().message(), opts.command[0]);
    return 125;
  }
  for (const auto& warning : prepared->plan.warnings) spdlog::warn("{}", warning);
  for (const auto& note : prepared->plan.notes) spdlog::debug("{}", note);
  if (!opts.learn.empty()) return run_learn(opts, *prepared);
  auto executable = find_command(opts.command[0]);
  if (!executable) return report_command_error(executable.error());
  const auto caps = enforcer::capability_names(prepared->caps);
  spdlog::debug("{} rules on {} arches, {} BPF instructions; capabilities: {}", prepared->plan.rules.size(),
                prepared->plan.arches.size(), prepared->program.instructions.size(),
                caps.empty() ? std::string("none") : fmt::format("{}", fmt::join(caps, ",")));
  enforcer::ExecFailure failure = enforcer::exec_confined(*prepared, *executable, opts.command);
  report_error(failure.error);
  return failure.exit_code;
}

}  // namespace

void register_enforce_command(CLI::App& app, const GlobalOptions& /*global*/, int& exit_code) {
  auto opts = std::make_shared<EnforceCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "enforce", "Run CMD under a Docker seccomp profile and capability set, like docker run");
  sub->add_option("--profile", opts->enforce.profile_path, "Docker-format seccomp profile (JSON)")
      ->required();
  sub->add_option("--cap-drop", opts->enforce.cap_drop,
                  "Drop capabilities: CAP_X, X, ALL or a comma list of them; repeatable")
      ->allow_extra_args(false);
  sub->add_option("--cap-add", opts->enforce.cap_add,
                  "Add capabilities to Docker's 14 defaults: CAP_X, X, ALL (all this process holds) or a comma list; repeatable")
      ->allow_extra_args(false);
  sub->add_option("--learn", opts->learn,
                  "Let the calls the profile would refuse through and write them to this trace");
  sub->add_flag("--strict", opts->enforce.strict,
                "Names that are a syscall on no architecture are errors, not warnings");
  hand_over_words_from(sub, "CMD", "The command to run, then its arguments", opts->unused);
  sub->footer("Usage: syscap enforce --profile P [OPTIONS] [--] CMD [ARGS...]");
  sub->callback([opts, sub, &exit_code] {
    opts->command = command_words(*sub, "CMD");
    exit_code = run_enforce(*opts);
  });
}

}  // namespace syscap::cli
