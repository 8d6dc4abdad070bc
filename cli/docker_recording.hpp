// How `syscap docker record` and `docker profile` record a container with the engine --engine
// chose: ptrace runs a static syscap inside the container as its entrypoint; bpf runs the image
// as it really runs and records it from the host (tracer/bpf_engine.hpp's container mode).
//
//   containers::TraceDir dir;
//   int exit_code = 0;
//   auto run = record_in_container(options, global, dir, containers::ClientStdout::Inherit, exit_code);
//   if (!run) return exit_code;               // reported already
//   // run->trace: the trace in dir (empty when none was written); run->status: the workload's
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "syscap/containers/session.hpp"

namespace syscap::cli {

// What `docker record` and `docker profile` share.
struct ContainerCliOptions {
  std::string syscap_binary;                // --syscap-binary
  std::string docker;                       // --docker
  std::vector<std::string> docker_args;     // --docker-arg, repeatable
  std::vector<std::string> env;             // -e/--env
  std::string user;                         // -u/--user
  bool verify_caps = false;
  std::string engine = "auto";              // --engine auto|ptrace|bpf
  std::string attach;                       // --attach CONTAINER: record it running, no IMAGE
  std::string duration;                     // --duration with --attach
  std::chrono::milliseconds limit{0};       // ... parsed
  std::vector<std::string> unused;          // see hand_over_words_from
  std::string image;
  std::vector<std::string> cmd;
};

// Records IMAGE [CMD...] with the engine --engine chose into `dir` (or, with --attach, the
// running container: its processes from now on, for --duration or until they end or Ctrl-C;
// then `image` and `cmd` are filled in from it); errors are printed here,
// and `exit_code` says how to end when there is no run (125, or 2 for a usage error).
std::optional<containers::ContainerRun> record_in_container(ContainerCliOptions& o, const GlobalOptions& global,
                                                            const containers::TraceDir& dir,
                                                            containers::ClientStdout workload_stdout,
                                                            int& exit_code);

// The extra `docker run` words from -e, -u and --docker-arg, in that order.
std::vector<std::string> docker_run_options(const ContainerCliOptions& o);

}  // namespace syscap::cli
