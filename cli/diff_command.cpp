// `syscap diff A B`: what one profile or trace allows that the other does not.
#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <memory>
#include <string>

#include "commands.hpp"
#include "syscap/input_file.hpp"
#include "syscap/profilegen/diff.hpp"
#include "syscap/profilegen/generator.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/profilegen/trace_input.hpp"

namespace syscap::cli {
namespace {

struct DiffCommand {
  std::string a;
  std::string b;
  std::string args = "narrow";
  std::string runtime = "runc";
};

// A profile file, or the profile a trace file generates.
Result<profilegen::Profile> load_either(const std::string& path, const DiffCommand& cmd) {
  auto text = read_input(path, "profile or trace");
  if (!text) return std::unexpected(text.error());
  if (!profilegen::looks_like_trace(*text)) return profilegen::parse_profile(*text, path);
  auto trace = profilegen::parse_trace(*text, path);
  if (!trace) return std::unexpected(trace.error());
  profilegen::GenerateOptions options;
  options.arg_rules = cmd.args == "none" ? profilegen::ArgRules::None : profilegen::ArgRules::Narrow;
  options.runtime = cmd.runtime;
  auto generated = profilegen::generate_profile(*trace, options);
  if (!generated) return std::unexpected(generated.error());
  for (const auto& note : generated->notes) spdlog::warn("{}: {}", path, note);
  return std::move(generated->profile);
}

int run_diff(const DiffCommand& cmd) {
  auto a = load_either(cmd.a, cmd);
  if (!a) {
    spdlog::error("{}", a.error().message());
    return 2;
  }
  auto b = load_either(cmd.b, cmd);
  if (!b) {
    spdlog::error("{}", b.error().message());
    return 2;
  }
  auto diff = profilegen::diff_profiles(*a, *b);
  fmt::print("{}", profilegen::format_diff(diff, cmd.a, cmd.b));
  return diff.empty() ? 0 : 1;
}

}  // namespace

void register_diff_command(CLI::App& app, const GlobalOptions& /*global*/, int& exit_code) {
  auto cmd = std::make_shared<DiffCommand>();
  CLI::App* sub = app.add_subcommand(
      "diff", "Show what one profile or trace allows that the other does not (exit 1 if they differ)");
  sub->add_option("A", cmd->a, "Profile or trace")->required();
  sub->add_option("B", cmd->b, "Profile or trace")->required();
  sub->add_option("--args", cmd->args, "For traces: narrow or none, as in `syscap generate`")
      ->check(CLI::IsMember({"narrow", "none"}))
      ->capture_default_str();
  std::vector<std::string> runtimes = profilegen::runtime_choices();
  sub->add_option("--runtime", cmd->runtime, "For traces: the runtime block to include, as in `syscap generate`")
      ->check(CLI::IsMember(runtimes))
      ->capture_default_str();
  sub->callback([cmd, &exit_code] { exit_code = run_diff(*cmd); });
}

}  // namespace syscap::cli
