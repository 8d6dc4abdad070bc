// Helpers for the enforcer tests: profiles from JSON text, filters installed in forked
// children (never in the test process), the real syscap binary run with captured output.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "syscap/enforcer/capabilities.hpp"
#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/test/command.hpp"

namespace syscap::enforcer::test {

// The profile in `json`; the test fails (and an empty profile returns) if it does not parse.
profilegen::Profile parse(const std::string& json);

// Every capability this process can give a command (held_capabilities(): permitted within
// bounding), what `enforce --cap-add ALL` gives.
CapSet all_caps();

// A context for this machine with the given bounding set.
PlanContext context(CapSet caps);

// The plan for `json`; fails the test on error.
FilterPlan plan(const std::string& json, CapSet caps = all_caps());

// For EXPECT_EXIT: compiles `json` for `caps`, installs it in this (child) process, runs
// `body` and _exits with its result. Exits 200 if the filter cannot be built or installed.
[[noreturn]] void confined(const std::string& json, const std::function<int()>& body,
                           CapSet caps = all_caps());

// errno of a raw syscall that failed, or 0 if it succeeded: the exit code children report.
int errno_of(long result);

// A 32-bit (int $0x80) syscall from this 64-bit process: -errno on failure, like the kernel.
long int80(long nr, long a = 0, long b = 0, long c = 0);

using syscap::test::CommandResult;

// Runs argv (argv[0] a path) with stdout and stderr captured (syscap::test::run_command).
CommandResult run(const std::vector<std::string>& argv);

// A file in a fresh temporary directory (removed at exit is not needed: /tmp).
std::string temp_path(const std::string& name);

// Writes `text` to a fresh temporary file and returns its path.
std::string write_temp(const std::string& name, const std::string& text);

// The test data file `name` (tests/data).
std::string data_file(const std::string& name);

}  // namespace syscap::enforcer::test
