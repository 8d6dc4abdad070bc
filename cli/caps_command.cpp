// `syscap caps trace.json...`: the capabilities a recorded workload needs, with their evidence,
// and the `docker run` flags that grant exactly those.
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "syscap/profilegen/trace_input.hpp"
#include "syscap/capabilities/report.hpp"

namespace syscap::cli {

namespace {

struct CapsOptions {
  std::vector<std::string> traces;
  bool flags_only = false;
};

// The trace reader's capabilities in the tracer's model (what the report formats).
std::vector<tracer::CapabilityRecord> to_records(const std::vector<profilegen::TraceCapability>& caps) {
  std::vector<tracer::CapabilityRecord> out;
  for (const auto& c : caps) {
    tracer::CapabilityRecord r{c.name, {}};
    for (const auto& e : c.evidence)
      r.evidence.push_back({e.syscall, e.arch,
                            nlohmann::ordered_json::parse(e.args_json, nullptr, false),
                            static_cast<pid_t>(e.pid), e.exe, e.why});
    out.push_back(std::move(r));
  }
  return out;
}

int run_caps(const CapsOptions& opts) {
  // Several traces (e.g. of different runs of one service): the union of their capabilities.
  std::vector<tracer::CapabilityRecord> all;
  std::vector<tracer::KernelCheck> checks;
  bool checks_seen = false;
  std::string checks_unseen;
  for (const auto& path : opts.traces) {
    auto trace = profilegen::load_trace(path);
    if (!trace) {
      spdlog::error("{}", trace.error().message());
      return 1;
    }
    if (trace->kernel_checks) {
      checks_seen = true;
      for (const auto& k : *trace->kernel_checks) {
        tracer::KernelCheck c;
        c.capability = k.capability, c.granted = k.granted, c.syscall = k.syscall, c.arch = k.arch;
        checks.push_back(std::move(c));
      }
    } else if (checks_unseen.empty()) {
      checks_unseen = trace->kernel_checks_unseen.empty() ? "the trace has no kernel_checks" : trace->kernel_checks_unseen;
    }
    for (auto& r : to_records(trace->capabilities)) {
      auto it = std::ranges::find(all, r.name, &tracer::CapabilityRecord::name);
      if (it == all.end()) {
        all.push_back(std::move(r));
      } else {
        for (auto& e : r.evidence) it->evidence.push_back(std::move(e));
      }
    }
  }
  std::ranges::sort(all, {}, &tracer::CapabilityRecord::name);
  if (opts.flags_only) {
    fmt::print("{}\n", capabilities::docker_cap_flags(all));
    return 0;
  }
  fmt::print("{}\n", capabilities::format_capability_table(all));
  if (checks_seen && !all.empty())
    fmt::print("{}\n", capabilities::format_kernel_confirmation(all, checks));
  else if (!all.empty())
    fmt::print("The kernel's capability checks were not watched: {}\n\n", checks_unseen);
  fmt::print("docker run {} ...\n", capabilities::docker_cap_flags(all));
  return 0;
}

}  // namespace

void register_caps_command(CLI::App& app, const GlobalOptions&, int& exit_code) {
  auto opts = std::make_shared<CapsOptions>();
  CLI::App* sub = app.add_subcommand(
      "caps", "Show the capabilities recorded in traces, with evidence, and the docker run flags");
  sub->add_option("TRACE", opts->traces, "Trace file(s) written by `syscap record`")->required();
  sub->add_flag("--flags", opts->flags_only, "Print only the --cap-drop/--cap-add flags");
  sub->callback([opts, &exit_code] { exit_code = run_caps(*opts); });
}

}  // namespace syscap::cli
