// Strict reading of traces (docs/trace-format.md). Every field is checked against the contract
// and against our syscall tables, so that a hand-edited or corrupt trace is refused with the
// file, the JSON path and what was expected, instead of turning into a wrong profile.
#include "syscap/profilegen/trace_input.hpp"

#include "syscap/byte_text.hpp"
#include "syscap/input_file.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

#include "capability_names.hpp"
#include "did_you_mean.hpp"
#include "json_reader.hpp"
#include "trace_reader.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen {
namespace {

using detail::field_path;
using detail::index_path;
using detail::Json;
using detail::JsonReader;
using detail::TraceReader;

constexpr std::string_view kTopFields[] = {"syscap_trace", "command",  "machine",      "exit",  "processes",
                                           "duration_ms",  "syscalls", "capabilities", "engine", "incomplete",
                                           "kernel_checks", "kernel_checks_unseen", "unchecked_capabilities",
                                           "engine_reason", "window"};
constexpr std::string_view kWindowFields[] = {"attached", "pids", "from", "to", "ended_by"};
constexpr std::string_view kKernelCheckFields[] = {"capability", "granted", "syscall", "arch",  "checks", "returned",
                                                   "failed",     "refused", "initial_user_ns", "pid", "exe"};
constexpr std::string_view kMachineFields[] = {"kernel", "arch"};
constexpr std::string_view kExitFields[] = {"code", "signal", "signo", "core_dumped"};
constexpr std::string_view kSyscallFields[] = {"name", "arch", "nr", "count", "args", "first_seen"};
constexpr std::string_view kArgFields[] = {"index", "name", "values", "truncated"};
constexpr std::string_view kFirstSeenFields[] = {"pid", "exe", "caller"};
constexpr std::string_view kCapabilityFields[] = {"name", "evidence"};
constexpr std::string_view kEvidenceFields[] = {"syscall", "arch", "args", "pid", "exe", "why"};

// The tracer keeps at most this many distinct values per argument.
constexpr std::size_t kMaxArgValues = 64;

TraceExit read_exit(JsonReader& r, TraceReader& t, const Json& top) {
  TraceExit exit;
  const std::string path = "exit";
  const Json* value = r.required(top, "exit", "");
  // An attached window ends with its processes still running.
  if (value != nullptr && value->is_null() && JsonReader::optional(top, "window") != nullptr) return exit;
  if (value == nullptr || !r.object(*value, path, kExitFields)) return exit;
  bool has_code = value->contains("code");
  bool has_signal = value->contains("signal") || value->contains("signo");
  if (has_code == has_signal) {
    r.fail(path, "expected either {\"code\": N} or {\"signal\": \"SIG...\", \"signo\": N, \"core_dumped\": B}");
    return exit;
  }
  if (has_code) {
    exit.code = t.count(*value, "code", path, 255, "exit codes are 0-255");
    return exit;
  }
  exit.signal = t.text(*value, "signal", path);
  if (r.ok() && !exit.signal->starts_with("SIG")) {
    r.fail(field_path(path, "signal"), "expected a signal name such as \"SIGKILL\", got \"" + *exit.signal + "\"");
  }
  exit.signo = t.count(*value, "signo", path, 64, "signal numbers are 1-64");
  exit.core_dumped = t.boolean(r.required(*value, "core_dumped", path), field_path(path, "core_dumped"));
  return exit;
}

std::optional<TraceWindow> read_window(JsonReader& r, TraceReader& t, const Json& top) {
  const Json* value = JsonReader::optional(top, "window");
  if (value == nullptr) return std::nullopt;
  TraceWindow window;
  const std::string path = "window";
  if (!r.object(*value, path, kWindowFields)) return window;
  const bool attached = t.boolean(r.required(*value, "attached", path), field_path(path, "attached"));
  if (r.ok() && !attached) r.fail(field_path(path, "attached"), "expected true (a window is an attached recording)");
  const Json* pids = r.required(*value, "pids", path);
  if (r.ok() && r.array(pids, field_path(path, "pids"))) {
    for (std::size_t i = 0; i < pids->size() && r.ok(); ++i) {
      const std::string p = index_path(field_path(path, "pids"), i);
      if (!(*pids)[i].is_number_unsigned()) r.fail(p, "expected a process id");
      else window.pids.push_back((*pids)[i].get<std::uint64_t>());
    }
  }
  if (r.ok()) window.from = t.text(*value, "from", path);
  if (r.ok()) window.to = t.text(*value, "to", path);
  if (r.ok()) window.ended_by = t.text(*value, "ended_by", path);
  if (r.ok() && window.ended_by != "exit" && window.ended_by != "duration" && window.ended_by != "signal")
    r.fail(field_path(path, "ended_by"), "expected \"exit\", \"duration\" or \"signal\", got \"" + window.ended_by + "\"");
  return window;
}

TraceArg read_arg(JsonReader& r, TraceReader& t, const Json& value, const std::string& path) {
  TraceArg arg;
  if (!r.object(value, path, kArgFields)) return arg;
  arg.index = static_cast<unsigned>(t.count(value, "index", path, 5, "syscalls have six arguments, 0-5"));
  arg.name = t.text(value, "name", path);
  arg.truncated = t.boolean(JsonReader::optional(value, "truncated"), field_path(path, "truncated"));
  std::string values_path = field_path(path, "values");
  const Json* values = r.required(value, "values", path);
  if (!r.array(values, values_path)) {
    if (values != nullptr && values->is_null()) r.fail(values_path, "expected an array, got null");
    return arg;
  }
  for (std::size_t i = 0; i < values->size() && r.ok(); ++i) {
    std::string p = index_path(values_path, i);
    auto v = r.unsigned_integer(&(*values)[i], p);
    if (!v) {
      if ((*values)[i].is_null()) r.fail(p, "expected a non-negative integer (unsigned 64-bit), got null");
      break;
    }
    if (!arg.values.empty() && *v <= arg.values.back()) {
      r.fail(p, "values must be sorted and distinct; " + std::to_string(*v) + " follows " +
                    std::to_string(arg.values.back()));
      break;
    }
    arg.values.push_back(*v);
  }
  if (r.ok() && arg.values.size() > kMaxArgValues) {
    r.fail(values_path, "at most " + std::to_string(kMaxArgValues) + " values are kept; got " +
                            std::to_string(arg.values.size()));
  }
  return arg;
}

TraceSyscall read_syscall(JsonReader& r, TraceReader& t, const Json& value, const std::string& path) {
  TraceSyscall s;
  if (!r.object(value, path, kSyscallFields)) return s;
  s.name = t.text(value, "name", path);
  s.arch = t.arch(value, "arch", path);
  // The tracer's "syscall_<nr>" (a flag and a number: g++ 12 warns maybe-uninitialized when the
  // optional itself is read further down).
  const auto parsed = r.ok() ? unnamed_syscall_number(s.name) : std::nullopt;
  const bool unnamed = parsed.has_value();
  const std::int64_t unnamed_nr = parsed.value_or(0);
  if (unnamed && unnamed_nr < 0) {
    // The tracer writes the number as it saw it, so syscall(-1) is "syscall_-1" with nr -1.
    const Json* nr = r.required(value, "nr", path);
    if (nr != nullptr && (!nr->is_number_integer() || nr->get<std::int64_t>() != unnamed_nr)) {
      r.fail(field_path(path, "nr"), "expected " + std::to_string(unnamed_nr) + ", the number in the name " + s.name +
                                         ", got " + detail::describe(*nr));
    }
    s.nr = static_cast<std::uint64_t>(unnamed_nr);
  } else {
    s.nr = t.count(value, "nr", path);
  }
  s.count = t.count(value, "count", path);
  if (!r.ok()) return s;
  t.check_syscall_name(s.name, s.arch, field_path(path, "name"));
  if (!r.ok()) return s;
  if (unnamed && static_cast<std::uint64_t>(unnamed_nr) != s.nr) {
    r.fail(field_path(path, "nr"), "expected " + std::to_string(unnamed_nr) + ", the number in the name " + s.name +
                                       ", got " + std::to_string(s.nr));
    return s;
  }
  if (const auto* facts = tables::arch_by_scmp_name(s.arch); facts->table) {
    auto nr = tables::syscall_number(*facts->table, s.name);
    if (nr && static_cast<std::uint64_t>(*nr) != s.nr) {
      r.fail(field_path(path, "nr"), "expected " + std::to_string(*nr) + ", the number of " + s.name +
                                         " on " + s.arch + ", got " + std::to_string(s.nr));
      return s;
    }
  }
  if (s.count == 0) r.fail(field_path(path, "count"), "expected at least 1 (a recorded syscall was called)");

  std::string args_path = field_path(path, "args");
  if (const Json* args = JsonReader::optional(value, "args"); args != nullptr && r.array(args, args_path)) {
    for (std::size_t i = 0; i < args->size() && r.ok(); ++i) {
      std::string p = index_path(args_path, i);
      TraceArg arg = read_arg(r, t, (*args)[i], p);
      if (!r.ok()) break;
      for (const auto& other : s.args) {
        if (other.index == arg.index) {
          r.fail(field_path(p, "index"), "argument " + std::to_string(arg.index) + " appears twice");
        }
      }
      s.args.push_back(std::move(arg));
    }
  }

  std::string fs_path = field_path(path, "first_seen");
  const Json* fs = r.required(value, "first_seen", path);
  if (fs != nullptr && r.object(*fs, fs_path, kFirstSeenFields)) {
    s.first_seen.pid = t.count(*fs, "pid", fs_path);
    s.first_seen.exe = t.byte_text(*fs, "exe", fs_path, /*allow_empty=*/true);
    s.first_seen.caller = r.string(JsonReader::optional(*fs, "caller"), field_path(fs_path, "caller"));
  }
  return s;
}

CapabilityEvidence read_evidence(JsonReader& r, TraceReader& t, const Json& value, const std::string& path) {
  CapabilityEvidence e;
  if (!r.object(value, path, kEvidenceFields)) return e;
  e.syscall = t.text(value, "syscall", path);
  e.arch = t.arch(value, "arch", path);
  t.check_syscall_name(e.syscall, e.arch, field_path(path, "syscall"));
  const Json* args = r.required(value, "args", path);
  if (args != nullptr) {
    if (!args->is_object()) {
      r.fail(field_path(path, "args"), "expected an object (the decoded arguments), got " + detail::describe(*args));
    } else {
      e.args_json = args->dump();
    }
  }
  e.pid = t.count(value, "pid", path);
  e.exe = t.byte_text(value, "exe", path, /*allow_empty=*/true);
  e.why = t.byte_text(value, "why", path);
  return e;
}

void check_capability_name(JsonReader& r, const std::string& name, const std::string& path) {
  if (!r.ok() || detail::is_capability_name(name)) return;
  std::string cause = "unknown capability \"" + name + "\"";
  if (auto guess = detail::closest_match(name, detail::capability_names()))
    cause += " (did you mean \"" + std::string(*guess) + "\"?)";
  r.fail(path, cause + "; expected a CAP_* name such as CAP_CHOWN");
}

TraceCapability read_capability(JsonReader& r, TraceReader& t, const Json& value, const std::string& path) {
  TraceCapability c;
  if (!r.object(value, path, kCapabilityFields)) return c;
  c.name = t.text(value, "name", path);
  check_capability_name(r, c.name, field_path(path, "name"));
  std::string ev_path = field_path(path, "evidence");
  const Json* evidence = r.required(value, "evidence", path);
  if (evidence != nullptr && evidence->is_null()) r.fail(ev_path, "expected an array, got null");
  if (!r.array(evidence, ev_path)) return c;
  if (evidence->empty()) r.fail(ev_path, "expected at least one call that exercised " + c.name);
  for (std::size_t i = 0; i < evidence->size() && r.ok(); ++i) {
    c.evidence.push_back(read_evidence(r, t, (*evidence)[i], index_path(ev_path, i)));
  }
  return c;
}

TraceKernelCheck read_kernel_check(JsonReader& r, TraceReader& t, const Json& value, const std::string& path) {
  TraceKernelCheck c;
  if (!r.object(value, path, kKernelCheckFields)) return c;
  c.capability = t.text(value, "capability", path);
  check_capability_name(r, c.capability, field_path(path, "capability"));
  if (r.ok()) c.granted = t.boolean(r.required(value, "granted", path), field_path(path, "granted"));
  if (r.ok()) c.syscall = t.text(value, "syscall", path, true);
  if (r.ok()) c.arch = t.arch(value, "arch", path);
  if (r.ok()) c.checks = t.count(value, "checks", path);
  if (r.ok()) c.returned = t.count(value, "returned", path);
  if (r.ok()) c.failed = t.count(value, "failed", path);
  if (r.ok() && value.contains("refused")) c.refused = t.count(value, "refused", path);
  if (r.ok() && value.contains("initial_user_ns"))
    c.initial_user_ns = t.boolean(&value["initial_user_ns"], field_path(path, "initial_user_ns"));
  if (r.ok()) c.pid = t.count(value, "pid", path);
  if (r.ok()) c.exe = t.byte_text(value, "exe", path, true);
  return c;
}

// "kernel_checks", "kernel_checks_unseen" and "unchecked_capabilities": optional.
void read_kernel_checks(JsonReader& r, TraceReader& t, const Json& top, Trace& trace) {
  if (const Json* checks = JsonReader::optional(top, "kernel_checks"); r.ok() && checks != nullptr) {
    trace.kernel_checks.emplace();
    if (r.array(checks, "kernel_checks"))
      for (std::size_t i = 0; i < checks->size() && r.ok(); ++i)
        trace.kernel_checks->push_back(read_kernel_check(r, t, (*checks)[i], index_path("kernel_checks", i)));
  }
  if (r.ok() && JsonReader::optional(top, "kernel_checks_unseen") != nullptr)
    trace.kernel_checks_unseen = t.text(top, "kernel_checks_unseen", "");
  if (const Json* names = JsonReader::optional(top, "unchecked_capabilities"); r.ok() && names != nullptr) {
    if (r.array(names, "unchecked_capabilities"))
      for (std::size_t i = 0; i < names->size() && r.ok(); ++i) {
        const std::string p = index_path("unchecked_capabilities", i);
        if (auto name = r.string(&(*names)[i], p)) {
          check_capability_name(r, *name, p);
          trace.unchecked_capabilities.push_back(*name);
        }
      }
  }
}

}  // namespace

std::optional<std::int64_t> unnamed_syscall_number(std::string_view name) {
  constexpr std::string_view kPrefix = "syscall_";
  if (!name.starts_with(kPrefix)) return std::nullopt;
  std::string_view digits = name.substr(kPrefix.size());
  std::int64_t nr = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), nr);
  if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  // Only the spelling the tracer writes: no "+", no leading zeros ("syscall_007" is not one).
  if (digits.front() == '0' && digits.size() > 1) return std::nullopt;
  if (digits.starts_with("-0")) return std::nullopt;
  return nr;
}

bool looks_like_trace(std::string_view json_text) {
  Json doc = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  return doc.is_object() && doc.contains("syscap_trace");
}

Result<Trace> parse_trace(std::string_view json_text, std::string_view source) {
  auto with_action = [](Error e) {
    e.action = "read trace";
    return std::unexpected(std::move(e));
  };
  auto doc = detail::parse_json_document(json_text, source);
  if (!doc) return with_action(doc.error());
  if (doc->is_object() && (doc->contains("defaultAction") || doc->contains("syscalls")) && !doc->contains("syscap_trace"))
    return fail("read trace", std::string(source),
                "this is a seccomp profile, not a trace; traces come from `syscap record`");

  JsonReader r(source);
  TraceReader t(r);
  Trace trace;
  const Json& top = *doc;
  if (!r.object(top, "", kTopFields)) return with_action(r.error());

  std::uint64_t version = t.count(top, "syscap_trace", "");
  if (r.ok() && version != static_cast<std::uint64_t>(kTraceFormatVersion)) {
    r.fail("syscap_trace", "format version " + std::to_string(version) + " is not supported; expected " +
                               std::to_string(kTraceFormatVersion));
  }
  if (!r.ok()) return with_action(r.error());

  trace.command = t.byte_text_array(r.required(top, "command", ""), "command");
  if (r.ok() && trace.command.empty()) r.fail("command", "expected the recorded argv, got an empty array");

  const Json* machine = r.required(top, "machine", "");
  if (machine != nullptr && r.object(*machine, "machine", kMachineFields)) {
    trace.kernel = t.text(*machine, "kernel", "machine");
    trace.arch = t.arch(*machine, "arch", "machine");
  }
  if (r.ok()) trace.window = read_window(r, t, top);
  if (r.ok()) trace.exit = read_exit(r, t, top);
  if (r.ok()) trace.processes = t.count(top, "processes", "");
  if (r.ok()) trace.duration_ms = t.number(top, "duration_ms", "");
  if (r.ok() && JsonReader::optional(top, "engine") != nullptr) {
    trace.engine = t.text(top, "engine", "");
    if (r.ok() && trace.engine != "ptrace" && trace.engine != "bpf")
      r.fail("engine", "expected \"ptrace\" or \"bpf\", got \"" + trace.engine + "\"");
  }
  if (r.ok() && JsonReader::optional(top, "engine_reason") != nullptr)
    trace.engine_reason = t.text(top, "engine_reason", "");
  if (const Json* incomplete = JsonReader::optional(top, "incomplete"); r.ok() && incomplete != nullptr) {
    if (r.array(incomplete, "incomplete"))
      for (std::size_t i = 0; i < incomplete->size() && r.ok(); ++i)
        if (auto line = r.string(&(*incomplete)[i], index_path("incomplete", i))) trace.incomplete.push_back(*line);
  }

  const Json* syscalls = r.required(top, "syscalls", "");
  if (r.ok() && syscalls->is_null()) r.fail("syscalls", "expected an array, got null");
  if (r.ok() && r.array(syscalls, "syscalls")) {
    for (std::size_t i = 0; i < syscalls->size() && r.ok(); ++i) {
      std::string p = index_path("syscalls", i);
      TraceSyscall s = read_syscall(r, t, (*syscalls)[i], p);
      if (!r.ok()) break;
      for (const auto& other : trace.syscalls) {
        if (other.name == s.name && other.arch == s.arch) {
          r.fail(p, "\"" + s.name + "\" on " + s.arch + " appears twice; expected one entry per (name, arch)");
        }
      }
      trace.syscalls.push_back(std::move(s));
    }
  }

  const Json* caps = r.required(top, "capabilities", "");
  if (r.ok() && caps->is_null()) r.fail("capabilities", "expected an array, got null");
  if (r.ok() && r.array(caps, "capabilities")) {
    for (std::size_t i = 0; i < caps->size() && r.ok(); ++i) {
      std::string p = index_path("capabilities", i);
      TraceCapability c = read_capability(r, t, (*caps)[i], p);
      if (!r.ok()) break;
      for (const auto& other : trace.capabilities) {
        if (other.name == c.name) r.fail(field_path(p, "name"), c.name + " appears twice");
      }
      trace.capabilities.push_back(std::move(c));
    }
  }
  if (r.ok()) read_kernel_checks(r, t, top, trace);
  if (!r.ok()) return with_action(r.error());
  return trace;
}

Result<Trace> load_trace(const std::string& path) {
  auto text = read_input(path, "trace");
  if (!text) return std::unexpected(text.error());
  return parse_trace(*text, path == "-" ? "standard input" : path);
}

}  // namespace syscap::profilegen
