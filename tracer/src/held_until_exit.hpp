// Descriptors left open until this process exits, for exit_process (process_exit.hpp) to hand
// to its helper.
#pragma once

#include <functional>
#include <vector>

namespace syscap::tracer::detail {

// Keeps `fds` open until exit_process(): a helper then holds them until this process has gone,
// so the kernel releases what they refer to after its exit is seen. `release_here` releases
// them (and whatever owns them) in this process, where no helper can start.
void hold_until_exit(std::vector<int> fds, std::function<void()> release_here);

}  // namespace syscap::tracer::detail
