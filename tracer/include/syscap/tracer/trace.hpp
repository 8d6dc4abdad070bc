// A recorded trace as plain data, and its JSON form (the contract is docs/trace-format.md).
//
//   syscap::tracer::Trace t;
//   t.command = {"ls", "-l"};
//   t.syscalls.push_back({.name = "read", .arch = "SCMP_ARCH_X86_64", .nr = 0, .count = 3});
//   std::string text = syscap::tracer::trace_to_json(t);        // keys in contract order
//   auto ok = syscap::tracer::save_trace(t, "trace.json");       // Result<void>, atomic rename
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "syscap/error.hpp"

namespace syscap::tracer {

// How the traced command ended: an exit code, or a signal.
struct ExitStatus {
  std::optional<int> code;  // set for a normal exit
  int signo = 0;            // set when killed by a signal
  bool core_dumped = false;
  // The shell convention: the code, or 128 + signal number.
  int shell_status() const { return code ? *code : 128 + signo; }
  // From a waitpid status (WIFEXITED or WIFSIGNALED).
  static ExitStatus from_wait_status(int wait_status);
};

// The distinct values seen for one argument of one syscall.
struct ArgValues {
  unsigned index = 0;
  std::string name;
  std::vector<std::uint64_t> values;  // sorted, at most 64
  bool truncated = false;              // more than 64 distinct values were seen
};

// The first call of a syscall.
struct FirstSeen {
  pid_t pid = 0;
  std::string exe;                     // the executable path at that moment
  std::optional<std::uint64_t> caller; // instruction pointer
};

// One distinct (name, arch).
struct SyscallRecord {
  std::string name;
  std::string arch;  // "SCMP_ARCH_X86_64"
  std::int64_t nr = 0;
  std::uint64_t count = 0;
  std::vector<ArgValues> args;
  FirstSeen first_seen;
};

// One call that exercised a capability (filled by the capability checker).
struct CapabilityEvidence {
  std::string syscall;
  std::string arch;
  nlohmann::ordered_json args = nlohmann::ordered_json::object();
  pid_t pid = 0;
  std::string exe;
  std::string why;
};

struct CapabilityRecord {
  std::string name;  // "CAP_CHOWN"
  std::vector<CapabilityEvidence> evidence;
};

struct Trace {
  std::vector<std::string> command;
  std::string kernel;        // uname -r
  std::string machine_arch;  // native SCMP_ARCH_*
  ExitStatus exit;
  std::uint64_t processes = 0;
  double duration_ms = 0;
  std::vector<SyscallRecord> syscalls;           // sorted by arch then name on output
  std::vector<CapabilityRecord> capabilities;    // sorted by name on output
  std::string engine = "ptrace";                 // the engine that recorded: "ptrace" or "bpf"
  // What the engine could not record (empty for a complete run): a profile from an incomplete
  // trace may refuse calls the workload makes.
  std::vector<std::string> incomplete;
};

// "SIGKILL" for 9 ("SIG37" style for numbers without a name).
std::string signal_name(int signo);

// The trace as a JSON document, keys in the contract's order, arrays sorted as it says.
nlohmann::ordered_json trace_to_json_value(const Trace& trace);

// The JSON text (pretty-printed, ending in a newline).
std::string trace_to_json(const Trace& trace);

// Writes the JSON to `path` ("-": standard output) with syscap::write_output: a new file under
// an unpredictable name renamed into place, so a reader never sees a partial trace and no
// planted symlink is followed.
Result<void> save_trace(const Trace& trace, const std::filesystem::path& path);

// uname -r of this machine, and the native SCMP_ARCH_* name.
std::string kernel_release();
std::string native_scmp_arch();

}  // namespace syscap::tracer
