#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <map>
#include <tuple>

#include "syscap/tables/arch.hpp"
#include "syscap/tracer/trace.hpp"

#include "syscap/byte_text.hpp"
#include "syscap/output_file.hpp"

namespace syscap::tracer {

using Json = nlohmann::ordered_json;

ExitStatus ExitStatus::from_wait_status(int wait_status) {
  ExitStatus e;
  if (WIFEXITED(wait_status)) {
    e.code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    e.signo = WTERMSIG(wait_status);
    e.core_dumped = WCOREDUMP(wait_status);
  }
  return e;
}

std::string signal_name(int signo) {
  if (const char* abbrev = sigabbrev_np(signo)) return std::string("SIG") + abbrev;
  return fmt::format("SIG{}", signo);
}

std::string kernel_release() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  return u.release;
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::time_point_cast<std::chrono::milliseconds>(t);
  const std::time_t seconds = std::chrono::system_clock::to_time_t(ms);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  const auto millis = (ms.time_since_epoch() % std::chrono::seconds(1)).count();
  return fmt::format("{}.{:03}Z", text, millis);
}

std::string native_scmp_arch() {
  return std::string(tables::facts(tables::native_arch()).scmp_name);
}

namespace {

Json exit_json(const ExitStatus& e) {
  Json j = Json::object();
  if (e.code) {
    j["code"] = *e.code;
  } else {
    j["signal"] = signal_name(e.signo);
    j["signo"] = e.signo;
    j["core_dumped"] = e.core_dumped;
  }
  return j;
}

Json syscall_json(const SyscallRecord& s) {
  Json j = Json::object();
  j["name"] = s.name;
  j["arch"] = s.arch;
  j["nr"] = s.nr;
  j["count"] = s.count;
  Json args = Json::array();
  std::vector<const ArgValues*> sorted_args;
  for (const auto& a : s.args) sorted_args.push_back(&a);
  std::ranges::sort(sorted_args, {}, &ArgValues::index);
  for (const ArgValues* a : sorted_args) {
    Json aj = Json::object();
    aj["index"] = a->index;
    aj["name"] = a->name;
    std::vector<std::uint64_t> values = a->values;
    std::ranges::sort(values);
    aj["values"] = values;
    if (a->truncated) aj["truncated"] = true;
    args.push_back(std::move(aj));
  }
  j["args"] = std::move(args);
  Json first = Json::object();
  first["pid"] = s.first_seen.pid;
  first["exe"] = s.first_seen.exe;
  if (s.first_seen.caller) first["caller"] = fmt::format("{:#x}", *s.first_seen.caller);
  j["first_seen"] = std::move(first);
  return j;
}

Json capability_json(const CapabilityRecord& c) {
  Json j = Json::object();
  j["name"] = c.name;
  Json evidence = Json::array();
  for (const auto& e : c.evidence) {
    Json ej = Json::object();
    ej["syscall"] = e.syscall;
    ej["arch"] = e.arch;
    ej["args"] = e.args;
    ej["pid"] = e.pid;
    ej["exe"] = e.exe;
    ej["why"] = e.why;
    evidence.push_back(std::move(ej));
  }
  j["evidence"] = std::move(evidence);
  return j;
}

// The checks by (capability, answer, user namespace, arch, syscall), counts summed, the first
// caller kept:
// what a reader of the trace asks ("did the kernel ever check CAP_X, in which call?").
Json kernel_checks_json(const std::vector<KernelCheck>& checks) {
  using Key = std::tuple<std::string, bool, bool, std::string, std::string>;
  std::map<Key, KernelCheck> merged;
  for (const KernelCheck& c : checks) {
    auto [it, fresh] = merged.try_emplace(Key{c.capability, !c.granted, !c.initial_user_ns, c.arch, c.syscall}, c);
    if (fresh) continue;
    it->second.checks += c.checks;
    it->second.returned += c.returned;
    it->second.failed += c.failed;
    it->second.refused += c.refused;
    if (c.pid < it->second.pid) {
      it->second.pid = c.pid;
      it->second.exe = c.exe;
    }
  }
  Json out = Json::array();
  for (const auto& [key, c] : merged)
    out.push_back(Json{{"capability", c.capability}, {"granted", c.granted}, {"syscall", c.syscall},
                       {"arch", c.arch}, {"checks", c.checks}, {"returned", c.returned},
                       {"failed", c.failed}, {"refused", c.refused}, {"initial_user_ns", c.initial_user_ns},
                       {"pid", c.pid}, {"exe", c.exe}});
  return out;
}

// Every string in `j` that is not UTF-8 (a path, an argument) as {"utf8": ..., "bytes": hex}: a
// JSON string cannot hold it, and nothing recorded is dropped (docs/trace-format.md).
void keep_bytes_losslessly(Json& j) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (!is_valid_utf8(s)) j = Json{{"utf8", lossy_utf8(s)}, {"bytes", to_hex(s)}};
  } else if (j.is_structured()) {
    for (auto& item : j) keep_bytes_losslessly(item);
  }
}

}  // namespace

Json trace_to_json_value(const Trace& t) {
  Json j = Json::object();
  j["syscap_trace"] = 1;
  j["command"] = t.command;
  j["machine"] = Json{{"kernel", t.kernel}, {"arch", t.machine_arch}};
  // Attached processes run on after the window: no exit status.
  j["exit"] = t.window ? Json(nullptr) : exit_json(t.exit);
  j["processes"] = t.processes;
  j["duration_ms"] = std::round(t.duration_ms * 1000.0) / 1000.0;
  j["engine"] = t.engine;
  if (!t.engine_reason.empty()) j["engine_reason"] = t.engine_reason;
  if (!t.incomplete.empty()) j["incomplete"] = t.incomplete;
  if (t.window) {
    j["window"] = Json{{"attached", true},
                       {"pids", t.window->pids},
                       {"from", t.window->from},
                       {"to", t.window->to},
                       {"ended_by", t.window->ended_by}};
  }

  std::vector<const SyscallRecord*> calls;
  for (const auto& s : t.syscalls) calls.push_back(&s);
  std::ranges::sort(calls, [](const SyscallRecord* a, const SyscallRecord* b) {
    return a->arch != b->arch ? a->arch < b->arch : a->name < b->name;
  });
  Json syscalls = Json::array();
  for (const SyscallRecord* s : calls) syscalls.push_back(syscall_json(*s));
  j["syscalls"] = std::move(syscalls);

  std::vector<const CapabilityRecord*> caps;
  for (const auto& c : t.capabilities) caps.push_back(&c);
  std::ranges::sort(caps, {}, &CapabilityRecord::name);
  Json capabilities = Json::array();
  for (const CapabilityRecord* c : caps) capabilities.push_back(capability_json(*c));
  j["capabilities"] = std::move(capabilities);
  if (t.kernel_checks)
    j["kernel_checks"] = kernel_checks_json(*t.kernel_checks);
  else if (!t.kernel_checks_unseen.empty())
    j["kernel_checks_unseen"] = t.kernel_checks_unseen;
  if (!t.unchecked_capabilities.empty()) j["unchecked_capabilities"] = t.unchecked_capabilities;
  keep_bytes_losslessly(j);
  return j;
}

std::string trace_to_json(const Trace& t) { return trace_to_json_value(t).dump(2) + "\n"; }

Result<void> save_trace(const Trace& t, const std::filesystem::path& path) {
  return write_output(path.string(), trace_to_json(t), "trace");
}

}  // namespace syscap::tracer
