// The ptrace engine attached to running processes (`record --pid`), as `strace -p` attaches:
// PTRACE_SEIZE of every thread, PTRACE_INTERRUPT to get each into a stop, then PTRACE_SYSCALL
// (a stop at each syscall entry and exit: a running process cannot be given the seccomp
// filter). At the end every thread is interrupted and detached where it stops, with the signal
// it was about to get, so the processes run on as before. No PTRACE_O_EXITKILL: if syscap
// dies, the kernel detaches them and they run on.
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <spdlog/spdlog.h>
#include <string>
#include <unordered_map>

#include "signal_scope.hpp"
#include "syscall_info.hpp"
#include "syscap/proc_status.hpp"
#include "syscap/tracer/attach.hpp"

namespace syscap::tracer {

namespace {

constexpr unsigned long kAttachOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
                                         PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;

bool is_stop_signal(int sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

struct AttachedTask {
  std::uint64_t exit_observers = 0;  // bit i: observer i wants this call's exit
  std::optional<tables::Arch> arch;
  std::int64_t nr = 0;
};

class AttachLoop {
 public:
  explicit AttachLoop(const AttachOptions& options) : options_(options) {}

  // Seizes every thread of `pid`, again until a pass finds no new one (threads created while
  // attaching). Error: a thread that exists cannot be seized.
  Result<void> seize(pid_t pid);
  // Until every task is gone, or (after the duration or a signal) every task is detached.
  void run(std::chrono::steady_clock::time_point start);
  // Interrupts every task; each is detached at its next stop (run() or detach_all()).
  void stop_recording();
  // After a failed seize: detach what was seized.
  void detach_all() {
    stop_recording();
    run(std::chrono::steady_clock::now());
  }

  std::uint64_t processes() const { return processes_; }
  bool signalled() const { return signalled_; }
  bool timed_out() const { return timed_out_; }

 private:
  void on_stop(pid_t pid, int status);
  void on_syscall_stop(pid_t pid, AttachedTask& task);
  void resume(pid_t pid, int sig) {
    if (ptrace(PTRACE_SYSCALL, pid, nullptr, sig) != 0 && errno != ESRCH)
      spdlog::warn("ptrace(PTRACE_SYSCALL) pid {}: {}", pid, std::strerror(errno));
  }
  void detach(pid_t pid, int sig) {
    if (ptrace(PTRACE_DETACH, pid, nullptr, sig) != 0 && errno != ESRCH)
      spdlog::warn("ptrace(PTRACE_DETACH) pid {}: {}", pid, std::strerror(errno));
    tasks_.erase(pid);
  }

  const AttachOptions& options_;
  std::unordered_map<pid_t, AttachedTask> tasks_;
  std::uint64_t processes_ = 0;
  bool stopping_ = false, signalled_ = false, timed_out_ = false;
};

Result<void> AttachLoop::seize(pid_t pid) {
  const std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  for (bool found_new = true; found_new;) {
    found_new = false;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(task_dir, ec)) {
      const pid_t tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
      if (tasks_.contains(tid)) continue;
      if (ptrace(PTRACE_SEIZE, tid, nullptr, kAttachOptions) != 0) {
        const int err = errno;
        if (err == ESRCH) continue;  // the thread ended meanwhile
        std::string why = std::strerror(err);
        if (const auto tracer = status_number(tid, "TracerPid"); tracer && *tracer != 0)
          why = "it is traced already (by pid " + std::to_string(*tracer) + ")";
        else if (err == EPERM)
          why = "not permitted (another user's process needs CAP_SYS_PTRACE; see also "
                "/proc/sys/kernel/yama/ptrace_scope)";
        return fail("attach to", "pid " + std::to_string(pid) + (tid != pid ? " thread " + std::to_string(tid) : ""),
                    why, err);
      }
      tasks_.emplace(tid, AttachedTask{});
      ++processes_;
      found_new = true;
      if (ptrace(PTRACE_INTERRUPT, tid, nullptr, 0) != 0 && errno != ESRCH)
        spdlog::warn("ptrace(PTRACE_INTERRUPT) pid {}: {}", tid, std::strerror(errno));
    }
    if (ec) return fail("attach to", "pid " + std::to_string(pid), "no such process (" + ec.message() + ")", ESRCH);
  }
  return {};
}

void AttachLoop::stop_recording() {
  if (stopping_) return;
  stopping_ = true;
  for (const auto& [tid, task] : tasks_)
    if (ptrace(PTRACE_INTERRUPT, tid, nullptr, 0) != 0 && errno != ESRCH)
      spdlog::warn("ptrace(PTRACE_INTERRUPT) pid {}: {}", tid, std::strerror(errno));
}

void AttachLoop::on_syscall_stop(pid_t pid, AttachedTask& task) {
  SeccompStop entry{};
  entry.pid = pid;
  SyscallExit exit{pid, task.arch, task.nr, 0, false};
  bool at_entry = false;
  const auto got = detail::fetch_syscall_stop(pid, entry, exit, at_entry);
  if (got == detail::FetchResult::Gone) return;
  if (got != detail::FetchResult::Ok) {
    spdlog::warn("syscall stop pid {}: cannot read the syscall: {}", pid, std::strerror(errno));
  } else if (at_entry) {
    task.exit_observers = 0;
    const auto& observers = options_.observers;
    for (std::size_t i = 0; i < observers.size(); ++i)
      if (observers[i]->on_syscall(entry) == Resume::ReportExit) task.exit_observers |= 1ull << i;
    task.arch = entry.arch;
    task.nr = entry.nr;
  } else if (task.exit_observers) {
    const auto& observers = options_.observers;
    for (std::size_t i = 0; i < observers.size(); ++i)
      if (task.exit_observers & (1ull << i)) observers[i]->on_syscall_exit(exit);
    task.exit_observers = 0;
  }
  resume(pid, 0);
}

void AttachLoop::on_stop(pid_t pid, int status) {
  auto [it, inserted] = tasks_.try_emplace(pid);
  if (inserted) {
    // A thread or process started by an attached one (auto-attached by the trace options).
    ++processes_;
    for (auto* o : options_.observers) o->on_task_start(pid);
  }
  const int sig = WSTOPSIG(status);
  const unsigned event = static_cast<unsigned>(status) >> 16;
  if (stopping_) {
    // Detached where it stands; a signal it was about to get is delivered, a group-stop kept.
    detach(pid, event == 0 && sig != (SIGTRAP | 0x80) ? sig : 0);
    return;
  }
  switch (event) {
    case 0:
      if (sig == (SIGTRAP | 0x80))
        on_syscall_stop(pid, it->second);
      else
        resume(pid, sig);  // signal-delivery-stop: the signal passes on, unchanged
      break;
    case PTRACE_EVENT_EXEC: {
      unsigned long former = static_cast<unsigned long>(pid);
      ptrace(PTRACE_GETEVENTMSG, pid, nullptr, &former);
      if (static_cast<pid_t>(former) != pid) tasks_.erase(static_cast<pid_t>(former));
      for (auto* o : options_.observers) o->on_exec(pid, static_cast<pid_t>(former));
      resume(pid, 0);
      break;
    }
    case PTRACE_EVENT_STOP:
      // A group-stop stays a stop (job control still sees it); else our interrupt, or a new task.
      if (is_stop_signal(sig)) {
        if (ptrace(PTRACE_LISTEN, pid, nullptr, 0) != 0 && errno != ESRCH)
          spdlog::warn("ptrace(PTRACE_LISTEN) pid {}: {}", pid, std::strerror(errno));
      } else {
        resume(pid, 0);
      }
      break;
    default:  // clone, fork, vfork: the new task reports its own first stop
      resume(pid, 0);
      break;
  }
}

void AttachLoop::run(std::chrono::steady_clock::time_point start) {
  while (!tasks_.empty()) {
    if (!stopping_ && detail::g_signals_received != 0) {
      signalled_ = true;
      stop_recording();
    }
    if (!stopping_ && options_.duration.count() > 0 && std::chrono::steady_clock::now() - start >= options_.duration) {
      timed_out_ = true;
      stop_recording();
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, __WALL);
    if (pid < 0) {
      if (errno == EINTR) continue;  // a signal or the tick: look at the flags
      if (errno == ECHILD) break;
      spdlog::warn("waitpid: {}", std::strerror(errno));
      break;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      tasks_.erase(pid);
      for (auto* o : options_.observers) o->on_task_exit(pid, status);
      continue;
    }
    if (WIFSTOPPED(status)) on_stop(pid, status);
  }
}

}  // namespace

Result<AttachResult> attach_traced(const AttachOptions& options) {
  if (options.observers.size() > 64) return fail("attach", "", "more than 64 observers", EINVAL);
  auto targets = attach_targets(options.pids, options.listed);
  if (!targets) return std::unexpected(targets.error());
  // Noted, never passed on (they end the recording, not the processes); the tick wakes
  // waitpid to look at the clock.
  detail::SignalScope signals(/*forward=*/true, std::chrono::milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  const auto from = std::chrono::system_clock::now();
  AttachLoop loop(options);
  for (const auto& t : *targets) {
    for (auto* o : options.observers) o->on_attach(t.pid);
    auto seized = loop.seize(t.pid);
    if (!seized && options.listed && seized.error().sys_errno == ESRCH && t.pid != targets->front().pid) continue;
    if (!seized) {
      loop.detach_all();
      return std::unexpected(seized.error());
    }
  }
  loop.run(start);
  AttachResult r;
  r.command = targets->front().argv;
  r.processes = loop.processes();
  r.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (const auto& t : *targets) r.window.pids.push_back(t.pid);
  r.window.from = iso8601_utc(from);
  r.window.to = iso8601_utc(std::chrono::system_clock::now());
  r.window.ended_by = detail::window_end(loop.signalled(), loop.timed_out());
  return r;
}

}  // namespace syscap::tracer
