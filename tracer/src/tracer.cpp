// The ptrace event loop: one switch on the kind of stop, each case handed to a named handler.
#include "syscap/tracer/tracer.hpp"

#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <set>
#include <spdlog/spdlog.h>
#include <string>
#include <string_view>
#include <unordered_map>

#include "signal_scope.hpp"
#include "spawn.hpp"
#include "workload_signals.hpp"
#include "syscap/proc_status.hpp"
#include "syscap/command_path.hpp"
#include "syscall_info.hpp"
#include "thread_placement.hpp"
#include "untraced_clone.hpp"

namespace syscap::tracer {

namespace {

using detail::g_last_from_terminal;
using detail::g_last_signal;
using detail::signal_processes;
using detail::g_signals_received;
using detail::g_tick_due;
using detail::SignalScope;

constexpr unsigned long kPtraceOptions =
    PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
    PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT |
    PTRACE_O_TRACESYSGOOD;  // syscall-exit stops (asked for by observers) report SIGTRAP|0x80

// The thread group (process) a traced thread belongs to, from /proc; 0 when it is gone.
pid_t thread_group_of(pid_t tid) { return static_cast<pid_t>(status_number(tid, "Tgid").value_or(0)); }

bool is_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// Per-thread state; most tasks never need more than their entry.
struct Task {
  std::uint64_t exit_observers = 0;  // bit i: observer i wants this call's exit
  std::optional<tables::Arch> arch;  // of the call whose exit is awaited
  std::int64_t nr = 0;
};

class EventLoop {
 public:
  EventLoop(const TracerOptions& options, pid_t root)
      : options_(options), root_(root), placement_(options.cpu_placement) {
    tasks_.reserve(64);
    tasks_.emplace(root, Task{});
  }

  // Runs until no tracee is left. Returns the root's wait status.
  Result<int> run(std::chrono::steady_clock::time_point start);
  std::uint64_t processes() const { return processes_; }
  // RunResult::interrupted_by: set when the root had exited before the first signal was
  // forwarded, and a process that outlived it then died of a signal.
  int interrupted_by() const { return interrupted_by_; }
  void place_root() { placement_.task_started(root_); }

 private:
  void on_seccomp(pid_t pid, Task& task);
  void on_syscall_exit(pid_t pid, Task& task);
  void on_new_task_event(pid_t pid, Task& task);
  void on_exec(pid_t pid, Task& task);
  void on_ptrace_stop(pid_t pid, Task& task, int sig);
  void on_gone(pid_t pid, int status);
  void resume(pid_t pid, const Task& task, int sig);
  void ptrace_failed(const char* what, pid_t pid);
  void kill_all();
  void forward_signals();

  const TracerOptions& options_;
  pid_t root_;
  std::unordered_map<pid_t, Task> tasks_;
  std::uint64_t processes_ = 1;
  bool use_regs_ = false;
  std::optional<int> root_status_;
  bool killed_all_ = false;
  sig_atomic_t signals_forwarded_ = 0;  // how many of g_signals_received the loop has acted on
  bool root_gone_before_signals_ = false;
  int interrupted_by_ = 0;
  detail::ThreadPlacement placement_;  // sees task starts, exits and syscall entries
  detail::UntracedCloneGuard untraced_clones_;
};

void EventLoop::ptrace_failed(const char* what, pid_t pid) {
  // ESRCH: the tracee died (e.g. SIGKILL) between its stop and our call; its exit follows.
  if (errno == ESRCH)
    spdlog::debug("{} pid {}: tracee gone", what, pid);
  else
    spdlog::warn("{} pid {}: {}", what, pid, std::strerror(errno));
}

void EventLoop::resume(pid_t pid, const Task& task, int sig) {
  const auto request = task.exit_observers ? PTRACE_SYSCALL : PTRACE_CONT;
  if (ptrace(request, pid, nullptr, sig) != 0) ptrace_failed("ptrace(resume)", pid);
}

void EventLoop::on_seccomp(pid_t pid, Task& task) {
  SeccompStop stop{};
  stop.pid = pid;
  auto got = detail::fetch_seccomp_stop(pid, use_regs_, stop);
  if (got == detail::FetchResult::Unsupported && !use_regs_) {
    spdlog::debug("PTRACE_GET_SYSCALL_INFO unsupported; reading registers");
    use_regs_ = true;
    got = detail::fetch_seccomp_stop(pid, use_regs_, stop);
  }
  if (got == detail::FetchResult::Gone) {
    spdlog::debug("seccomp stop pid {}: tracee gone", pid);
    return;
  }
  if (got == detail::FetchResult::Ok) {
    placement_.syscall_entry(pid, stop.arch, stop.nr, stop.args);
    const auto& observers = options_.observers;
    for (std::size_t i = 0; i < observers.size(); ++i)
      if (observers[i]->on_syscall(stop) == Resume::ReportExit) task.exit_observers |= 1ull << i;
    if (task.exit_observers) {
      task.arch = stop.arch;
      task.nr = stop.nr;
    }
    // After the observers, which record the flags the workload really passes (a profile must
    // allow those).
    untraced_clones_.at_syscall_entry(stop);
  } else {
    spdlog::warn("seccomp stop pid {}: cannot read the syscall: {}", pid, std::strerror(errno));
  }
  resume(pid, task, 0);
}

void EventLoop::on_syscall_exit(pid_t pid, Task& task) {
  if (task.exit_observers) {
    SyscallExit exit{pid, task.arch, task.nr, 0, false};
    auto got = detail::fetch_syscall_exit(pid, use_regs_, exit);
    if (got == detail::FetchResult::Gone) return;
    if (got == detail::FetchResult::Ok) {
      const auto& observers = options_.observers;
      for (std::size_t i = 0; i < observers.size(); ++i)
        if (task.exit_observers & (1ull << i)) observers[i]->on_syscall_exit(exit);
    }
    task.exit_observers = 0;
  }
  resume(pid, task, 0);
}

void EventLoop::on_new_task_event(pid_t pid, Task& task) {
  // The new task is counted here; it is added to tasks_ at its own first stop, which may come
  // before or after this event.
  ++processes_;
  if (placement_.enabled()) {
    unsigned long child = 0;
    if (ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &child) == 0 && child != 0)
      placement_.task_created(pid, static_cast<pid_t>(child));
  }
  resume(pid, task, 0);
}

void EventLoop::on_exec(pid_t pid, Task& task) {
  unsigned long former = static_cast<unsigned long>(pid);
  if (ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &former) != 0) {
    ptrace_failed("ptrace(PTRACE_GETEVENTMSG)", pid);
  }
  const pid_t former_tid = static_cast<pid_t>(former);
  if (former_tid != pid) {
    // A non-leader thread exec'd: it now has the leader's id, its old id vanishes without an
    // exit report, and any exit stop it awaited is still ahead of it under the new id.
    auto it = tasks_.find(former_tid);
    if (it != tasks_.end()) {
      task.exit_observers = it->second.exit_observers;
      task.arch = it->second.arch;
      task.nr = it->second.nr;
      tasks_.erase(it);
    }
    placement_.task_exec(former_tid, pid);
  }
  for (auto* o : options_.observers) o->on_exec(pid, former_tid);
  resume(pid, task, 0);
}

void EventLoop::on_ptrace_stop(pid_t pid, Task& task, int sig) {
  if (is_stop_signal(sig)) {
    // Group-stop: stay stopped (so job control and the real parent's waitpid see it) but let
    // us hear about SIGCONT.
    if (ptrace(PTRACE_LISTEN, pid, nullptr, 0) != 0) ptrace_failed("ptrace(PTRACE_LISTEN)", pid);
  } else {
    // The first stop of an auto-attached task, or the end of a group-stop (SIGTRAP).
    resume(pid, task, 0);
  }
}

void EventLoop::on_gone(pid_t pid, int status) {
  if (root_gone_before_signals_ && !interrupted_by_ && WIFSIGNALED(status)) interrupted_by_ = WTERMSIG(status);
  tasks_.erase(pid);
  placement_.task_gone(pid);
  for (auto* o : options_.observers) o->on_task_exit(pid, status);
  if (pid == root_) root_status_ = status;
}

void EventLoop::kill_all() {
  killed_all_ = true;
  for (const auto& [pid, task] : tasks_) kill(pid, SIGKILL);
}

void EventLoop::forward_signals() {
  const sig_atomic_t received = g_signals_received;
  if (received == signals_forwarded_) return;
  if (signals_forwarded_ == 0) root_gone_before_signals_ = root_status_.has_value();
  signals_forwarded_ = received;
  if (received >= 3) {
    if (!killed_all_) {
      spdlog::debug("third signal: killing every tracee");
      kill_all();
    }
    return;
  }
  // Every process of the workload, not only the first: a shell waiting for its child would
  // otherwise wait out the child, and processes that outlive the first would never hear of it.
  const int sig = g_last_signal;
  std::vector<pid_t> processes;
  for (const auto& [tid, task] : tasks_) processes.push_back(thread_group_of(tid));
  const std::size_t sent = signal_processes(processes, sig, g_last_from_terminal);
  spdlog::debug("forwarded {} to {} processes", signal_name(sig), sent);
}

Result<int> EventLoop::run(std::chrono::steady_clock::time_point start) {
  for (;;) {
    if (g_tick_due) {
      g_tick_due = 0;
      if (options_.on_tick) options_.on_tick({std::chrono::steady_clock::now() - start, tasks_.size()});
    }
    if (g_signals_received != signals_forwarded_) forward_signals();

    int status = 0;
    const pid_t pid = waitpid(-1, &status, __WALL);
    if (pid < 0) {
      if (errno == EINTR) continue;
      if (errno == ECHILD) break;
      return fail_errno("waitpid", "tracees", errno);
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      on_gone(pid, status);
      continue;
    }
    if (!WIFSTOPPED(status)) continue;

    auto [it, inserted] = tasks_.try_emplace(pid);
    Task& task = it->second;
    if (inserted) {
      for (auto* o : options_.observers) o->on_task_start(pid);
      placement_.task_started(pid);
      if (killed_all_) kill(pid, SIGKILL);  // born after the third signal (or before it, unseen)
    }

    const int sig = WSTOPSIG(status);
    switch (static_cast<unsigned>(status) >> 16) {
      case PTRACE_EVENT_SECCOMP:
        on_seccomp(pid, task);
        break;
      case PTRACE_EVENT_CLONE:
      case PTRACE_EVENT_FORK:
      case PTRACE_EVENT_VFORK:
        on_new_task_event(pid, task);
        break;
      case PTRACE_EVENT_EXEC:
        on_exec(pid, task);
        break;
      case PTRACE_EVENT_STOP:
        on_ptrace_stop(pid, task, sig);
        break;
      case 0:
        if (sig == (SIGTRAP | 0x80)) {
          on_syscall_exit(pid, task);
        } else {
          resume(pid, task, sig);  // signal-delivery-stop: pass the signal on, unchanged
        }
        break;
      default:  // PTRACE_EVENT_EXIT, PTRACE_EVENT_VFORK_DONE: nothing to learn
        resume(pid, task, 0);
        break;
    }
  }
  if (!root_status_) {
    spdlog::warn("the exit status of pid {} was never reported", root_);
    return 255 << 8;
  }
  return *root_status_;
}

}  // namespace

Result<RunResult> run_traced(const TracerOptions& options) {
  if (options.command.empty()) return fail("run", "", "no command given", EINVAL);
  if (options.observers.size() > 64) return fail("run", "", "more than 64 observers", EINVAL);
  auto path = find_command(options.command[0]);
  if (!path) return std::unexpected(path.error());

  const bool tick = static_cast<bool>(options.on_tick);
  SignalScope signals(options.forward_signals, tick ? options.tick : std::chrono::milliseconds(0));
  const auto start = std::chrono::steady_clock::now();
  auto child = detail::spawn_seized(*path, options.command, kPtraceOptions, options.workload_stdout_to_stderr);
  if (!child) return std::unexpected(child.error());

  EventLoop loop(options, child->pid);
  loop.place_root();
  auto status = loop.run(start);
  const auto end = std::chrono::steady_clock::now();
  if (auto failure = detail::read_child_failure(child->error_fd, options.command[0], *path))
    return std::unexpected(*failure);
  if (!status) return std::unexpected(status.error());

  RunResult r;
  r.exit = ExitStatus::from_wait_status(*status);
  r.processes = loop.processes();
  r.duration_ms = std::chrono::duration<double, std::milli>(end - start).count();
  r.pid = child->pid;
  r.interrupted_by = loop.interrupted_by();
  return r;
}

}  // namespace syscap::tracer
