// Helpers shared by the generator tests: data paths, trace builders, running the syscap binary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "syscap/profile/generator.hpp"
#include "syscap/profile/profile.hpp"
#include "syscap/profile/trace_input.hpp"

namespace syscap::test {

// tests/data/<relative>.
std::string data_path(const std::string& relative);

// The text of a file (fails the test when unreadable).
std::string read_file(const std::string& path);

// A trace from tests/data/traces/<name>.json (fails the test when it does not parse).
profile::Trace load_test_trace(const std::string& name);

// A minimal x86_64 trace with the given syscalls (no args), command {"/bin/demo"}.
profile::Trace make_trace(const std::vector<std::string>& names);

// Adds argument 0 values to syscall `name` of `trace` (adding the syscall if missing).
void set_arg0(profile::Trace& trace, const std::string& name, std::vector<std::uint64_t> values);

// Adds a capability with one evidence call of `syscall`.
void add_evidence(profile::Trace& trace, const std::string& cap, const std::string& syscall);

// Generation options without the runtime block, so tests see only what the trace causes.
profile::GenerateOptions no_runtime();

// The rules of `p` that mention `name`.
std::vector<profile::Rule> rules_for(const profile::Profile& p, const std::string& name);

// The rule with no includes/excludes and no args that allows plain syscalls (the first block).
const profile::Rule* plain_block(const profile::Profile& p);

struct RunResult {
  int status = -1;  // exit status, or 128+signal
  std::string out;
  std::string err;
};

// Runs SYSCAP_BINARY with `args` in directory `cwd` (empty: current), capturing output.
RunResult run_syscap(const std::vector<std::string>& args, const std::string& cwd = "");

// A fresh temporary directory (removed by the caller's TempDir).
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
  std::string file(const std::string& name) const { return path + "/" + name; }
};

}  // namespace syscap::test
