#include "syscap/containers/session.hpp"

#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <thread>

namespace syscap::containers {

namespace fs = std::filesystem;

TraceDir::TraceDir() {
  std::string templ = (fs::temp_directory_path() / "syscap-docker.XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) return;
  path_ = templ;
  // The container's user need not be ours (an image's USER, --user).
  chmod(path_.c_str(), 0777);
}

TraceDir::~TraceDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

Result<ContainerRun> record_in_container(const SessionRequest& request, const TraceDir& dir,
                                         const std::function<void(const std::vector<std::string>&)>& on_start) {
  if (dir.path().empty())
    return fail("create a directory for the trace in", fs::temp_directory_path().string(), "mkdtemp failed");
  const char* env_binary = std::getenv("SYSCAP_STATIC_BINARY");
  auto binary = find_static_syscap({request.syscap_binary, env_binary != nullptr ? env_binary : ""});
  if (!binary) return std::unexpected(binary.error());
  const DockerClient client = docker_client(request.docker);
  auto image = inspect_image(client, request.image);
  if (!image) return std::unexpected(image.error());
  auto argv = container_command(*image, request.cmd);
  if (!argv) return fail("run image", request.image, argv.error().message());

  ContainerRecording rec;
  rec.image = request.image;
  rec.command = *argv;
  rec.syscap_binary = *binary;
  rec.output_dir = dir.path().string();
  rec.syscap_options = request.syscap_options;
  rec.record_options = request.record_options;
  rec.docker_options = request.docker_options;
  const auto run_argv = record_run_argv(client, rec);
  if (on_start) on_start(run_argv);
  auto ran = run_client(run_argv, request.workload_stdout);
  if (!ran) return std::unexpected(ran.error());
  ContainerRun result;
  result.status = ran->status;
  result.trace = dir.path() / rec.trace_name;
  result.stdout_text = std::move(ran->stdout_text);
  result.command = rec.command;
  if (!fs::exists(result.trace)) result.trace.clear();
  return result;
}

Result<ContainerRun> run_for_host_recording(const SessionRequest& request, const BeforeStart& before_start,
                                            const std::function<void(const std::vector<std::string>&)>& on_start) {
  const DockerClient client = docker_client(request.docker);
  auto image = inspect_image(client, request.image);
  if (!image) return std::unexpected(image.error());
  auto command = container_command(*image, request.cmd);
  if (!command) return fail("run image", request.image, command.error().message());

  const auto create = create_argv(client, {request.image, request.cmd, request.docker_options});
  if (on_start) on_start(create);
  auto created = run_client(create, ClientStdout::Capture);
  if (!created) return std::unexpected(created.error());
  if (created->status != 0)
    return fail("create container", request.image,
                client.program + " create exited with status " + std::to_string(created->status));
  auto id = parse_created_id(created->stdout_text);
  if (!id) return std::unexpected(id.error());
  if (auto ready = before_start(*id); !ready) {
    (void)run_client(remove_argv(client, *id), ClientStdout::Capture);
    return std::unexpected(ready.error());
  }
  const auto start = start_attached_argv(client, *id);
  if (on_start) on_start(start);
  const auto began = std::chrono::steady_clock::now();
  auto ran = run_client(start, request.workload_stdout);
  const auto ended = std::chrono::steady_clock::now();
  if (!ran) {
    (void)run_client(remove_argv(client, *id), ClientStdout::Capture);
    return std::unexpected(ran.error());
  }
  ContainerRun result;
  result.status = ran->status;
  result.stdout_text = std::move(ran->stdout_text);
  result.command = std::move(*command);
  result.duration_ms = std::chrono::duration<double, std::milli>(ended - began).count();
  return result;
}

Result<ServiceCheck> check_service(const DockerClient& client, const ContainerCheck& check, std::chrono::seconds wait) {
  std::vector<std::string> argv = check_run_argv(client, check);
  for (auto& word : argv)
    if (word == "--rm") word = "-d";  // kept after it ends, to read its exit status
  auto started = run_client(argv, ClientStdout::Capture);
  if (!started) return std::unexpected(started.error());
  if (started->status != 0)
    return ServiceCheck{false, "could not start (docker run exited with status " + std::to_string(started->status) + ")", ""};
  auto id = parse_created_id(started->stdout_text);
  if (!id) return std::unexpected(id.error());
  std::this_thread::sleep_for(wait);
  auto state = run_client({client.program, "container", "inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", *id},
                          ClientStdout::Capture);
  ServiceCheck result;
  if (state && state->status == 0 && state->stdout_text.starts_with("true")) {
    result = {true, fmt::format("still running after {} s", wait.count()), ""};
  } else {
    const std::string code = state && state->stdout_text.find(' ') != std::string::npos
                                 ? state->stdout_text.substr(state->stdout_text.find(' ') + 1)
                                 : "?";
    result.state = "exited with status " + code.substr(0, code.find('\n'));
    result.ok = result.state == "exited with status 0";
    if (auto logs = run_client({client.program, "logs", "--tail", "20", *id}, ClientStdout::Capture))
      result.logs = logs->stdout_text;
  }
  (void)run_client(remove_argv(client, *id), ClientStdout::Capture);
  return result;
}

std::vector<std::string> compare_runs(const ContainerRun& recorded, const ClientRun& checked, bool compare_output) {
  std::vector<std::string> differences;
  if (checked.status != recorded.status)
    differences.push_back(
        fmt::format("exit status {} under the profile, {} when recorded", checked.status, recorded.status));
  if (compare_output && checked.stdout_text != recorded.stdout_text)
    differences.push_back(fmt::format("standard output differs\n--- recorded ({} bytes)\n{}\n"
                                      "--- under the profile ({} bytes)\n{}",
                                      recorded.stdout_text.size(), recorded.stdout_text,
                                      checked.stdout_text.size(), checked.stdout_text));
  return differences;
}

}  // namespace syscap::containers
