#include "workload_signals.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "syscap/proc_status.hpp"
#include "syscap/tracer/trace.hpp"

namespace syscap::tracer::detail {

std::vector<pid_t> parents_first(std::vector<pid_t> pids, const std::function<std::optional<pid_t>(pid_t)>& parent_of) {
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  std::map<pid_t, std::optional<pid_t>> parent;
  for (pid_t pid : pids) parent[pid] = parent_of(pid);
  // Depth: how many of its ancestors are among `pids` (at most all the others: a loop stops).
  std::map<pid_t, std::size_t> depth;
  for (pid_t pid : pids) {
    std::size_t d = 0;
    for (auto up = parent[pid]; up && parent.contains(*up) && d < pids.size(); up = parent[*up]) ++d;
    depth[pid] = d;
  }
  std::stable_sort(pids.begin(), pids.end(), [&](pid_t a, pid_t b) { return depth[a] < depth[b]; });
  return pids;
}

std::size_t signal_processes(const std::vector<pid_t>& tgids, int signo, bool from_terminal) {
  const pid_t self = getpid();
  const pid_t own_group = getpgrp();
  const auto parent_of = [](pid_t pid) -> std::optional<pid_t> {
    auto ppid = status_number(pid, "PPid");
    return ppid ? std::optional<pid_t>(static_cast<pid_t>(*ppid)) : std::nullopt;
  };
  std::size_t sent = 0;
  for (pid_t tgid : parents_first(tgids, parent_of)) {
    if (tgid <= 0 || tgid == self) continue;
    if (from_terminal && getpgid(tgid) == own_group) continue;
    if (kill(tgid, signo) == 0) {
      ++sent;
    } else if (errno != ESRCH) {
      spdlog::warn("cannot forward {} to pid {}: {}", signal_name(signo), tgid, std::strerror(errno));
    }
  }
  return sent;
}

}  // namespace syscap::tracer::detail
