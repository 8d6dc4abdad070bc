// Each subcommand lives in its own file and registers itself on the root app.
// A registration function adds the subcommand with its options and a callback that
// sets `exit_code` (the process exit status) when the subcommand runs.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace syscap::profilegen {
struct Trace;
}

namespace syscap::cli {

// Options every subcommand sees.
struct GlobalOptions {
  bool verbose = false;
  bool quiet = false;
};

// Registration functions, one per subcommand file (cli/<name>_command.cpp).
// void register_record_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_record_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_enforce_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_compile_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_generate_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_profile_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_diff_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_caps_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void register_docker_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

// What `generate`, `profile` and `docker profile` share (generate_command.cpp).
struct GenerateCliOptions {
  std::string output = "-";
  std::string format = "docker";
  std::string default_action = "SCMP_ACT_ERRNO";
  unsigned default_errno = 1;
  std::string args = "narrow";
  std::string runtime = "runc";
  std::vector<std::string> ties;
  std::string k8s_name = "syscap-profile";
  std::string k8s_namespace;
  bool no_summary = false;
};

// Adds -o, --format, --default-action, --default-errno, --args, --runtime, --tie, --name,
// --namespace and --no-summary to `sub`.
void add_generate_options(CLI::App* sub, GenerateCliOptions& o);

// Generates from `trace`, writes the profile, prints the summary; `capabilities`, when given,
// receives what the container must be given (CAP_*). Returns the exit status.
int generate_and_write(const profilegen::Trace& trace, const GenerateCliOptions& o, const GlobalOptions& global,
                       std::vector<std::string>* capabilities = nullptr);

}  // namespace syscap::cli
