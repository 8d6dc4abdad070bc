#include "docker_recording.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <utility>

#include "recording.hpp"
#include "report.hpp"
#include "syscap/input_file.hpp"
#include "syscap/output_file.hpp"
#include "syscap/tracer/bpf_engine.hpp"

namespace syscap::cli {

std::vector<std::string> docker_run_options(const ContainerCliOptions& o) {
  std::vector<std::string> words;
  for (const auto& e : o.env) words.insert(words.end(), {"--env", e});
  if (!o.user.empty()) words.insert(words.end(), {"--user", o.user});
  words.insert(words.end(), o.docker_args.begin(), o.docker_args.end());
  return words;
}

namespace {

// The request both engines start from.
containers::SessionRequest session_request(const ContainerCliOptions& o, const GlobalOptions& global,
                                           containers::ClientStdout workload_stdout) {
  containers::SessionRequest req;
  req.image = o.image;
  req.cmd = o.cmd;
  req.docker = o.docker;
  req.syscap_binary = o.syscap_binary;
  req.docker_options = docker_run_options(o);
  if (global.verbose) req.syscap_options.push_back("-v");
  if (global.quiet) req.record_options.push_back("-q");
  if (o.verify_caps) req.record_options.push_back("--verify-caps");
  req.workload_stdout = workload_stdout;
  return req;
}

void show_client_line(const std::vector<std::string>& argv) {
  spdlog::info("recording: {}", containers::shell_line(argv));
}

// The syscap inside the container knows nothing of why it records with ptrace: the host's
// reason (auto's choice) goes into the trace it wrote.
void note_engine_reason(const std::filesystem::path& trace, const std::string& reason) {
  auto text = read_input(trace.string(), "trace");
  if (!text) {
    report_error(text.error());
    return;
  }
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object()) return;  // the reader of the trace will say what is wrong with it
  doc["engine_reason"] = reason;
  if (auto written = write_output(trace.string(), doc.dump(2) + "\n", "trace"); !written) report_error(written.error());
}

// The ptrace engine: a static syscap is the container's entrypoint and writes the trace into `dir`.
std::optional<containers::ContainerRun> record_inside(const ContainerCliOptions& o, const GlobalOptions& global,
                                                      const containers::TraceDir& dir,
                                                      containers::ClientStdout workload_stdout,
                                                      const std::string& reason) {
  containers::SessionRequest request = session_request(o, global, workload_stdout);
  request.record_options.insert(request.record_options.begin(), {"--engine", "ptrace"});
  auto run = containers::record_in_container(request, dir, show_client_line);
  if (!run) {
    report_error(run.error());
    return std::nullopt;
  }
  if (run->trace.empty())
    spdlog::error("the container wrote no trace (the docker client exited with status {})", run->status);
  else if (!reason.empty())
    note_engine_reason(run->trace, reason);
  return *run;
}

// The BPF engine: the image runs as it really runs and its processes are recorded from the
// host; the trace is written into `dir` as the container's would be.
std::optional<containers::ContainerRun> record_from_host(tracer::BpfEngine& engine, const std::string& reason,
                                                         const ContainerCliOptions& o, const GlobalOptions& global,
                                                         const containers::TraceDir& dir,
                                                         containers::ClientStdout workload_stdout) {
  auto run = containers::run_for_host_recording(
      session_request(o, global, workload_stdout),
      [&engine](const std::string& id) { return engine.follow_container(id); }, show_client_line);
  if (!run) {
    report_error(run.error());
    return std::nullopt;
  }
  auto recorded = engine.container_recording({run->command, run->status, run->duration_ms});
  if (!recorded) {
    report_error(recorded.error());
    return *run;  // no trace
  }
  Recording rec = recording_from_bpf(std::move(*recorded));
  rec.trace.engine_reason = reason;
  run->trace = dir.path() / "trace.json";
  if (auto saved = tracer::save_trace(rec.trace, run->trace.string()); !saved) {
    report_error(saved.error());
    run->trace.clear();
    return *run;
  }
  if (!rec.trace.incomplete.empty() && run->status == 0) run->status = 1;  // not a complete recording
  return *run;
}

// --attach: the running container's processes, recorded from the host with either engine
// (bpf also follows what `docker exec` starts in it later); the trace is written into `dir`.
std::optional<containers::ContainerRun> record_attached(ContainerCliOptions& o, ChosenEngine& engine,
                                                        const containers::TraceDir& dir) {
  auto container = containers::running_container(containers::docker_client(o.docker), o.attach);
  if (!container) {
    report_error(container.error());
    return std::nullopt;
  }
  o.image = container->image;
  o.cmd = container->cmd;
  spdlog::info("attaching to container {} ({} processes, {} from {})", o.attach, container->pids.size(), o.image,
               container->init_pid);
  RecordingOptions options;
  options.engine = engine.name;
  options.bpf = engine.bpf ? &*engine.bpf : nullptr;
  options.engine_reason = engine.reason;
  options.attach_pids = container->pids;
  options.duration = o.limit;
  options.container_id = container->id;
  auto rec = record_workload(options);
  if (!rec) {
    report_error(rec.error());
    return std::nullopt;
  }
  containers::ContainerRun run;
  run.command = rec->trace.command;
  run.duration_ms = rec->run.duration_ms;
  run.trace = dir.path() / "trace.json";
  if (auto saved = tracer::save_trace(rec->trace, run.trace.string()); !saved) {
    report_error(saved.error());
    run.trace.clear();
    run.status = 1;
    return run;
  }
  if (rec->trace.window)
    spdlog::info("{}", describe_window(*rec->trace.window, rec->run.duration_ms));
  warn_window_misses_startup("window.json");
  if (!rec->trace.incomplete.empty()) run.status = 1;
  return run;
}

}  // namespace

std::optional<containers::ContainerRun> record_in_container(ContainerCliOptions& o, const GlobalOptions& global,
                                                            const containers::TraceDir& dir,
                                                            containers::ClientStdout workload_stdout,
                                                            int& exit_code) {
  exit_code = 125;
  if (o.verify_caps && o.engine == "bpf") {
    spdlog::error("--verify-caps re-runs the workload inside the container under the ptrace engine; with "
                  "--engine bpf, `docker profile` checks the capabilities by running the image with only them");
    exit_code = 2;
    return std::nullopt;
  }
  // --verify-caps needs the syscap inside the container: auto takes ptrace for it.
  auto engine = choose_engine(o.engine, o.attach.empty() ? "; not running " + o.image : "; not attaching to " + o.attach,
                              tracer::BpfTarget::Container,
                              o.verify_caps ? "--verify-caps re-runs the workload inside the container" : "");
  if (engine.exit_code != 0) return std::nullopt;
  if (!o.attach.empty()) {
    exit_code = 1;
    return record_attached(o, engine, dir);
  }
  if (engine.name == "bpf") return record_from_host(*engine.bpf, engine.reason, o, global, dir, workload_stdout);
  return record_inside(o, global, dir, workload_stdout, engine.reason);
}


}  // namespace syscap::cli
