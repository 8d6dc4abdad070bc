// syscap: learn the syscalls and capabilities a workload needs, write the smallest Docker
// seccomp profile for it, and enforce such profiles.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "syscap/profilegen/docker_default.hpp"
#include "syscap/tables/syscalls.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "syscap: least-privilege seccomp profiles for containers.\n"
      "Records which system calls and capabilities a workload uses and writes the smallest\n"
      "Docker-format seccomp profile that lets it run.",
      "syscap"};
  // The version says where syscap's facts come from: they decide what it names and allows.
  app.set_version_flag("--version", std::string("syscap ") + SYSCAP_VERSION + "\nsyscall tables: " +
                                        std::string(syscap::tables::tables_source()) +
                                        "\nDocker's default profile: " +
                                        std::string(syscap::profilegen::docker_default_source()));
  app.require_subcommand(1);
  app.fallthrough();

  syscap::cli::GlobalOptions global;
  app.add_flag("-v,--verbose", global.verbose, "Debug logging");
  app.add_flag("-q,--quiet", global.quiet, "Only errors");
  app.parse_complete_callback([&] {
    auto logger = spdlog::stderr_color_st("syscap");
    logger->set_pattern("syscap: %^%l%$: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(global.verbose ? spdlog::level::debug
                      : global.quiet ? spdlog::level::err
                                     : spdlog::level::info);
  });

  int exit_code = 0;
  // Subcommands register here, one line each.
  syscap::cli::register_generate_command(app, global, exit_code);
  syscap::cli::register_profile_command(app, global, exit_code);
  syscap::cli::register_diff_command(app, global, exit_code);
  syscap::cli::register_enforce_command(app, global, exit_code);
  syscap::cli::register_compile_command(app, global, exit_code);
  syscap::cli::register_record_command(app, global, exit_code);
  syscap::cli::register_caps_command(app, global, exit_code);
  syscap::cli::register_docker_command(app, global, exit_code);
  (void)exit_code;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    // `syscap enforce` exits 125 for any problem of its own, option errors included (README).
    auto used = app.get_subcommands();
    return status != 0 && !used.empty() && used.front()->get_name() == "enforce" ? 125 : status;
  }
  return exit_code;
}
