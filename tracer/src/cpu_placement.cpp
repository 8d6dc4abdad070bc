// PlacementPolicy's decisions, and their application to the tracing thread.
#include "syscap/tracer/cpu_placement.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <spdlog/spdlog.h>

#include "thread_placement.hpp"

namespace syscap::tracer {

PlacementPolicy::Action PlacementPolicy::update(std::size_t live, int cpu) {
  if (cpus_.size() < 2) return {};
  if (live == 1) {
    // An unknown CPU (the task is exiting, /proc unreadable) or one we may not use keeps the
    // current pin, if any.
    if (cpu < 0 || cpu == pinned_ || std::find(cpus_.begin(), cpus_.end(), cpu) == cpus_.end())
      return {};
    pinned_ = cpu;
    return {Kind::Pin, cpu};
  }
  if (pinned_ < 0) return {};
  pinned_ = -1;
  return {Kind::Unpin, -1};
}

}  // namespace syscap::tracer


namespace syscap::tracer::detail {

int task_cpu(pid_t tid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(tid));
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[1024];
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = '\0';
  // The command name (field 2) may hold spaces and ')': fields 3.. follow its last ')'.
  const char* p = std::strrchr(buf, ')');
  if (!p) return -1;
  int field = 2;
  for (++p; *p; ++p) {
    if (*p != ' ') continue;
    if (++field == 39) {
      int cpu = -1;
      return std::sscanf(p + 1, "%d", &cpu) == 1 ? cpu : -1;
    }
  }
  return -1;
}

ThreadPlacement::ThreadPlacement(CpuPlacement mode) {
  if (mode == CpuPlacement::None) return;
  if (sched_getaffinity(0, sizeof original_, &original_) != 0) {
    spdlog::debug("cpu placement off: sched_getaffinity: {}", std::strerror(errno));
    return;
  }
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &original_)) cpus.push_back(cpu);
  policy_.emplace(std::move(cpus));
}

ThreadPlacement::~ThreadPlacement() {
  if (policy_ && policy_->pinned() >= 0) sched_setaffinity(0, sizeof original_, &original_);
}

void ThreadPlacement::update(std::size_t live, pid_t only) {
  if (!policy_) return;
  apply(policy_->update(live, live == 1 ? task_cpu(only) : -1));
}

void ThreadPlacement::apply(const PlacementPolicy::Action& action) {
  switch (action.kind) {
    case PlacementPolicy::Kind::Keep:
      return;
    case PlacementPolicy::Kind::Pin: {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(action.cpu, &one);
      if (sched_setaffinity(0, sizeof one, &one) != 0)
        spdlog::debug("cpu placement: pin to {}: {}", action.cpu, std::strerror(errno));
      return;
    }
    case PlacementPolicy::Kind::Unpin:
      if (sched_setaffinity(0, sizeof original_, &original_) != 0)
        spdlog::debug("cpu placement: unpin: {}", std::strerror(errno));
      return;
  }
}

}  // namespace syscap::tracer::detail
