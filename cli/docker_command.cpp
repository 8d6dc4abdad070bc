// `syscap docker record [-o trace.json] [options] IMAGE [CMD...]`: record a container's workload
// with a static syscap as its entrypoint.
// `syscap docker profile -o profile.json [options] IMAGE [CMD...]`: record it, generate its
// profile, and check that the image runs the same under the profile with only the capabilities
// the profile needs.
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "syscap/enforcer/docker_run.hpp"
#include "syscap/profile/trace_input.hpp"

namespace syscap::cli {
namespace {

namespace fs = std::filesystem;

// What `docker record` and `docker profile` share.
struct ContainerCliOptions {
  std::string syscap_binary;                // --syscap-binary
  std::string docker;                       // --docker
  std::vector<std::string> docker_args;     // --docker-arg, repeatable
  std::vector<std::string> env;             // -e/--env
  std::string user;                         // -u/--user
  bool verify_caps = false;
  std::vector<std::string> unused;          // see add_image_positional
  std::string image;
  std::vector<std::string> cmd;
};

void add_container_options(CLI::App* sub, ContainerCliOptions& o) {
  sub->add_option("--syscap-binary", o.syscap_binary,
                  "Static syscap to run inside the container (default: $SYSCAP_STATIC_BINARY, "
                  "syscap-static next to this syscap, or this syscap if it is static)");
  sub->add_option("--docker", o.docker, "The docker client (default: $DOCKER, else docker in PATH)");
  sub->add_option("--docker-arg", o.docker_args,
                  "One more `docker run` option word, e.g. --docker-arg=--network=none (repeatable)")
      ->allow_extra_args(false);
  sub->add_option("-e,--env", o.env, "docker run --env VAR[=VALUE] (repeatable)")->allow_extra_args(false);
  sub->add_option("-u,--user", o.user, "docker run --user USER[:GROUP]");
  sub->add_flag("--verify-caps", o.verify_caps,
                "Re-run the workload inside the container without each capability found; keep those it needs");
  // As `record`: IMAGE and everything after it (CMD) are handed over untouched.
  sub->add_option("IMAGE", o.unused, "The image, then the command replacing its Cmd")
      ->check([](const std::string&) { return std::string("taken as the image"); });
  sub->validate_positionals();
  sub->prefix_command();
  sub->fallthrough(false);
}

// IMAGE [CMD...] from what CLI11 left over; false when there is no image.
bool take_image(CLI::App* sub, ContainerCliOptions& o) {
  std::vector<std::string> rest = sub->remaining();
  if (!rest.empty() && rest.front() == "--") rest.erase(rest.begin());
  if (rest.empty()) return false;
  o.image = rest.front();
  o.cmd.assign(rest.begin() + 1, rest.end());
  return true;
}

// The extra `docker run` words from -e, -u and --docker-arg, in that order.
std::vector<std::string> docker_run_options(const ContainerCliOptions& o) {
  std::vector<std::string> words;
  for (const auto& e : o.env) words.insert(words.end(), {"--env", e});
  if (!o.user.empty()) words.insert(words.end(), {"--user", o.user});
  words.insert(words.end(), o.docker_args.begin(), o.docker_args.end());
  return words;
}

// A host directory the container writes its trace into, removed with its contents at the end.
struct OutputDir {
  fs::path path;
  OutputDir() {
    std::string templ = (fs::temp_directory_path() / "syscap-docker.XXXXXX").string();
    if (mkdtemp(templ.data()) != nullptr) {
      path = templ;
      // The container's user need not be ours (an image's USER, --user).
      chmod(path.c_str(), 0777);
    }
  }
  ~OutputDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;
};

// What a recording in a container left behind.
struct ContainerRun {
  int status = 0;            // the workload's exit status (the client's when it failed earlier)
  fs::path trace;            // in the output dir; empty when no trace was written
  std::string stdout_text;   // the workload's stdout, when captured
};

// Records IMAGE [CMD...] in a container into `out`; errors are printed here.
std::optional<ContainerRun> record_in_container(const ContainerCliOptions& o, const GlobalOptions& global,
                                                const OutputDir& out, bool capture_stdout) {
  if (out.path.empty()) {
    spdlog::error("cannot create a directory for the trace in {}", fs::temp_directory_path().string());
    return std::nullopt;
  }
  const char* env_binary = std::getenv("SYSCAP_STATIC_BINARY");
  auto binary = enforcer::find_static_syscap({o.syscap_binary, env_binary != nullptr ? env_binary : ""});
  if (!binary) {
    spdlog::error("{}", binary.error().message());
    return std::nullopt;
  }
  enforcer::DockerClient client = enforcer::docker_client(o.docker);
  auto image = enforcer::inspect_image(client, o.image);
  if (!image) {
    spdlog::error("{}", image.error().message());
    return std::nullopt;
  }
  auto argv = enforcer::container_command(*image, o.cmd);
  if (!argv) {
    spdlog::error("{} {}", o.image, argv.error().message());
    return std::nullopt;
  }
  enforcer::ContainerRecording rec;
  rec.image = o.image;
  rec.command = *argv;
  rec.syscap_binary = *binary;
  rec.output_dir = out.path.string();
  if (global.verbose) rec.syscap_options.push_back("-v");
  if (global.quiet) rec.record_options.push_back("-q");
  if (o.verify_caps) rec.record_options.push_back("--verify-caps");
  rec.docker_options = docker_run_options(o);
  auto run_argv = enforcer::record_run_argv(client, rec);
  spdlog::info("recording: {}", enforcer::shell_line(run_argv));
  auto ran = enforcer::run_client(run_argv, capture_stdout);
  if (!ran) {
    spdlog::error("{}", ran.error().message());
    return std::nullopt;
  }
  ContainerRun result{ran->status, out.path / rec.trace_name, std::move(ran->stdout_text)};
  if (!fs::exists(result.trace)) {
    spdlog::error("the container wrote no trace ({} exited with status {})", client.program, ran->status);
    result.trace.clear();
  }
  return result;
}

bool copy_trace(const fs::path& from, const std::string& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) spdlog::error("write trace {}: {}", to, ec.message());
  return !ec;
}

struct DockerRecordCommand {
  ContainerCliOptions container;
  std::string output = "trace.json";
};

int run_docker_record(const DockerRecordCommand& cmd, const GlobalOptions& global) {
  OutputDir out;
  auto run = record_in_container(cmd.container, global, out, false);
  if (!run) return 125;
  if (run->trace.empty()) return run->status != 0 ? run->status : 1;
  if (!copy_trace(run->trace, cmd.output)) return run->status != 0 ? run->status : 1;
  if (!global.quiet) fmt::print(stderr, "syscap: trace of {} in {}\n", cmd.container.image, cmd.output);
  return run->status;
}

struct DockerProfileCommand {
  ContainerCliOptions container;
  GenerateCliOptions generate;
  std::string trace_output;
  bool compare_output = false;
  bool no_check = false;
};

// Runs the image under the profile and compares with the recording; returns the exit status.
int check_under_profile(const DockerProfileCommand& cmd, const ContainerRun& recorded,
                        const std::vector<std::string>& capabilities) {
  const auto& o = cmd.container;
  enforcer::DockerClient client = enforcer::docker_client(o.docker);
  enforcer::ContainerCheck check;
  check.image = o.image;
  check.cmd = o.cmd;
  check.profile_path = cmd.generate.output;
  check.capabilities = capabilities;
  if (cmd.generate.runtime != "runc" && cmd.generate.runtime != "none") check.runtime = cmd.generate.runtime;
  check.docker_options = docker_run_options(o);
  auto argv = enforcer::check_run_argv(client, check);
  fmt::print(stderr, "syscap: check: {}\n", enforcer::shell_line(argv));
  auto ran = enforcer::run_client(argv, cmd.compare_output);
  if (!ran) {
    spdlog::error("{}", ran.error().message());
    return 1;
  }
  bool same = true;
  if (ran->status != recorded.status) {
    fmt::print(stderr, "syscap: check: DIFFERENT: exit status {} under the profile, {} when recorded\n",
               ran->status, recorded.status);
    same = false;
  }
  if (cmd.compare_output && ran->stdout_text != recorded.stdout_text) {
    fmt::print(stderr,
               "syscap: check: DIFFERENT: standard output differs\n--- recorded ({} bytes)\n{}\n"
               "--- under the profile ({} bytes)\n{}\n",
               recorded.stdout_text.size(), recorded.stdout_text, ran->stdout_text.size(), ran->stdout_text);
    same = false;
  }
  if (!same) return 1;
  fmt::print(stderr, "syscap: check: OK: exit status {}{} as recorded\n", ran->status,
             cmd.compare_output ? ", same output," : "");
  return 0;
}

int run_docker_profile(const DockerProfileCommand& cmd, const GlobalOptions& global) {
  if (cmd.generate.output == "-" && !cmd.no_check) {
    spdlog::error("docker profile needs -o FILE: the check runs the image with --security-opt seccomp=FILE");
    return 2;
  }
  OutputDir out;
  auto run = record_in_container(cmd.container, global, out, cmd.compare_output);
  if (!run) return 125;
  if (run->trace.empty()) return run->status != 0 ? run->status : 1;
  if (!cmd.trace_output.empty() && !copy_trace(run->trace, cmd.trace_output)) return 1;
  if (run->status != 0) {
    spdlog::warn("{} ended with status {}; the profile covers only what it did before that", cmd.container.image,
                 run->status);
  }
  auto trace = profile::load_trace(run->trace.string());
  if (!trace) {
    spdlog::error("{}", trace.error().message());
    return 1;
  }
  std::vector<std::string> capabilities;
  if (int status = generate_and_write(*trace, cmd.generate, global, &capabilities); status != 0) return status;
  if (cmd.no_check) return 0;
  if (cmd.generate.format != "docker") {
    spdlog::warn("--format {}: the check needs a Docker profile; not checked", cmd.generate.format);
    return 0;
  }
  return check_under_profile(cmd, *run, capabilities);
}

}  // namespace

void register_docker_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* docker = app.add_subcommand("docker", "Record and profile workloads inside Docker containers");
  docker->require_subcommand(1);

  auto rec = std::make_shared<DockerRecordCommand>();
  CLI::App* record = docker->add_subcommand(
      "record", "Run IMAGE with a static syscap as its entrypoint and record its workload into a trace");
  record->add_option("-o,--output", rec->output, "Trace file to write")->capture_default_str();
  add_container_options(record, rec->container);
  record->footer(
      "Usage: syscap docker record [-o trace.json] [options] IMAGE [CMD [ARGS...]]\n"
      "The workload is the image's Entrypoint plus CMD (or its Cmd), as docker run starts it; the\n"
      "exit status is the workload's.");
  record->callback([rec, record, &global, &exit_code] {
    if (!take_image(record, rec->container)) throw CLI::RequiredError("IMAGE");
    exit_code = run_docker_record(*rec, global);
  });

  auto prof = std::make_shared<DockerProfileCommand>();
  CLI::App* profile = docker->add_subcommand(
      "profile", "Record IMAGE in a container, write its profile and check the image runs the same under it");
  add_generate_options(profile, prof->generate);
  add_container_options(profile, prof->container);
  profile->add_option("--trace", prof->trace_output, "Also keep the trace in this file");
  profile->add_flag("--compare-output", prof->compare_output,
                    "The check also compares the workload's standard output with the recorded run's");
  profile->add_flag("--no-check", prof->no_check, "Do not run the image under the profile");
  profile->footer(
      "Usage: syscap docker profile -o profile.json [options] IMAGE [CMD [ARGS...]]\n"
      "The check runs `docker run --cap-drop ALL --cap-add <needed> --security-opt seccomp=profile.json\n"
      "IMAGE [CMD...]` and exits 1 when its exit status (or output) differs from the recording's.");
  profile->callback([prof, profile, &global, &exit_code] {
    if (!take_image(profile, prof->container)) throw CLI::RequiredError("IMAGE");
    exit_code = run_docker_profile(*prof, global);
  });
}

}  // namespace syscap::cli
