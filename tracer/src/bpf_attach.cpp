// The BPF engine attached to running processes (`record --pid`): their thread groups go into
// the tracking map as they are, children follow at fork as in a run; nothing stops them and
// nothing needs detaching.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "bpf_engine_state.hpp"
#include "record_skeleton.hpp"
#include "record_shared.h"
#include "signal_scope.hpp"
#include "syscap/tracer/attach.hpp"

namespace syscap::tracer {

namespace {

// Whether any process is still followed. Only "no key" (ENOENT) says none: the trie's walk
// allocates, and a failed one (ENOMEM) must not end the recording early.
bool any_tracked(const record_bpf& skel) {
  syscap_group_key next{};
  return bpf_map_get_next_key(bpf_map__fd(skel.maps.tracked), nullptr, &next) == 0 || errno != ENOENT;
}

}  // namespace

Result<BpfRun> BpfEngine::attach(const AttachOptions& options) {
  const bool container = !options.container_id.empty();
  if (container != (loaded_->target == BpfTarget::Container))
    return fail("attach", "", container ? "this BPF engine was not loaded to follow a container"
                                        : "this BPF engine was loaded to follow a container", EINVAL);
  if (loaded_->used) return fail("attach", "", "this BPF engine has recorded a run already", EBUSY);
  auto targets = attach_targets(options.pids, options.listed);
  if (!targets) return std::unexpected(targets.error());
  if (container) {
    // Processes that start running in the container from now on (docker exec) are its too.
    auto watched = detail::watch_container_cgroup(loaded_->skel, options.container_id, SYSCAP_CONTAINER_EVERY);
    if (!watched) return std::unexpected(watched.error());
  }
  loaded_->used = true;
  const record_bpf& skel = *loaded_->skel;
  // Noted, never passed on: they end the recording, not the processes.
  detail::SignalScope signals(/*forward=*/true, std::chrono::milliseconds(0));
  const auto start = std::chrono::steady_clock::now();
  const auto from = std::chrono::system_clock::now();
  for (const auto& t : *targets) {
    syscap_task task{};
    task.started = 1;
    std::strncpy(task.exe, t.exe.c_str(), sizeof task.exe - 1);
    const syscap_group_key group = syscap_group_key_of(static_cast<__u32>(t.pid));
    if (bpf_map_update_elem(bpf_map__fd(skel.maps.tracked), &group, &task, BPF_NOEXIST) != 0) {
      const int err = errno;
      return fail_errno("track", "pid " + std::to_string(t.pid), err);
    }
  }
  // Until every process (and all they started) has ended, the time is up, or a signal came.
  bool signalled = false, timed_out = false;
  while (any_tracked(skel)) {
    if (detail::g_signals_received != 0) {
      signalled = true;
      break;
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (options.duration.count() > 0 && elapsed >= options.duration) {
      timed_out = true;
      break;
    }
    const timespec pause{0, 20 * 1000 * 1000};  // a signal ends it early
    nanosleep(&pause, nullptr);
  }
  const auto end = std::chrono::steady_clock::now();

  RunResult run;
  run.pid = targets->front().pid;
  run.processes = targets->size() + skel.bss->tasks_seen;
  run.duration_ms = std::chrono::duration<double, std::milli>(end - start).count();
  BpfRun r = detail::collect(loaded_->skel, loaded_->checks_unseen, run, targets->front().argv);
  AttachWindow window;
  for (const auto& t : *targets) window.pids.push_back(t.pid);
  window.from = iso8601_utc(from);
  window.to = iso8601_utc(std::chrono::system_clock::now());
  window.ended_by = detail::window_end(signalled, timed_out);
  r.trace.window = window;
  return r;
}

}  // namespace syscap::tracer
