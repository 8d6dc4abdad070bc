// The kernel-event recording engine: a BPF program on the sys_enter, fork, exec and exit raw
// tracepoints follows the workload's processes in the kernel and counts their syscalls there,
// so the workload never stops for the tracer (tracer.hpp is the ptrace engine).
//
//   auto engine = syscap::tracer::BpfEngine::load();   // why not, when it cannot load here
//   if (!engine) ...
//   auto run = engine->run({.command = {"make", "-j2"}});
//   if (run) save_trace(run->trace, "trace.json");
//
// What it records: each (syscall, arch) with its number, count, first caller (pid and the
// executable it exec'd) and the distinct values of the arguments of arg_rules(); 32-bit calls
// of 64-bit processes under SCMP_ARCH_X86 (the task's compat state), x32 calls under
// SCMP_ARCH_X32; and, where the kernel has the cap_capable tracepoint, every capability check
// the workload's tasks caused (Trace::kernel_checks). Not recorded: the caller's instruction
// pointer. A syscall refused by a seccomp filter outside syscap (a
// container's) is still seen at sys_enter, unlike with ptrace where the outer filter answers
// first.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tracer/trace.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::tracer {

struct BpfRunOptions {
  std::vector<std::string> command;  // argv; argv[0] is searched in PATH like execvp
  // Forward SIGINT, SIGTERM, SIGHUP and SIGQUIT received by this process to every process of
  // the workload (the third one sends SIGKILL).
  bool forward_signals = true;
  bool workload_stdout_to_stderr = false;
};

struct BpfRun {
  Trace trace;   // capabilities are judged from trace.kernel_checks by the caller
  RunResult run;
  // What the kernel side could not store (a map was full): each entry says what is missing.
  // Empty for a complete run.
  std::vector<std::string> incomplete;
};

// The program loaded and attached, for one run. Everything is unloaded when it goes, and by the
// kernel when this process dies, however it dies (nothing is pinned).
class BpfEngine {
 public:
  // Errors: not built in, no privilege (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN), no kernel
  // BTF, or the program does not load or attach (the verifier's or the kernel's reason).
  static Result<BpfEngine> load();

  // Runs the command to completion, and every process it starts, including re-parented
  // daemons (this process becomes their subreaper). Once per engine. Errors: the command
  // cannot run (sys_errno ENOENT or EACCES: nothing of it ran).
  Result<BpfRun> run(const BpfRunOptions& options);

  // Why this kernel's capability checks cannot be seen (no cap_capable tracepoint before Linux
  // 6.14), "" when they can: then the run's trace has kernel_checks.
  std::string capability_checks_unseen() const;

  BpfEngine(BpfEngine&&) noexcept;
  BpfEngine& operator=(BpfEngine&&) noexcept;
  ~BpfEngine();

 private:
  struct Loaded;
  explicit BpfEngine(std::unique_ptr<Loaded> loaded);
  std::unique_ptr<Loaded> loaded_;
};

// Why the engine cannot record here, "" when it can (loads and unloads the program once).
std::string bpf_engine_unavailable();

}  // namespace syscap::tracer
