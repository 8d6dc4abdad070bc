// Forwarding a signal syscap received to the workload's processes: the one way both engines do
// it.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace syscap::tracer::detail {

// `pids` (duplicates dropped) with every process after its parent when the parent is among them:
// by depth in that family tree, then by pid. `parent_of` gives a process's parent (nullopt when
// it is gone); a loop in what it says cannot hang the ordering.
std::vector<pid_t> parents_first(std::vector<pid_t> pids, const std::function<std::optional<pid_t>(pid_t)>& parent_of);

// Sends `signo` to each of the workload's processes `tgids`, parents before their children: a
// shell that sees its child die of the signal before it has the signal itself goes on with its
// script (dash does), where a terminal's ^C, which reaches the whole process group at once, ends
// both. A signal `from_terminal` (SI_KERNEL: ^C, ^\, a hangup) has reached syscap's own process
// group already: its processes are skipped, so none gets it twice. Returns how many were sent it.
std::size_t signal_processes(const std::vector<pid_t>& tgids, int signo, bool from_terminal);

}  // namespace syscap::tracer::detail
