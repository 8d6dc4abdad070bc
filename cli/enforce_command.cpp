// `syscap enforce --profile P [--cap-drop X]... [--cap-add X]... [--strict] -- CMD ARGS...`:
// become CMD under profile P and that capability set, as `docker run` would run it.
// Exit status: CMD's own (this process becomes CMD); 125 when the failure is ours (profile,
// capabilities, filter), 126 when CMD cannot be executed, 127 when it is not found.
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "syscap/enforcer/enforce.hpp"

namespace syscap::cli {
namespace {

struct EnforceCliOptions {
  enforcer::EnforceOptions enforce;
  std::vector<std::string> command;
};

int run_enforce(const EnforceCliOptions& opts) {
  auto prepared = enforcer::prepare_enforcement(opts.enforce);
  if (!prepared) {
    spdlog::error("{}; not running {}", prepared.error().message(), opts.command[0]);
    return 125;
  }
  for (const auto& warning : prepared->plan.warnings) spdlog::warn("{}", warning);
  auto executable = enforcer::find_executable(opts.command[0]);
  if (!executable) {
    spdlog::error("{}", executable.error().message());
    return 127;
  }
  spdlog::debug("{} rules on {} arches, {} BPF instructions; capabilities: {}",
                prepared->plan.rules.size(), prepared->plan.arches.size(),
                prepared->program.instructions.size(),
                fmt::join(enforcer::capability_names(prepared->caps), ","));
  enforcer::ExecFailure failure = enforcer::exec_confined(*prepared, *executable, opts.command);
  spdlog::error("{}", failure.error.message());
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
                  "Drop a capability (CAP_X, X or ALL); repeatable")
      ->allow_extra_args(false);
  sub->add_option("--cap-add", opts->enforce.cap_add,
                  "Add a capability (CAP_X, X or ALL); repeatable")
      ->allow_extra_args(false);
  sub->add_flag("--strict", opts->enforce.strict,
                "Syscall names unknown to syscap's tables are errors, not warnings");
  sub->add_option("command", opts->command, "The command to run, with its arguments")
      ->required()
      ->allow_extra_args();
  sub->prefix_command();
  sub->callback([opts, sub, &exit_code] {
    for (const auto& extra : sub->remaining()) opts->command.push_back(extra);
    exit_code = run_enforce(*opts);
  });
}

}  // namespace syscap::cli
