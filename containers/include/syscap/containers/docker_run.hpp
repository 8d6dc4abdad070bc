// Workloads in Docker containers, through the `docker` client: the command an image runs, the
// static syscap that records inside a container, the `docker run` lines that record a workload
// and that check it under a generated profile, and running the client.
//
//   using namespace syscap::containers;
//   DockerClient client = docker_client("");                       // --docker, $DOCKER, "docker"
//   auto image = inspect_image(client, "busybox");                  // Result<ImageCommand>
//   auto argv = container_command(*image, {});                      // Entrypoint + Cmd
//   auto syscap = find_static_syscap({});                           // Result<std::string>
//   ContainerRecording rec{.image = "busybox", .command = *argv, .syscap_binary = *syscap,
//                          .output_dir = "/tmp/out"};
//   auto ran = run_client(record_run_argv(client, rec), ClientStdout::Inherit);  // Result<ClientRun>
//   // /tmp/out/trace.json is the trace; ran->status is the workload's exit status
//
//   ContainerCheck check{.image = "busybox", .profile_path = "p.json",
//                        .capabilities = {"CAP_CHOWN"}};
//   check_run_argv(client, check);   // docker run --rm --cap-drop ALL --cap-add CHOWN
//                                    //   --security-opt seccomp=p.json busybox
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::containers {

// Where the recording run mounts its pieces inside the container.
inline constexpr const char* kContainerSyscap = "/.syscap/syscap";
inline constexpr const char* kContainerOutputDir = "/.syscap/out";

// The docker client to run: a program name (searched in PATH) or path. DOCKER_HOST and the
// rest of the environment pass through to it.
struct DockerClient {
  std::string program = "docker";
};

// The client from `option` (--docker PATH) when not empty, else $DOCKER, else "docker".
DockerClient docker_client(const std::string& option);

// What an image starts: its Config.Entrypoint and Config.Cmd (either may be empty).
struct ImageCommand {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
};

// `docker image inspect IMAGE`: the image's Entrypoint and Cmd. Errors: the client cannot run,
// the image is unknown (the client's message), or its answer is not what Docker prints.
Result<ImageCommand> inspect_image(const DockerClient& client, const std::string& image);

// Parses the JSON `docker image inspect` prints (an array of one image).
Result<ImageCommand> parse_image_inspect(const std::string& json_text, const std::string& image);

// The argv `docker run IMAGE [CMD...]` starts: the entrypoint followed by `cmd` when given,
// else by the image's Cmd. Error when that is empty (the image has nothing to run).
Result<std::vector<std::string>> container_command(const ImageCommand& image,
                                                   const std::vector<std::string>& cmd);

// True if the ELF file at `path` is statically linked (no PT_INTERP program header), for
// x86_64, i386 and aarch64 alike. Errors: unreadable, not ELF.
Result<bool> is_static_executable(const std::string& path);

// Where find_static_syscap() looks, in this order.
struct StaticSyscapSearch {
  std::string option;                    // --syscap-binary PATH: must be static
  std::string env;                       // $SYSCAP_STATIC_BINARY: must be static
  std::string self_exe = "/proc/self/exe";  // `syscap-static` next to it, then itself if static
};

// The absolute host path of a static syscap to bind-mount into a container, or an error that
// says how to build one.
Result<std::string> find_static_syscap(const StaticSyscapSearch& search);

// A `docker run` that records the workload inside the container with the static syscap as its
// entrypoint; the trace lands in `output_dir` on the host.
struct ContainerRecording {
  std::string image;
  std::vector<std::string> command;         // the workload's argv (container_command())
  std::string syscap_binary;                // host path, mounted read-only at kContainerSyscap
  std::string output_dir;                   // host directory, mounted at kContainerOutputDir
  std::string trace_name = "trace.json";    // file name in output_dir
  std::vector<std::string> syscap_options;  // before `record`, e.g. "-v"
  std::vector<std::string> record_options;  // after `record -o ...`, e.g. "--verify-caps"
  std::vector<std::string> docker_options;  // more `docker run` options, before the image
};

// The client's argv for `rec`. The run gets what ptrace and seccomp need inside, for this run
// only: CAP_SYS_PTRACE, and no seccomp profile or AppArmor profile of the engine's own.
std::vector<std::string> record_run_argv(const DockerClient& client, const ContainerRecording& rec);

// A container made to run as the image really runs (its own Entrypoint and Cmd as pid 1, the
// engine's default capabilities and AppArmor profile, no syscap inside), recorded from the
// host by the BPF engine.
struct ContainerLaunch {
  std::string image;
  std::vector<std::string> cmd;             // replaces the image's Cmd when not empty
  std::vector<std::string> docker_options;  // more `docker create` options, before the image
};

// `docker create --rm --security-opt seccomp=unconfined ... IMAGE [CMD...]`: without a seccomp
// profile, because a syscall the engine's profile refuses never reaches the sys_enter
// tracepoint (the kernel's seccomp check comes first) and the recording must see every call.
// --rm: the engine removes the container once it has run.
std::vector<std::string> create_argv(const DockerClient& client, const ContainerLaunch& launch);

// The full id `docker create` printed (its last line). Error: no 64-hex-digit id there.
Result<std::string> parse_created_id(const std::string& stdout_text);

// `docker start --attach ID`: the container's output is the client's, and so is its exit
// status (128+N when signal N ended it); signals to the client reach the container.
std::vector<std::string> start_attached_argv(const DockerClient& client, const std::string& id);

// `docker rm --force ID`.
std::vector<std::string> remove_argv(const DockerClient& client, const std::string& id);

// A container that runs now (`docker record --attach`), as the engine and /proc describe it.
struct RunningContainer {
  std::string id;                  // the full id
  std::string image;               // Config.Image
  std::vector<std::string> cmd;    // Config.Cmd, what a check run gives after the image
  pid_t init_pid = 0;              // State.Pid: its first process, on this host
  std::vector<pid_t> pids;         // every process in its cgroup now, init_pid first
};

// Parses `docker container inspect` output (an array of one container). Errors: not what
// Docker prints, or the container is not running.
Result<RunningContainer> parse_container_inspect(const std::string& json_text, const std::string& name);

// `docker container inspect NAME`, and the processes that share its init process's cgroups
// (/proc/PID/cgroup, every hierarchy). Errors: no such container, not running, or its processes
// are not on this host (a remote engine).
Result<RunningContainer> running_container(const DockerClient& client, const std::string& name);

// The processes whose /proc/PID/cgroup equals `pid`'s, `pid` first ("/proc" is `proc_root`).
std::vector<pid_t> processes_in_cgroups_of(pid_t pid, const std::string& proc_root = "/proc");

// A `docker run` of the image as a user would run it under a generated profile.
struct ContainerCheck {
  std::string image;
  std::vector<std::string> cmd;             // replaces the image's Cmd when not empty
  std::string profile_path;
  std::vector<std::string> capabilities;    // CAP_* (or without the prefix); after --cap-drop ALL
  std::string runtime;                      // --runtime when not empty
  std::vector<std::string> docker_options;  // more `docker run` options, before the image
};

// The client's argv for `check`: --cap-drop ALL, one --cap-add per capability (without CAP_),
// --security-opt seccomp=PROFILE.
std::vector<std::string> check_run_argv(const DockerClient& client, const ContainerCheck& check);

// How a client run ended: its exit status (128+N when signal N killed it) and, when asked
// for, its standard output.
struct ClientRun {
  int status = 0;
  std::string stdout_text;
};

// Runs `argv` (argv[0] searched in PATH) with our stdin and stderr and waits for it, ignoring
// SIGINT and SIGQUIT meanwhile as system(3) does (the client forwards them to the container).
// Errors: the program cannot be started (sys_errno ENOENT when it does not exist).
enum class ClientStdout {
  Inherit,   // the client's stdout is ours
  Capture,   // kept in ClientRun::stdout_text
  ToStderr,  // sent to our stderr (our stdout carries data, e.g. `docker record -o -`)
};
Result<ClientRun> run_client(const std::vector<std::string>& argv, ClientStdout out);

// `argv` as one line a POSIX shell would split back into it (words quoted where needed).
std::string shell_line(const std::vector<std::string>& argv);

}  // namespace syscap::containers
