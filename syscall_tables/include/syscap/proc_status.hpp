// The one parser of /proc's "Key:\tvalue" files (/proc/PID/status, /proc/PID/fdinfo/FD), for
// every module that reads them (the tracer's signal forwarding, the capability checker).
//
//   auto uid = syscap::proc_field(status_text, "Uid");       // "\t1000\t1000\t1000\t1000"
//   pid_t tgid = syscap::status_number(42, "Tgid").value_or(0);
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace syscap {

// The value of the "Key:" line in /proc status-style text, everything after the colon;
// nullopt when no line has that key (a key is a whole name: "Cap" never matches "CapInh").
std::optional<std::string_view> proc_field(std::string_view text, std::string_view key);

// The number in the "Key:" line of /proc/TID/status (Tgid, PPid, ...); nullopt when the task
// is gone or the line is missing.
std::optional<std::int64_t> status_number(pid_t tid, std::string_view key);

}  // namespace syscap
