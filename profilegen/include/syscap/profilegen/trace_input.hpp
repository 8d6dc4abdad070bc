// Traces as `syscap record` writes them (docs/trace-format.md), read strictly.
//
//   auto trace = syscap::profilegen::load_trace("trace.json");          // Result<Trace>
//   if (!trace) return trace.error();  // "read trace trace.json: syscalls[2].args[0].values[1]: ..."
//   for (const auto& s : trace->syscalls) use(s.name, s.arch, s.count);
//
// Every field of the contract is checked: unknown or missing fields, wrong types, unknown
// architectures, syscall names that are not syscalls on their architecture (except the tracer's
// "syscall_<nr>" for numbers it could not name), numbers that do not match the name, capabilities that are not CAP_* names. Errors name the file, the JSON
// path and what was expected. profilegen keeps its own copy of the model so that it does not
// depend on the tracer (cli -> {tracer, profilegen} -> syscall_tables).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::profilegen {

// One scalar argument of a syscall and the distinct values it took.
struct TraceArg {
  unsigned index = 0;                 // 0..5
  std::string name;                   // "domain", from the man page
  std::vector<std::uint64_t> values;  // sorted, distinct
  bool truncated = false;             // more than 64 distinct values were seen
  bool operator==(const TraceArg&) const = default;
};

// The first call of a syscall.
struct FirstSeen {
  std::uint64_t pid = 0;
  std::string exe;
  std::optional<std::string> caller;  // "0x7f3a12b4c5d6", when the tracer recorded it
  bool operator==(const FirstSeen&) const = default;
};

// One distinct (name, arch) the workload called.
struct TraceSyscall {
  std::string name;
  std::string arch;  // SCMP_ARCH_*
  std::uint64_t nr = 0;
  std::uint64_t count = 0;
  std::vector<TraceArg> args;
  FirstSeen first_seen;
  bool operator==(const TraceSyscall&) const = default;
};

// One call that exercised a capability.
struct CapabilityEvidence {
  std::string syscall;
  std::string arch;       // SCMP_ARCH_*
  std::string args_json;  // the decoded arguments object, compact JSON ("{"path":"/tmp/x"}")
  std::uint64_t pid = 0;
  std::string exe;
  std::string why;
  bool operator==(const CapabilityEvidence&) const = default;
};

struct TraceCapability {
  std::string name;  // CAP_*
  std::vector<CapabilityEvidence> evidence;
  bool operator==(const TraceCapability&) const = default;
};

// How the workload ended: an exit code, or the signal that killed it.
struct TraceExit {
  std::optional<std::uint64_t> code;
  std::optional<std::string> signal;  // "SIGKILL"
  std::optional<std::uint64_t> signo;
  bool core_dumped = false;
  bool operator==(const TraceExit&) const = default;
};

// The kernel's capability checks by (capability, answer, syscall, arch): "kernel_checks".
struct TraceKernelCheck {
  std::string capability;  // CAP_*
  bool granted = false;
  std::string syscall;     // "" outside any call
  std::string arch;
  std::uint64_t checks = 0, returned = 0, failed = 0, refused = 0;
  bool initial_user_ns = true;
  std::uint64_t pid = 0;
  std::string exe;
  bool operator==(const TraceKernelCheck&) const = default;
};

// "window": a recording attached to running processes (their start-up was not seen).
struct TraceWindow {
  std::vector<std::uint64_t> pids;
  std::string from, to;  // UTC, ISO 8601
  std::string ended_by;  // "exit", "duration", "signal"
  bool operator==(const TraceWindow&) const = default;
};

struct Trace {
  std::vector<std::string> command;
  std::string kernel;  // machine.kernel
  std::string arch;    // machine.arch, the native SCMP_ARCH_* of the recording machine
  TraceExit exit;
  std::uint64_t processes = 0;
  double duration_ms = 0;
  std::vector<TraceSyscall> syscalls;
  std::vector<TraceCapability> capabilities;
  std::string engine = "ptrace";        // which engine recorded it ("ptrace" when absent)
  std::string engine_reason;            // why --engine auto chose it
  std::vector<std::string> incomplete;  // what that engine could not record
  // The kernel's capability checks, when they were watched; else why not.
  std::optional<std::vector<TraceKernelCheck>> kernel_checks;
  std::string kernel_checks_unseen;
  std::vector<std::string> unchecked_capabilities;  // the rule model's findings the kernel never checked
  std::optional<TraceWindow> window;  // set for an attached recording; `exit` is then empty
  bool operator==(const Trace&) const = default;
};

// The format version this reader understands ("syscap_trace": 1).
inline constexpr int kTraceFormatVersion = 1;

// True if `json_text` looks like a trace (an object with a "syscap_trace" key) rather than a
// profile; used by `syscap diff`, which accepts either. Malformed JSON gives false.
bool looks_like_trace(std::string_view json_text);

// The number in the name the tracer gives a call its tables could not name ("syscall_500" ->
// 500, "syscall_-1" -> -1), or nullopt for any other name. Traces may hold such entries (a
// reserved or unknown number); their `nr` is that number and the generator leaves them out.
std::optional<std::int64_t> unnamed_syscall_number(std::string_view name);

// Parses trace JSON text; `source` (a file name) starts every error message.
Result<Trace> parse_trace(std::string_view json_text, std::string_view source);

// Reads and parses a trace file.
Result<Trace> load_trace(const std::string& path);


}  // namespace syscap::profilegen
