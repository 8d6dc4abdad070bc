// One `syscap docker record` or `docker profile` run: the workload recorded in a container by
// the static syscap into a host directory, and the check run of the image under a profile,
// compared with the recording.
//
//   containers::TraceDir dir;                                    // removed at the end
//   containers::SessionRequest req{.image = "busybox", .cmd = {"ls"}};
//   auto run = containers::record_in_container(req, dir, [](const auto& argv) {
//     fmt::print(stderr, "recording: {}\n", containers::shell_line(argv)); });
//   // run->trace is dir.path/trace.json (empty when the container wrote none)
//   auto differences = containers::compare_runs(*run, checked, /*compare_output=*/true);
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "syscap/containers/docker_run.hpp"
#include "syscap/error.hpp"

namespace syscap::containers {

// A host directory the container writes its trace into, open to any container user (an
// image's USER, --user), removed with its contents when this goes. path is empty when it could
// not be made.
class TraceDir {
 public:
  TraceDir();
  ~TraceDir();
  TraceDir(const TraceDir&) = delete;
  TraceDir& operator=(const TraceDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// What to record and how.
struct SessionRequest {
  std::string image;
  std::vector<std::string> cmd;             // replaces the image's Cmd when not empty
  std::string docker;                       // --docker (docker_client())
  std::string syscap_binary;                // --syscap-binary (find_static_syscap())
  std::vector<std::string> docker_options;  // more `docker run` words (-e, -u, --docker-arg)
  std::vector<std::string> syscap_options;  // before `record` inside, e.g. "-v"
  std::vector<std::string> record_options;  // after `record -o ...` inside, e.g. "--verify-caps"
  ClientStdout workload_stdout = ClientStdout::Inherit;  // the workload's stdout: ours, kept, or our stderr
};

// What a recording in a container left behind.
struct ContainerRun {
  int status = 0;                  // the workload's exit status (the client's when it failed earlier)
  std::filesystem::path trace;     // in the TraceDir; empty when no trace was written
  std::string stdout_text;         // the workload's stdout, when captured
  std::vector<std::string> command;  // what the container ran (Entrypoint + Cmd)
  double duration_ms = 0;            // of the client's run
};

// Records the request's image in a container into `dir`. `on_start` sees the client's argv
// before it runs. Errors: no static syscap, the image cannot be inspected or has nothing to
// run, the client cannot start, `dir` could not be made.
Result<ContainerRun> record_in_container(const SessionRequest& request, const TraceDir& dir,
                                         const std::function<void(const std::vector<std::string>&)>& on_start);

// Runs the request's image as it really runs (create_argv(): its entrypoint as pid 1, no
// syscap inside, no seccomp profile) for a recorder on the host: `docker create`, then
// `before_start(id)` readies the recorder, then `docker start --attach`. The container is
// removed when it has run, or at once when before_start fails (whose error is returned).
// syscap_binary, syscap_options and record_options of the request are not used.
using BeforeStart = std::function<Result<void>(const std::string& container_id)>;
Result<ContainerRun> run_for_host_recording(const SessionRequest& request, const BeforeStart& before_start,
                                            const std::function<void(const std::vector<std::string>&)>& on_start);

// A check of a service's image under a profile (`docker profile --attach --check`): the
// image runs detached (check_run_argv() with -d instead of --rm) for `wait`; still running
// then, or ended with status 0, is OK. The container is removed after.
struct ServiceCheck {
  bool ok = false;
  std::string state;  // "still running after 5 s", "exited with status 3"
  std::string logs;   // the last lines of its output when it failed
};
Result<ServiceCheck> check_service(const DockerClient& client, const ContainerCheck& check, std::chrono::seconds wait);

// How a check run differs from the recording: one sentence per difference ("exit status 3
// under the profile, 0 when recorded"; "standard output differs" followed by both outputs),
// empty when they agree.
std::vector<std::string> compare_runs(const ContainerRun& recorded, const ClientRun& checked, bool compare_output);

}  // namespace syscap::containers
