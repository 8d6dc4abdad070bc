// The user-space half of the BPF engine: load and attach the program, start the workload
// tracked from before its execve, wait for every process it starts, read the maps.
#include "syscap/tracer/bpf_engine.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/capability.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "bpf_engine_state.hpp"
#include "bpf_map_reader.hpp"
#include "bpf_maps.hpp"
#include "bpf_program.hpp"
#include "held_until_exit.hpp"
#include "record_skeleton.hpp"
#include "record_shared.h"
#include "spawn.hpp"
#include "workload_signals.hpp"
#include "syscap/command_path.hpp"

extern char** environ;

namespace syscap::tracer {

namespace {

using detail::Skeleton;

// Signals for the workload, received while it runs: the signal, and kFromTerminal when the
// kernel sent it (a terminal's ^C, ^\ or hangup: SI_KERNEL).
constexpr int kFromTerminal = 1 << 16;
std::atomic<int> g_pending_signal{0};
void note_signal(int signo, siginfo_t* info, void*) {
  g_pending_signal.store(signo | (info && info->si_code == SI_KERNEL ? kFromTerminal : 0));
}
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

struct SignalForwarding {
  explicit SignalForwarding(bool on) : on_(on) {
    if (!on_) return;
    struct sigaction sa {};
    sa.sa_sigaction = note_signal;
    sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: waitpid returns EINTR
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kForwarded); ++i) sigaction(kForwarded[i], &sa, &old_[i]);
  }
  ~SignalForwarding() {
    if (!on_) return;
    for (std::size_t i = 0; i < std::size(kForwarded); ++i) sigaction(kForwarded[i], &old_[i], nullptr);
  }
  bool on_;
  struct sigaction old_[std::size(kForwarded)] {};
};

// Every process of the workload still alive gets `signo` (workload_signals.hpp). `tracked`, a
// trie, is read by walking its keys (a batch read of one walks them too), and on kernels without
// the fix of December 2024 a walk whose cursor key is deleted meanwhile (a process exiting) can
// skip keys: two walks, their union signalled.
void signal_workload(const record_bpf& skel, int signo, bool from_terminal) {
  std::set<pid_t> processes;
  for (int walk = 0; walk < 2; ++walk)
    for (const auto& [group, task] :
         detail::read_hash_map<syscap_group_key, syscap_task>(bpf_map__fd(skel.maps.tracked)))
      processes.insert(static_cast<pid_t>(group.tgid));
  detail::signal_processes(std::vector<pid_t>(processes.begin(), processes.end()), signo,
                           from_terminal);  // never syscap itself, were it left there
}

// Starts the workload, tracked from its creation: syscap's own thread group is put in `tracked`
// for the moment, not started (so none of its own calls count), the fork tracepoint gives the
// child a copy of that entry before it runs, and syscap's entry goes once the child has exec'd.
// vfork: the child borrows syscap's memory until its execve, so nothing is copied and no
// handshake is waited for (a fork and a pipe cost 2-3 ms of every start). Returns its pid once
// the execve has succeeded, or the reason it failed (then nothing of the command ran).
Result<pid_t> start_workload(const record_bpf& skel, const std::string& path, const BpfRunOptions& options) {
  std::vector<char*> argv;
  for (const auto& a : options.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) != 0) return fail_errno("create pipe", "", errno);
  const int tracked = bpf_map__fd(skel.maps.tracked);
  const __u32 self = static_cast<__u32>(getpid());
  const syscap_group_key self_key = syscap_group_key_of(self);
  syscap_task task{};
  std::strncpy(task.exe, path.c_str(), sizeof task.exe - 1);
  if (bpf_map_update_elem(tracked, &self_key, &task, BPF_NOEXIST) != 0) {
    const int err = errno;
    close(error_pipe[0]);
    close(error_pipe[1]);
    return fail_errno("track the workload", options.command[0], err);
  }
  // No signal handler of syscap's may run in the child, which shares its memory: every signal
  // is blocked across the vfork, and the child sets the forwarded ones to their defaults before
  // it unblocks them.
  sigset_t all, before;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &before);
  const pid_t parent = static_cast<pid_t>(self);
  const pid_t pid = vfork();
  if (pid == 0) {
    // The workload dies with syscap, as under ptrace's EXITKILL (for its first process: the
    // processes it starts are its own to end).
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (getppid() != parent) _exit(127);
    // The fork tracepoint put this process in `tracked`, or counted it lost (a full map, a
    // failed allocation): then it would run unrecorded, so it does not run.
    syscap_task copy{};
    const syscap_group_key me = syscap_group_key_of(static_cast<__u32>(getpid()));
    if (bpf_map_lookup_elem(tracked, &me, &copy) != 0) {
      detail::ChildFailure failure{detail::ChildFailure::kTrack, errno};
      if (write(error_pipe[1], &failure, sizeof failure) < 0) _exit(126);
      _exit(126);
    }
    for (int s : kForwarded) signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &before, nullptr);
    if (options.workload_stdout_to_stderr) dup2(STDERR_FILENO, STDOUT_FILENO);
    execve(path.c_str(), argv.data(), environ);
    detail::ChildFailure failure{detail::ChildFailure::kExec, errno};
    if (write(error_pipe[1], &failure, sizeof failure) < 0) _exit(126);
    _exit(failure.err == ENOENT ? 127 : 126);
  }
  const int fork_err = errno;
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  // Left in `tracked`, syscap would count as the workload's and be signalled as part of it.
  const bool untracked = bpf_map_delete_elem(tracked, &self_key) == 0;
  const int untrack_err = errno;
  close(error_pipe[1]);
  if (pid < 0) {
    close(error_pipe[0]);
    return fail_errno("fork", options.command[0], fork_err);
  }
  if (!untracked) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    close(error_pipe[0]);
    return fail_errno("stop tracking syscap itself", "pid " + std::to_string(self), untrack_err);
  }
  // The error pipe closed on a successful execve (O_CLOEXEC), or carries the failure.
  if (auto failure = detail::read_child_failure(error_pipe[0], options.command[0], path)) {
    waitpid(pid, nullptr, 0);
    return std::unexpected(*failure);
  }
  return pid;
}

struct WorkloadEnd {
  int leader_status = 0;  // the first process's wait status
  int interrupted_by = 0; // RunResult::interrupted_by
};

// Signals taken synchronously while waiting for the workload: blocked, so that one arriving
// while the loop is busy (reaping, or before the loop began) stays pending instead of being
// noted by a handler between two waitpid() calls and then missed; SIGCHLD at its default, so
// that children are not reaped automatically (a SIG_IGN inherited from our parent would).
class BlockedSignals {
 public:
  explicit BlockedSignals(bool forward) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGCHLD);
    if (forward)
      for (int signo : kForwarded) sigaddset(&set_, signo);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &old_chld_);
    sigprocmask(SIG_BLOCK, &set_, &old_mask_);
  }
  ~BlockedSignals() {
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    sigaction(SIGCHLD, &old_chld_, nullptr);
  }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;
  // The next of them (0 when interrupted by another signal), with kFromTerminal when the kernel
  // sent it.
  int next() const {
    siginfo_t info{};
    const int signo = sigwaitinfo(&set_, &info);
    if (signo < 0) return 0;
    return signo | (info.si_code == SI_KERNEL ? kFromTerminal : 0);
  }

 private:
  sigset_t set_;
  sigset_t old_mask_;
  struct sigaction old_chld_ {};
};

// Waits until the last process of the workload is gone (this process is their subreaper);
// forwards the signals this process gets.
WorkloadEnd wait_for_workload(const record_bpf& skel, pid_t leader, bool forward_signals) {
  WorkloadEnd end;
  bool leader_gone = false;
  int forwarded = 0;
  int signals_seen = 0;
  const BlockedSignals blocked(forward_signals);
  auto forward = [&](int received) {
    ++signals_seen;
    // The third signal ends everything: the workload may ignore the first two.
    forwarded = signals_seen >= 3 ? SIGKILL : received & ~kFromTerminal;
    signal_workload(skel, forwarded, forwarded != SIGKILL && (received & kFromTerminal) != 0);
  };
  // One noted by the handler before the signals were blocked.
  if (const int early = g_pending_signal.exchange(0); early != 0 && forward_signals) forward(early);
  while (true) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);
    if (pid == leader) {
      end.leader_status = status;
      leader_gone = true;
    } else if (pid > 0 && leader_gone && forwarded != 0 && WIFSIGNALED(status) &&
               (WTERMSIG(status) == forwarded || WTERMSIG(status) == SIGKILL)) {
      // The first process had ended; one that outlived it died of the signal sent to syscap.
      end.interrupted_by = WTERMSIG(status);
    }
    if (pid > 0) continue;
    if (pid < 0 && errno == EINTR) continue;
    if (pid < 0) break;  // ECHILD: the last of them is gone
    // Some still run: sleep until one ends (SIGCHLD) or a signal is to be forwarded.
    const int received = blocked.next();
    if (received == 0 || (received & ~kFromTerminal) == SIGCHLD) continue;
    forward(received);
  }
  return end;
}

}  // namespace

namespace detail {

BpfRun collect(const Skeleton& skel, const std::string& checks_unseen, RunResult run,
               const std::vector<std::string>& command) {
  BpfRun r;
  r.run = run;
  r.trace.command = command;
  r.trace.kernel = kernel_release();
  r.trace.machine_arch = native_scmp_arch();
  r.trace.exit = r.run.exit;
  r.trace.processes = r.run.processes;
  r.trace.duration_ms = r.run.duration_ms;
  r.trace.syscalls = detail::read_syscalls(*skel);
  r.incomplete = detail::read_losses(*skel);
  if (checks_unseen.empty())
    r.trace.kernel_checks = detail::read_kernel_checks(*skel);
  else
    r.trace.kernel_checks_unseen = checks_unseen;
  return r;
}

}  // namespace detail

using detail::collect;

Result<BpfEngine> BpfEngine::load(BpfTarget target) {
  auto program = detail::load_program(target == BpfTarget::Container ? detail::ProgramUse::RecordContainer
                                                                      : detail::ProgramUse::RecordCommand);
  if (!program) return std::unexpected(program.error());
  return BpfEngine(
      std::make_unique<Loaded>(Loaded{std::move(program->skel), std::move(program->checks_unseen), target, false}));
}

BpfEngine::BpfEngine(std::unique_ptr<Loaded> loaded) : loaded_(std::move(loaded)) {}
BpfEngine::BpfEngine(BpfEngine&&) noexcept = default;
BpfEngine& BpfEngine::operator=(BpfEngine&&) noexcept = default;
BpfEngine::~BpfEngine() = default;

std::string BpfEngine::capability_checks_unseen() const { return loaded_->checks_unseen; }

void BpfEngine::release_after_exit() {
  if (!loaded_ || !loaded_->skel) return;
  // The links alone: they hold the programs, which hold the maps. Detaching them is the costly
  // part (the tracepoints' code patched back); the rest goes with them.
  const bpf_object_skeleton& skeleton = *loaded_->skel->skeleton;
  std::vector<int> links;
  for (int i = 0; i < skeleton.prog_cnt; ++i)
    if (bpf_link* link = *skeleton.progs[i].link) links.push_back(bpf_link__fd(link));
  record_bpf* skel = loaded_->skel.release();
  detail::hold_until_exit(std::move(links), [skel] { detail::SkeletonDeleter{}(skel); });
}

std::string bpf_engine_unavailable() {
  auto engine = BpfEngine::load();
  return engine ? "" : engine.error().message();
}

Result<BpfRun> BpfEngine::run(const BpfRunOptions& options) {
  if (options.command.empty()) return fail("run", "", "no command", EINVAL);
  if (loaded_->target != BpfTarget::Command)
    return fail("run", options.command[0], "this BPF engine was loaded to follow a container", EINVAL);
  // The maps hold one run's counts: a second run would add to them.
  if (loaded_->used) return fail("run", options.command[0], "this BPF engine has recorded a run already", EBUSY);
  loaded_->used = true;
  auto path = find_command(options.command[0]);
  if (!path) return std::unexpected(path.error());
  Skeleton& skel = loaded_->skel;
  // Daemons that leave their parent are re-parented to us, so we can wait for them too.
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  SignalForwarding forwarding(options.forward_signals);
  const auto start = std::chrono::steady_clock::now();
  auto leader = start_workload(*skel, *path, options);
  if (!leader) return std::unexpected(leader.error());
  const WorkloadEnd ended = wait_for_workload(*skel, *leader, options.forward_signals);
  const auto end = std::chrono::steady_clock::now();

  RunResult run;
  run.exit = ExitStatus::from_wait_status(ended.leader_status);
  run.interrupted_by = ended.interrupted_by;
  run.pid = *leader;
  run.processes = skel->bss->tasks_seen;  // the first process too: the fork tracepoint saw it
  run.duration_ms = std::chrono::duration<double, std::milli>(end - start).count();
  return collect(loaded_->skel, loaded_->checks_unseen, run, options.command);
}

Result<void> BpfEngine::follow_container(const std::string& container_id) {
  if (loaded_->target != BpfTarget::Container)
    return fail("follow container", container_id, "this BPF engine was loaded to run a command", EINVAL);
  if (loaded_->used) return fail("follow container", container_id, "this BPF engine has recorded a run already", EBUSY);
  auto watched = detail::watch_container_cgroup(loaded_->skel, container_id, SYSCAP_CONTAINER_FIRST);
  if (watched) loaded_->used = true;
  return watched;
}

namespace detail {

Result<void> watch_container_cgroup(Skeleton& skel, const std::string& container_id, unsigned mode) {
  const bool full_id = container_id.size() == SYSCAP_CONTAINER_ID_LEN &&
                       container_id.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!full_id) return fail("follow container", container_id, "not a full container id (64 hex digits)", EINVAL);
  auto* bss = skel->bss;
  static_assert(sizeof bss->container_id == SYSCAP_CONTAINER_ID_LEN);
  std::memcpy(bss->container_id, container_id.data(), SYSCAP_CONTAINER_ID_LEN);
  // The id must be in place before the program can see the mode on.
  __atomic_store_n(&bss->container_mode, mode, __ATOMIC_RELEASE);
  return {};
}

}  // namespace detail

Result<BpfRun> BpfEngine::container_recording(const ContainerEnd& end) {
  const auto* bss = loaded_->skel->bss;
  const std::string what = end.command.empty() ? "" : end.command[0];
  if (loaded_->target != BpfTarget::Container || !bss->container_mode)
    return fail("record container", what, "no container was followed", EINVAL);
  if (bss->container_tgid == 0)
    return fail("record container", what,
                "no process of the container was seen starting: it never ran its command (exit status " +
                    std::to_string(end.exit_status) +
                    "), or its engine runs on another kernel than this one (a remote or virtual-machine engine)",
                ESRCH);
  RunResult run;
  run.exit.code = end.exit_status;
  run.pid = static_cast<pid_t>(bss->container_tgid);
  run.processes = bss->tasks_seen;  // the container's first process is counted when it starts
  run.duration_ms = end.duration_ms;
  return collect(loaded_->skel, loaded_->checks_unseen, run, end.command);
}

}  // namespace syscap::tracer
