// `syscap docker record [-o trace.json] [options] IMAGE [CMD...]`: record a container's workload
// with a static syscap as its entrypoint.
// `syscap docker profile -o profile.json [options] IMAGE [CMD...]`: record it, generate its
// profile, and check that the image runs the same under the profile with only the capabilities
// the profile needs.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attach_options.hpp"
#include "command_words.hpp"
#include "commands.hpp"
#include "docker_recording.hpp"
#include "recording.hpp"
#include "report.hpp"
#include "syscap/input_file.hpp"
#include "syscap/output_file.hpp"
#include "syscap/containers/session.hpp"
#include "syscap/profilegen/trace_input.hpp"

namespace syscap::cli {
namespace {

namespace fs = std::filesystem;

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
                "Re-run the workload inside the container without each capability found; keep those it needs "
                "(ptrace engine)");
  add_engine_option(sub, o.engine);
  sub->add_option("--attach", o.attach,
                  "Record this running container (name or id) from the host instead of starting IMAGE: its "
                  "processes from now on; it runs on when recording ends");
  sub->add_option("--duration", o.duration,
                  "With --attach: stop recording after this long (90s, 1500ms, 5m, 2h); else until its "
                  "processes end or Ctrl-C");
  hand_over_words_from(sub, "IMAGE", "The image, then the command replacing its Cmd", o.unused);
}

// IMAGE [CMD...] from what CLI11 left over (a usage error when there is no image), or nothing
// with --attach.
void take_image(const CLI::App& sub, ContainerCliOptions& o) {
  o.limit = checked_duration(o.duration, !o.attach.empty(), "--attach (a started image runs until it ends)");
  if (!o.attach.empty()) {
    std::vector<std::string> rest = sub.remaining();
    if (!rest.empty() && rest.front() == "--") rest.erase(rest.begin());
    if (!rest.empty()) throw CLI::ValidationError("--attach", "records a running container; give no IMAGE with it");
    if (o.verify_caps) throw CLI::ValidationError("--verify-caps", "re-runs the workload; not with --attach");
    return;
  }
  std::vector<std::string> rest = command_words(sub, "IMAGE");
  o.image = rest.front();
  o.cmd.assign(rest.begin() + 1, rest.end());
}

// The container's trace, written to `to` as every output is (syscap::write_output).
bool copy_trace(const fs::path& from, const std::string& to) {
  auto text = read_input(from.string(), "trace");
  auto written = text ? write_output(to, *text, "trace") : Result<void>(std::unexpected(text.error()));
  if (!written) report_error(written.error());
  return written.has_value();
}

// Whether `path` can be written, before the container runs; reported here.
bool output_ok(const std::string& path, const char* what, const std::string& image) {
  if (path.empty()) return true;
  auto ok = check_output(path, what);
  if (!ok) report_error(ok.error(), "; not running " + image);
  return ok.has_value();
}

struct DockerRecordCommand {
  ContainerCliOptions container;
  std::string output = "trace.json";
};

int run_docker_record(DockerRecordCommand& cmd, const GlobalOptions& global) {
  if (!output_ok(cmd.output, "trace", cmd.container.image)) return 125;
  containers::TraceDir out;
  int exit_code = 0;
  auto run = record_in_container(cmd.container, global, out,
                                 is_stdout(cmd.output) ? containers::ClientStdout::ToStderr
                                                       : containers::ClientStdout::Inherit,
                                 exit_code);
  if (!run) return exit_code;
  if (run->trace.empty()) return run->status != 0 ? run->status : 1;
  if (!copy_trace(run->trace, cmd.output)) return run->status != 0 ? run->status : 1;
  if (!global.quiet && !is_stdout(cmd.output))
    fmt::print(stderr, "syscap: trace of {} in {}\n",
               cmd.container.attach.empty() ? cmd.container.image : "container " + cmd.container.attach, cmd.output);
  return run->status;
}

struct DockerProfileCommand {
  ContainerCliOptions container;
  GenerateCliOptions generate;
  std::string trace_output;
  bool compare_output = false;
  bool no_check = false;
  bool check = false;  // --check: with --attach, run the image under the profile too
};

// The image (and Cmd) under the generated profile with only the capabilities it needs.
containers::ContainerCheck check_of(const DockerProfileCommand& cmd, const std::vector<std::string>& capabilities) {
  containers::ContainerCheck check;
  check.image = cmd.container.image;
  check.cmd = cmd.container.cmd;
  check.profile_path = cmd.generate.output;
  check.capabilities = capabilities;
  if (cmd.generate.runtime != "runc" && cmd.generate.runtime != "none") check.runtime = cmd.generate.runtime;
  check.docker_options = docker_run_options(cmd.container);
  return check;
}

// Runs the image under the profile and compares with the recording; returns the exit status.
int check_under_profile(const DockerProfileCommand& cmd, const containers::ContainerRun& recorded,
                        const std::vector<std::string>& capabilities) {
  containers::DockerClient client = containers::docker_client(cmd.container.docker);
  const containers::ContainerCheck check = check_of(cmd, capabilities);
  auto argv = containers::check_run_argv(client, check);
  fmt::print(stderr, "syscap: check: {}\n", containers::shell_line(argv));
  auto ran = containers::run_client(argv, cmd.compare_output             ? containers::ClientStdout::Capture
                                         : is_stdout(cmd.trace_output) ? containers::ClientStdout::ToStderr
                                                                       : containers::ClientStdout::Inherit);
  if (!ran) {
    spdlog::error("{}", ran.error().message());
    return 1;
  }
  const auto differences = containers::compare_runs(recorded, *ran, cmd.compare_output);
  for (const auto& d : differences) fmt::print(stderr, "syscap: check: DIFFERENT: {}\n", d);
  if (!differences.empty()) return 1;
  fmt::print(stderr, "syscap: check: OK: exit status {}{} as recorded\n", ran->status,
             cmd.compare_output ? ", same output," : "");
  return 0;
}

// --attach --check: the service's image under the profile, detached, for 5 s.
int check_service_under_profile(const DockerProfileCommand& cmd, const std::vector<std::string>& capabilities) {
  const containers::ContainerCheck check = check_of(cmd, capabilities);
  const auto client = containers::docker_client(cmd.container.docker);
  fmt::print(stderr, "syscap: check: {} (detached, 5 s)\n", containers::shell_line(containers::check_run_argv(client, check)));
  auto checked = containers::check_service(client, check, std::chrono::seconds(5));
  if (!checked) {
    report_error(checked.error());
    return 1;
  }
  if (!checked->ok) {
    fmt::print(stderr, "syscap: check: DIFFERENT: under the profile it {}\n{}", checked->state, checked->logs);
    return 1;
  }
  fmt::print(stderr, "syscap: check: OK: {}\n", checked->state);
  return 0;
}

int run_docker_profile(DockerProfileCommand& cmd, const GlobalOptions& global) {
  if (cmd.generate.output == "-" && !cmd.no_check) {
    spdlog::error("docker profile needs -o FILE: the check runs the image with --security-opt seccomp=FILE");
    return 2;
  }
  if (is_stdout(cmd.generate.output) && is_stdout(cmd.trace_output)) {
    spdlog::error("-o - and --trace -: only one of the profile and the trace can go to standard output");
    return 2;
  }
  if (!output_ok(cmd.generate.output, "profile", cmd.container.image) ||
      !output_ok(cmd.trace_output, "trace", cmd.container.image))
    return 125;
  containers::TraceDir out;
  const bool data_on_stdout = is_stdout(cmd.generate.output) || is_stdout(cmd.trace_output);
  int exit_code = 0;
  auto run = record_in_container(cmd.container, global, out,
                                 cmd.compare_output ? containers::ClientStdout::Capture
                                 : data_on_stdout   ? containers::ClientStdout::ToStderr
                                                    : containers::ClientStdout::Inherit,
                                 exit_code);
  if (!run) return exit_code;
  if (run->trace.empty()) return run->status != 0 ? run->status : 1;
  if (!cmd.trace_output.empty() && !copy_trace(run->trace, cmd.trace_output)) return 1;
  if (run->status != 0) {
    spdlog::warn("{} ended with status {}; the profile covers only what it did before that", cmd.container.image,
                 run->status);
  }
  auto trace = profilegen::load_trace(run->trace.string());
  if (!trace) {
    spdlog::error("{}", trace.error().message());
    return 1;
  }
  std::vector<std::string> capabilities;
  if (int status = generate_and_write(*trace, cmd.generate, global, &capabilities); status != 0) return status;
  const bool attached = !cmd.container.attach.empty();
  if (cmd.no_check || (attached && !cmd.check)) {
    if (attached && !cmd.no_check)
      fmt::print(stderr, "syscap: not checked: the check would start a second copy of the service (--check does)\n");
    return 0;
  }
  if (cmd.generate.format != "docker") {
    spdlog::warn("--format {}: the check needs a Docker profile; not checked", cmd.generate.format);
    return 0;
  }
  return attached ? check_service_under_profile(cmd, capabilities) : check_under_profile(cmd, *run, capabilities);
}

}  // namespace

void register_docker_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  CLI::App* docker = app.add_subcommand("docker", "Record and profile workloads inside Docker containers");
  docker->require_subcommand(1);

  auto rec = std::make_shared<DockerRecordCommand>();
  CLI::App* record = docker->add_subcommand(
      "record", "Run IMAGE in a container and record its workload into a trace");
  record->add_option("-o,--output", rec->output, "Trace file to write (- for standard output)")->capture_default_str();
  add_container_options(record, rec->container);
  record->footer(
      "Usage: syscap docker record [-o trace.json] [options] IMAGE [CMD [ARGS...]]\n"
      "The workload is the image's Entrypoint plus CMD (or its Cmd), as docker run starts it; the\n"
      "exit status is the workload's. --engine bpf runs the image as it really runs and records it\n"
      "from the host; --engine ptrace runs a static syscap inside the container as its entrypoint;\n"
      "auto (the default) takes bpf where it loads and sees the kernel's capability checks.\n"
      "       syscap docker record [-o trace.json] [--engine E] --attach CONTAINER [--duration 60s]");
  record->callback([rec, record, &global, &exit_code] {
    take_image(*record, rec->container);
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
  profile->add_flag("--check", prof->check,
                    "With --attach: run the container's image under the profile for 5 s (off by default: a "
                    "second copy of the service)");
  profile->footer(
      "Usage: syscap docker profile -o profile.json [options] IMAGE [CMD [ARGS...]]\n"
      "The check runs `docker run --cap-drop ALL --cap-add <needed> --security-opt seccomp=profile.json\n"
      "IMAGE [CMD...]` and exits 1 when its exit status (or output) differs from the recording's.\n"
      "       syscap docker profile -o profile.json [options] --attach CONTAINER [--duration 60s] [--check]");
  profile->callback([prof, profile, &global, &exit_code] {
    take_image(*profile, prof->container);
    exit_code = run_docker_profile(*prof, global);
  });
}

}  // namespace syscap::cli
