// Helpers shared by the generator tests: data paths, trace builders, running the syscap binary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "syscap/test/command.hpp"
#include "syscap/test/temp_dir.hpp"

#include "syscap/profilegen/generator.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/profilegen/trace_input.hpp"

namespace syscap::test {

// tests/data/<relative>.
std::string data_path(const std::string& relative);

// The text of a file (fails the test when unreadable).
std::string read_file(const std::string& path);

// A trace from tests/data/traces/<name>.json (fails the test when it does not parse).
profilegen::Trace load_test_trace(const std::string& name);

// A minimal x86_64 trace with the given syscalls (no args), command {"/bin/demo"}.
profilegen::Trace make_trace(const std::vector<std::string>& names);

// Adds argument 0 values to syscall `name` of `trace` (adding the syscall if missing).
void set_arg0(profilegen::Trace& trace, const std::string& name, std::vector<std::uint64_t> values);

// Adds a capability with one evidence call of `syscall`.
void add_evidence(profilegen::Trace& trace, const std::string& cap, const std::string& syscall);

// Generation options without the runtime block, so tests see only what the trace causes.
profilegen::GenerateOptions no_runtime();

// The rules of `p` that mention `name`.
std::vector<profilegen::Rule> rules_for(const profilegen::Profile& p, const std::string& name);

// The rule with no includes/excludes and no args that allows plain syscalls (the first block).
const profilegen::Rule* plain_block(const profilegen::Profile& p);

// Runs SYSCAP_BINARY with `args` in directory `cwd` (empty: current), capturing output.
CommandResult run_syscap(const std::vector<std::string>& args, const std::string& cwd = "");

}  // namespace syscap::test
