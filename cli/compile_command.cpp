// `syscap compile --pfc|--bpf PROFILE [-o FILE] [--cap-drop X] [--cap-add X] [--strict]`:
// show the filter `syscap enforce` would install (it depends on the capabilities, the arch and
// the kernel, as the profile's includes/excludes do).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "report.hpp"
#include "syscap/output_file.hpp"
#include "syscap/enforcer/enforce.hpp"

namespace syscap::cli {
namespace {

struct CompileOptions {
  enforcer::EnforceOptions enforce;
  bool pfc = false;
  bool bpf = false;
  std::string output;
};

int run_compile(const CompileOptions& opts) {
  auto prepared = enforcer::prepare_enforcement(opts.enforce);
  if (!prepared) {
    spdlog::error("{}", prepared.error().message());
    return 1;
  }
  for (const auto& warning : prepared->plan.warnings) spdlog::warn("{}", warning);
  for (const auto& note : prepared->plan.notes) spdlog::debug("{}", note);
  std::string data;
  if (opts.pfc) {
    auto pfc = enforcer::program_pfc(prepared->plan);
    if (!pfc) {
      spdlog::error("{}: {}", opts.enforce.profile_path, pfc.error().message());
      return 1;
    }
    data = *pfc;
  } else {
    data = enforcer::program_bytes(prepared->program);
  }
  if (auto written = write_output(opts.output.empty() ? "-" : opts.output, data, opts.bpf ? "BPF program" : "filter");
      !written) {
    report_error(written.error());
    return 1;
  }
  if (opts.bpf)
    spdlog::info("wrote {} BPF instructions ({} bytes) to {}", prepared->program.instructions.size(),
                 data.size(), opts.output);
  return 0;
}

}  // namespace

void register_compile_command(CLI::App& app, const GlobalOptions& /*global*/, int& exit_code) {
  auto opts = std::make_shared<CompileOptions>();
  CLI::App* sub = app.add_subcommand(
      "compile", "Show the seccomp filter a profile becomes: libseccomp PFC or raw BPF");
  auto* pfc = sub->add_flag("--pfc", opts->pfc, "Print libseccomp's pseudo filter code");
  auto* bpf = sub->add_flag("--bpf", opts->bpf, "Write the raw BPF program (needs -o)");
  pfc->excludes(bpf);
  sub->add_option("profile", opts->enforce.profile_path, "Docker-format seccomp profile (JSON)")
      ->required();
  sub->add_option("-o,--output", opts->output, "Write here instead of stdout");
  sub->add_option("--cap-drop", opts->enforce.cap_drop, "Drop capabilities: CAP_X, X, ALL or a comma list of them; repeatable")
      ->allow_extra_args(false);
  sub->add_option("--cap-add", opts->enforce.cap_add, "Add capabilities to Docker's 14 defaults: CAP_X, X, ALL (all this process holds) or a comma list; repeatable")
      ->allow_extra_args(false);
  sub->add_flag("--strict", opts->enforce.strict,
                "Names that are a syscall on no architecture are errors");
  sub->callback([opts, &exit_code] {
    if (!opts->pfc && !opts->bpf) throw CLI::ValidationError("compile", "one of --pfc or --bpf is required");
    if (opts->bpf && (opts->output.empty() || opts->output == "-"))
      throw CLI::ValidationError("--bpf", "needs -o FILE (the program is binary)");
    exit_code = run_compile(*opts);
  });
}

}  // namespace syscap::cli
