// The Linux capability names (CAP_CHOWN ... CAP_CHECKPOINT_RESTORE), for checking traces and --tie.
#pragma once

#include <span>
#include <string_view>

namespace syscap::profile::detail {

// Every capability of Linux 6.x, in number order (CAP_CHOWN = 0 ... CAP_CHECKPOINT_RESTORE = 40).
std::span<const std::string_view> capability_names();

// True if `name` is one of capability_names() ("CAP_" prefix and upper case required).
bool is_capability_name(std::string_view name);

}  // namespace syscap::profile::detail
