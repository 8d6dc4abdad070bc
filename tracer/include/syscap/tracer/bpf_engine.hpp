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
// pointer. A syscall refused by a seccomp filter (a container's) is not seen: the kernel's
// seccomp check comes before the sys_enter tracepoint, as it comes before ptrace's stop, so
// record unconfined.
//
// A container started by its own engine is recorded from the host (container mode):
//
//   auto engine = BpfEngine::load(BpfTarget::Container);
//   engine->follow_container(id);           // after `docker create`, before `docker start`
//   ... the container runs and ends ...
//   auto run = engine->container_recording({.command = argv, .exit_status = 0});
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "syscap/error.hpp"
#include "syscap/tracer/attach.hpp"
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

// What the engine records: a command it starts (run()), or a container its engine starts
// (follow_container(), container_recording()).
enum class BpfTarget { Command, Container };

// How a container followed by the engine ended, as its engine reported it.
struct ContainerEnd {
  std::vector<std::string> command;  // what it ran (the trace's command)
  int exit_status = 0;               // 128+N when signal N ended it
  double duration_ms = 0;
};

// The program loaded and attached, for one run. Everything is unloaded when it goes, and by the
// kernel when this process dies, however it dies (nothing is pinned).
class BpfEngine {
 public:
  // Errors: not built in, no privilege (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN), no kernel
  // BTF, or the program does not load or attach (the verifier's or the kernel's reason).
  static Result<BpfEngine> load(BpfTarget target = BpfTarget::Command);

  // Runs the command to completion, and every process it starts, including re-parented
  // daemons (this process becomes their subreaper). Once per engine. Errors: the command
  // cannot run (sys_errno ENOENT or EACCES: nothing of it ran).
  Result<BpfRun> run(const BpfRunOptions& options);

  // Records processes that run already (record --pid; loaded for BpfTarget::Command, or for
  // BpfTarget::Container with options.container_id: docker record --attach): each
  // with all its threads, and every process they start, until they have all ended, the
  // duration is up, or SIGINT/SIGTERM/SIGHUP/SIGQUIT comes; they run on untouched. The trace
  // has its window (its exit is unknown). Errors: attach_targets()'s.
  Result<BpfRun> attach(const AttachOptions& options);

  // Container mode (loaded for BpfTarget::Container): from now on the first process whose
  // execve succeeds in a cgroup named after `container_id` (the full 64-character id of
  // Docker or Podman; "<id>" or "docker-<id>.scope", unified or v1 hierarchy) is recorded
  // from that execve, with every process it starts; the runtime's set-up before it is not.
  // Call before the container starts. Errors: not a full id, not loaded for containers.
  Result<void> follow_container(const std::string& container_id);

  // What the followed container's processes did, once it has ended. Error: no process of it
  // was seen (it never started its entrypoint, or runs on another kernel than this one).
  Result<BpfRun> container_recording(const ContainerEnd& end);

  // Leaves the programs attached, and their maps, to be released after this process has
  // exited (exit_process, process_exit.hpp), not when this engine goes: call once its run is
  // read, where the process ends soon after. Until then they stay attached and run, but
  // nothing they count is read any more (an attach window's processes may run on under them).
  void release_after_exit();

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
