// A recorded trace as plain data, and its JSON form (the contract is docs/trace-format.md).
//
//   syscap::tracer::Trace t;
//   t.command = {"ls", "-l"};
//   t.syscalls.push_back({.name = "read", .arch = "SCMP_ARCH_X86_64", .nr = 0, .count = 3});
//   std::string text = syscap::tracer::trace_to_json(t);        // keys in contract order
//   auto ok = syscap::tracer::save_trace(t, "trace.json");       // Result<void>, atomic rename
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
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

// A kind of capability check the kernel made for the workload (the cap_capable tracepoint,
// Linux 6.14+). A check is not always a need: the kernel also asks to pick a behaviour (e.g.
// CAP_SYS_ADMIN in memory accounting on every mmap), and before trying the unprivileged way
// (root's setuid(0) asks for CAP_SETUID). The capability inference judges each one.
struct KernelCheck {
  std::string capability;  // "CAP_CHOWN"
  bool granted = false;
  std::string syscall;     // the call in flight on that thread; "" outside any call
  std::string arch;        // "SCMP_ARCH_X86_64"
  std::uint64_t checks = 0;    // times made
  std::uint64_t returned = 0;  // ... in calls that have returned (exit_group never does)
  std::uint64_t failed = 0;    // ... in calls that returned an error
  std::uint64_t refused = 0;   // ... in calls that returned EPERM or EACCES
  bool initial_user_ns = true; // checked in the initial user namespace (not one the workload made)
  pid_t pid = 0;               // the first thread that made it
  std::string exe;
  // What the inference judges a check by; kept in memory only (the trace file aggregates by
  // capability, answer, syscall and arch).
  std::array<std::uint64_t, 6> args{};
  std::array<std::uint32_t, 8> creds{};  // uid, euid, suid, fsuid, gid, egid, sgid, fsgid
  int memory_arg = -1;                   // the argument `memory` was read from, -1 none
  std::vector<std::uint8_t> memory;      // the first bytes it points to
};

// A recording of processes that were running already (record --pid, docker record --attach):
// what was attached to and when. Their start-up, and all before `from`, was not seen.
struct AttachWindow {
  std::vector<pid_t> pids;  // the processes attached to (children they started follow)
  std::string from;         // UTC, ISO 8601 with milliseconds: "2026-12-06T20:31:02.123Z"
  std::string to;
  std::string ended_by;     // "exit" (every process ended), "duration", "signal"
};

// The UTC time `t` as AttachWindow writes it.
std::string iso8601_utc(std::chrono::system_clock::time_point t);

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
  std::string engine_reason;                     // why --engine auto chose it ("" otherwise)
  // What the engine could not record (empty for a complete run): a profile from an incomplete
  // trace may refuse calls the workload makes.
  std::vector<std::string> incomplete;
  // The kernel's capability checks, where the engine could see them (nullopt: not observed,
  // and why in kernel_checks_unseen).
  std::optional<std::vector<KernelCheck>> kernel_checks;
  std::string kernel_checks_unseen;
  // Capabilities the rule model reported that the kernel never checked: a model bug.
  std::vector<std::string> unchecked_capabilities;
  // Set for a recording attached to running processes: `exit` is then unknown (they run on).
  std::optional<AttachWindow> window;
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
