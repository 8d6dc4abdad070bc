// syscap: learn the syscalls and capabilities a workload needs, write the smallest Docker
// seccomp profile for it, and enforce such profiles.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <new>
#include <string_view>

#include "commands.hpp"
#include "syscap/profilegen/docker_default.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/process_exit.hpp"

namespace {

// Docker's convention for `docker run`: 125 when the failure is the tool's own. enforce and
// docker follow it; every other subcommand exits 2 for a usage error (and 1 for a failure).
bool uses_docker_exit_codes(const CLI::App& app) {
  auto used = app.get_subcommands();
  return !used.empty() && (used.front()->get_name() == "enforce" || used.front()->get_name() == "docker");
}

using Registration = void (*)(CLI::App&, const syscap::cli::GlobalOptions&, int&);
struct Subcommand {
  std::string_view name;
  Registration add;
};

// Subcommands register here, one line each.
constexpr Subcommand kSubcommands[] = {
    {"generate", syscap::cli::register_generate_command}, {"profile", syscap::cli::register_profile_command},
    {"diff", syscap::cli::register_diff_command},         {"enforce", syscap::cli::register_enforce_command},
    {"compile", syscap::cli::register_compile_command},   {"record", syscap::cli::register_record_command},
    {"caps", syscap::cli::register_caps_command},         {"docker", syscap::cli::register_docker_command},
};

// The subcommand the command line names: its first word that is not an option (the global
// options are all flags, so no word before it is an option's value). Empty if there is none.
std::string_view named_subcommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") return {};
    if (!word.starts_with('-')) return word;
  }
  return {};
}

// Registers the named subcommand alone when it is one: CLI11 builds every option of every
// subcommand it is given, about a millisecond of every run's start-up for all eight (which the
// BPF engine's start-up is measured by). No name or an unknown one gets them all, so syscap's
// help lists every subcommand and a mistyped name is refused as before.
void register_subcommands(CLI::App& app, const syscap::cli::GlobalOptions& global, int& exit_code,
                          std::string_view named) {
  for (const Subcommand& sub : kSubcommands) {
    if (sub.name == named) {
      sub.add(app, global, exit_code);
      return;
    }
  }
  for (const Subcommand& sub : kSubcommands) sub.add(app, global, exit_code);
}

int run(int argc, char** argv) {
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
  // Flags only: named_subcommand() takes the first word that is not an option for the
  // subcommand's name, which a global option with a value would break.
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
  register_subcommands(app, global, exit_code, named_subcommand(argc, argv));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);  // prints the message (or the help / version)
    if (status == 0) return 0;
    return uses_docker_exit_codes(app) ? 125 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "syscap: error: %s\n", e.what());
    return uses_docker_exit_codes(app) ? 125 : 1;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // No exception escapes: each becomes one line and an exit code (Docker's 125 for enforce and
  // docker, 1 for the rest, whatever the subcommand when we cannot tell).
  int status = 1;
  try {
    status = run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("syscap: error: out of memory\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "syscap: error: %s\n", e.what());
  } catch (...) {
    std::fputs("syscap: error: unexpected internal error\n", stderr);
  }
  // What a BPF engine left loaded is released after the exit (tracer/process_exit.hpp).
  syscap::tracer::exit_process(status);
}
