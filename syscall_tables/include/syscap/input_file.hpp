// Reading what syscap is given (profiles, traces) with a bound: a regular file, a pipe, or
// standard input ("-"), never more than kMaxInputBytes, so `--profile /dev/zero` is an error,
// not gigabytes of memory.
//
//   auto text = syscap::read_input("profile.json", "profile");   // Result<std::string>
//   // errors: "read profile p.json: No such file or directory", "... is a directory",
//   //         "... is larger than 64 MiB"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "syscap/error.hpp"

namespace syscap {

// The most syscap reads from one input: profiles and traces are kilobytes to a few megabytes.
inline constexpr std::size_t kMaxInputBytes = 64u << 20;

// The whole of `path` ("-": standard input), at most `limit` bytes. `what` names it in errors
// ("profile", "trace").
Result<std::string> read_input(const std::string& path, std::string_view what, std::size_t limit = kMaxInputBytes);

}  // namespace syscap
