// The capability workloads (tests/workloads/cap_*.c) as test cases: which capability each
// `need` mode needs, what operand the test prepares, and what the machine must offer.
#pragma once

#include <sys/types.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "syscap/test/command.hpp"  // test::run_command, for the tests that use these

namespace syscap::testing {

enum class Operand { None, ForeignFile, ForeignProcess };

struct CapabilityWorkload {
  std::string cap;        // "CAP_CHOWN"
  std::string program;    // "wl_cap_chown"
  Operand operand = Operand::None;
  bool has_fallback = false;  // another capability also does it (e.g. CAP_SYS_ADMIN for CAP_BPF)

  // The i386 builds (wl_cap32_*): 32-bit ids, socketcall and ipc multiplexers.
  bool is_i386() const { return program.starts_with("wl_cap32_"); }
};

// For test listings: "wl_cap_chown (CAP_CHOWN)".
inline void PrintTo(const CapabilityWorkload& w, std::ostream* os) {
  *os << w.program << " (" << w.cap << ")";
}

// Every workload, in capability order.
const std::vector<CapabilityWorkload>& capability_workloads();

// The path of a built workload.
std::string workload_path(const std::string& program);

// Why this machine cannot run the `need` mode of `w` as root, or nullopt when it can
// (e.g. CAP_SYS_RESOURCE missing from the bounding set, or a kernel that runs no i386 code).
std::optional<std::string> unsupported_reason(const CapabilityWorkload& w);

// Prepares the operand of a workload: a file owned by uid 65534 in a fresh directory, or a
// `sleep` process of uid 65534 (not our child). Cleans up when destroyed.
class OperandFixture {
 public:
  explicit OperandFixture(Operand kind);
  ~OperandFixture();
  OperandFixture(const OperandFixture&) = delete;
  OperandFixture& operator=(const OperandFixture&) = delete;
  // The argument to pass after the mode (empty for Operand::None).
  const std::string& argument() const { return argument_; }

 private:
  std::string dir_;
  pid_t sleeper_ = 0;
  std::string argument_;
};

}  // namespace syscap::testing
