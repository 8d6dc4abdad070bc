#include "spawn.hpp"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iterator>
#include <optional>

#include "syscap/output_file.hpp"
#include "syscap/tables/exec_format.hpp"
#include "syscap/tracer/seccomp_filter.hpp"

extern char** environ;

namespace syscap::tracer::detail {

namespace {

// Signals whose handlers the tracer installs; the child must not run them.
constexpr int kHandled[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM};

// Runs in the forked child: only async-signal-safe calls, everything allocated beforehand.
[[noreturn]] void child_main(int sync_fd, int error_fd, const sigset_t& original_mask,
                             const char* path, char* const argv[], const sock_fprog& prog,
                             bool stdout_to_stderr) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s : kHandled) sigaction(s, &dfl, nullptr);
  sigprocmask(SIG_SETMASK, &original_mask, nullptr);

  // Wait until the parent has seized us, so the filter's first stop already has a tracer
  // (an untraced SECCOMP_RET_TRACE fails the call with ENOSYS).
  char go = 0;
  ssize_t n;
  do {
    n = read(sync_fd, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) _exit(127);
  close(sync_fd);

  if (stdout_to_stderr) dup2(STDERR_FILENO, STDOUT_FILENO);
  ChildFailure failure{ChildFailure::kNoNewPrivs, 0};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    failure = {ChildFailure::kNoNewPrivs, errno};
  } else if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0 &&
             prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    failure = {ChildFailure::kFilter, errno};
  } else {
    execve(path, argv, environ);
    failure = {ChildFailure::kExec, errno};
  }
  write_all(error_fd, {reinterpret_cast<const char*>(&failure), sizeof failure});
  _exit(failure.err == ENOENT ? 127 : 126);
}

}  // namespace

Result<SpawnedChild> spawn_seized(const std::string& path, const std::vector<std::string>& argv,
                                  unsigned long ptrace_options, bool stdout_to_stderr) {
  // Everything the child needs is built before fork.
  std::vector<sock_filter> filter = build_trace_all_filter();
  sock_fprog prog{static_cast<unsigned short>(filter.size()), filter.data()};
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);

  int sync_pipe[2], error_pipe[2];
  if (pipe2(sync_pipe, O_CLOEXEC) != 0) return fail_errno("create pipe", "", errno);
  if (pipe2(error_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    close(sync_pipe[0]);
    close(sync_pipe[1]);
    return fail_errno("create pipe", "", err);
  }

  sigset_t block, original;
  sigemptyset(&block);
  for (int s : kHandled) sigaddset(&block, s);
  sigprocmask(SIG_BLOCK, &block, &original);
  pid_t pid = fork();
  if (pid == 0) {
    close(sync_pipe[1]);
    close(error_pipe[0]);
    child_main(sync_pipe[0], error_pipe[1], original, path.c_str(), cargv.data(), prog, stdout_to_stderr);
  }
  int fork_err = errno;
  sigprocmask(SIG_SETMASK, &original, nullptr);
  close(sync_pipe[0]);
  close(error_pipe[1]);
  if (pid < 0) {
    close(sync_pipe[1]);
    close(error_pipe[0]);
    return fail_errno("fork", argv.empty() ? path : argv[0], fork_err);
  }

  if (ptrace(PTRACE_SEIZE, pid, nullptr, ptrace_options) != 0) {
    int err = errno;
    kill(pid, SIGKILL);
    close(sync_pipe[1]);
    close(error_pipe[0]);
    waitpid(pid, nullptr, 0);
    return fail_errno("ptrace(PTRACE_SEIZE)", "pid " + std::to_string(pid), err);
  }
  write_all(sync_pipe[1], "g");
  close(sync_pipe[1]);
  return SpawnedChild{pid, error_pipe[0]};
}

std::optional<Error> read_child_failure(int error_fd, const std::string& command, const std::string& path) {
  ChildFailure failure{};
  ssize_t n;
  do {
    n = read(error_fd, &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  close(error_fd);
  if (n != static_cast<ssize_t>(sizeof failure)) return std::nullopt;
  static constexpr const char* kStages[] = {"prctl(PR_SET_NO_NEW_PRIVS)", "install seccomp filter", "execute",
                                            "track the workload in the BPF engine"};
  const bool known = failure.stage >= 0 && failure.stage < static_cast<int>(std::size(kStages));
  Error error{kStages[known ? failure.stage : ChildFailure::kExec], command,
              std::strerror(failure.err), failure.err};
  // An exec format error says why in one more line (an i386 program on a kernel without IA32).
  if (failure.err == ENOEXEC) error.hint = tables::exec_format_hint(path);
  return error;
}

}  // namespace syscap::tracer::detail
