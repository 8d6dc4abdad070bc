// Running the real `syscap` binary and `strace -f` on commands, and reading their outputs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "syscap/test/command.hpp"
#include "syscap/test/temp_dir.hpp"

namespace syscap::e2e {

std::string workload(const std::string& name);

using syscap::test::TempDir;

// Starts argv with stdout/stderr sent to the given files ("" = /dev/null); returns the pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& out = "",
            const std::string& err = "");

// Waits for pid; kills it with SIGKILL after `limit` (a guard against hangs, not a timing
// assertion) and returns -1 then. Otherwise the wait status.
int wait_for(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(120));

// The syscall names `strace -f -qq -o FILE argv...` reports, and its exit status (128+N when
// signal N killed it; strace ends by killing itself with the workload's fatal signal).
struct StraceResult {
  std::set<std::string> names;
  int status = -1;
};
StraceResult strace_names(const std::vector<std::string>& argv, const std::filesystem::path& dir);

// Parses strace output text (exposed for the parser's own test).
std::set<std::string> parse_strace(const std::string& text);

// `syscap record -q -o DIR/trace.json -- argv...`: how it ended and the trace (null when no
// trace file was written).
struct Recorded {
  int status = -1;      // exit status, 128+N when signal N killed syscap
  bool exited = false;  // syscap ended by exit (its status may still say 128+N for the workload)
  std::string err;      // syscap's standard error
  nlohmann::json trace;
};
// `limit`: syscap is killed after it (a guard against hangs, never a timing assertion).
Recorded record(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                const std::string& engine = "ptrace", std::chrono::seconds limit = std::chrono::seconds(300));
Recorded record(const std::vector<std::string>& argv, const std::filesystem::path& dir, std::chrono::seconds limit);

// Why `syscap record --engine bpf` cannot record on this machine ("" when it can): syscap's
// own message, asked once.
const std::string& bpf_engine_skip_reason();

// The engines that can record here: "ptrace", and "bpf" where it loads. For the behaviour
// both must show (signals, exit status, a killed syscap), tested engine by engine.
std::vector<std::string> recording_engines();

// The set of names in a trace's syscalls[] (optionally only those of one arch).
std::set<std::string> trace_names(const nlohmann::json& trace, const std::string& arch = "");

// A readable "only in ours: ...; only in strace: ..." for two name sets.
std::string describe_difference(const std::set<std::string>& ours, const std::set<std::string>& theirs);

std::string read_file(const std::filesystem::path& path);

// A python3 script calling fcntl(fd, cmd) on /dev/null for each cmd of `commands` (a Python
// iterable); commands no kernel knows fail, harmlessly.
std::string fcntl_commands_script(const std::string& commands);

// Checks the values a trace kept of fcntl's cmd (x86_64) after fcntl_commands_script() made
// `distinct` commands from 7000 on: all of them, not cut, when there are 10; past 64, 64 of
// them and the list marked cut.
void expect_fcntl_commands_kept(const nlohmann::json& trace, int distinct);

}  // namespace syscap::e2e
