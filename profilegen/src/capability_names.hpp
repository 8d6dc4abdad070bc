// The Linux capability names (CAP_CHOWN ... CAP_CHECKPOINT_RESTORE), for checking traces and --tie.
#pragma once

#include <span>
#include <string_view>

namespace syscap::profilegen::detail {

// Every capability, "CAP_*" spelling, in number order (from syscall_tables).
std::span<const std::string_view> capability_names();

// True if `name` is one of capability_names() ("CAP_" prefix and upper case required).
bool is_capability_name(std::string_view name);

}  // namespace syscap::profilegen::detail
