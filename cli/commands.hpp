// Each subcommand lives in its own file and registers itself on the root app.
// A registration function adds the subcommand with its options and a callback that
// sets `exit_code` (the process exit status) when the subcommand runs.
#pragma once

#include <CLI/CLI.hpp>

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

}  // namespace syscap::cli
