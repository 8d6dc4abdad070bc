#include "syscap/containers/session.hpp"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fmt/format.h>

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
  ContainerRun result{ran->status, dir.path() / rec.trace_name, std::move(ran->stdout_text)};
  if (!fs::exists(result.trace)) result.trace.clear();
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
