#include "syscap/test/ia32.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace syscap::test {
namespace {

constexpr int kExecFailed = 120;  // the child's exit code when execve itself failed

// How a probe child ended, in words, or "" when it exited 0.
std::string describe_failure(int status, int exec_errno) {
  if (WIFSIGNALED(status)) {
    const char* abbrev = sigabbrev_np(WTERMSIG(status));
    return abbrev ? std::string("killed by SIG") + abbrev : "killed by signal " + std::to_string(WTERMSIG(status));
  }
  if (!WIFEXITED(status)) return "did not finish";
  if (WEXITSTATUS(status) == 0) return "";
  if (WEXITSTATUS(status) == kExecFailed && exec_errno != 0)
    return std::string("execve: ") + strerrorname_np(exec_errno) + " (" + std::strerror(exec_errno) + ")";
  return "exit status " + std::to_string(WEXITSTATUS(status));
}

std::string probe_exec(const std::string& binary) {
  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  const pid_t pid = fork();
  if (pid == 0) {
    char* const argv[] = {const_cast<char*>(binary.c_str()), nullptr};
    char* const envp[] = {nullptr};
    execve(binary.c_str(), argv, envp);
    const int err = errno;
    (void)!write(errpipe[1], &err, sizeof err);
    _exit(kExecFailed);
  }
  close(errpipe[1]);
  int exec_errno = 0;
  if (read(errpipe[0], &exec_errno, sizeof exec_errno) != sizeof exec_errno) exec_errno = 0;
  close(errpipe[0]);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return "could not start the probe";
  return describe_failure(status, exec_errno);
}

std::string probe_int80() {
  const pid_t pid = fork();
  if (pid == 0) {
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");  // i386 getpid
    _exit(ret == getpid() ? 0 : 1);
#else
    _exit(2);
#endif
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return "could not start the probe";
#if !defined(__x86_64__)
  return "not an x86_64 machine";
#endif
  if (WIFEXITED(status) && WEXITSTATUS(status) == 1) return "i386 getpid returned a wrong value";
  return describe_failure(status, 0);
}

}  // namespace

Ia32Probe probe_ia32(const std::string& i386_binary) { return {probe_exec(i386_binary), probe_int80()}; }

const Ia32Probe& machine_ia32() {
  static const Ia32Probe probe = probe_ia32(SYSCAP_IA32_PROBE_BINARY);
  return probe;
}

std::optional<std::string> ia32_skip_reason(const Ia32Probe& probe, Ia32Form form) {
  const std::string& failure = form == Ia32Form::Exec ? probe.exec_failure : probe.int80_failure;
  if (failure.empty()) return std::nullopt;
  const char* what = form == Ia32Form::Exec ? "exec of a static i386 binary" : "int $0x80 from a 64-bit process";
  return std::string("this kernel runs no 32-bit x86 code (IA32 emulation not built in or switched off): ") +
         what + " failed: " + failure;
}

}  // namespace syscap::test
