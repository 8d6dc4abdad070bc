// `syscap enforce`: everything between a profile path and the workload's execve.
//
//   using namespace syscap::enforcer;
//   auto prepared = prepare_enforcement({.profile_path = "p.json", .cap_drop = {"ALL"}});
//   if (!prepared) ...                               // exit 125, the command never runs
//   auto exe = syscap::find_command("python3");      // exit 127 when missing
//   ExecFailure f = exec_confined(*prepared, *exe, {"python3", "-c", "pass"});
//   // only returns on failure: f.exit_code is 125 (ours) or 126/127 (execve)
#pragma once

#include <string>
#include <vector>

#include "syscap/enforcer/capabilities.hpp"
#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/enforcer/seccomp_program.hpp"
#include "syscap/error.hpp"

namespace syscap::enforcer {

struct EnforceOptions {
  std::string profile_path;
  std::vector<std::string> cap_drop;
  std::vector<std::string> cap_add;
  bool strict = false;
};

// A profile compiled for this process, ready to install.
struct PreparedEnforcement {
  CapSet caps;
  FilterPlan plan;
  SeccompProgram program;
};

// Loads the profile, computes the capability set and builds the program; nothing is applied.
Result<PreparedEnforcement> prepare_enforcement(const EnforceOptions& options);


struct ExecFailure {
  Error error;
  int exit_code = 125;  // 125: capabilities or filter; 126: cannot execute; 127: not found
};

// Applies the capabilities, installs the filter as the last step and execs `executable`;
// returns only if one of those failed.
ExecFailure exec_confined(const PreparedEnforcement& prepared, const std::string& executable,
                          const std::vector<std::string>& argv);

}  // namespace syscap::enforcer
