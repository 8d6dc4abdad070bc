// Which processes `record --pid` attaches to, read from /proc when attaching.
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "syscap/proc_status.hpp"
#include "syscap/tracer/attach.hpp"

namespace syscap::tracer {

namespace {

// PF_KTHREAD in the flags field (the 9th) of /proc/PID/stat.
constexpr unsigned long kKernelThreadFlag = 0x00200000;

bool is_kernel_thread(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // After "(comm)", which may hold spaces and parentheses: state ppid pgrp session tty tpgid flags.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(text.substr(close + 1));
  std::string skip;
  unsigned long flags = 0;
  for (int i = 0; i < 6; ++i) fields >> skip;
  fields >> flags;
  return (flags & kKernelThreadFlag) != 0;
}

std::vector<std::string> cmdline_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::vector<std::string> argv;
  std::string word;
  while (std::getline(in, word, '\0')) argv.push_back(word);
  return argv;
}

}  // namespace

Result<std::vector<AttachTarget>> attach_targets(const std::vector<pid_t>& pids, bool listed) {
  if (pids.empty()) return fail("attach", "", "no process given", EINVAL);
  std::vector<AttachTarget> targets;
  for (const pid_t given : pids) {
    const std::string name = "pid " + std::to_string(given);
    if (given <= 0) return fail("attach to", name, "not a process id", EINVAL);
    const auto tgid = status_number(given, "Tgid");
    if (!tgid && listed && given != pids.front()) continue;  // ended since it was listed
    if (!tgid) return fail("attach to", name, "no such process", ESRCH);
    const pid_t pid = static_cast<pid_t>(*tgid);
    if (pid == getpid()) return fail("attach to", name, "that is syscap itself", EINVAL);
    if (is_kernel_thread(pid)) return fail("attach to", name, "a kernel thread has no syscalls to record", EPERM);
    bool seen = false;
    for (const auto& t : targets) seen = seen || t.pid == pid;
    if (seen) continue;
    AttachTarget target;
    target.pid = pid;
    std::error_code ec;
    target.exe = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
    target.argv = cmdline_of(pid);
    if (target.argv.empty()) target.argv.push_back(target.exe.empty() ? name : target.exe);
    targets.push_back(std::move(target));
  }
  return targets;
}

namespace detail {
std::string window_end(bool signalled, bool timed_out) {
  return signalled ? "signal" : timed_out ? "duration" : "exit";
}
}  // namespace detail

}  // namespace syscap::tracer
