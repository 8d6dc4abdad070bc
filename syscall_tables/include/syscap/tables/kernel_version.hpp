// Kernel versions as moby compares them (two numbers), read from a profile's minKernel, from a
// `uname -r` release, or from the running kernel. The one reader behind profilegen's rule
// filter, the enforcer's plan and the tracer's kernel-dependent choices.
//
//   auto v = tables::running_kernel_version();     // Result<KernelVersion>: {6, 18}
//   if (v && *v >= tables::KernelVersion{6, 1}) ...
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string_view>

#include "syscap/error.hpp"

namespace syscap::tables {

struct KernelVersion {
  int major = 0;
  int minor = 0;
  auto operator<=>(const KernelVersion&) const = default;
};

// "<major>.<minor>" in digits (each at most 9) at the start of `text`; `used` is how many of its
// characters they took. nullopt when `text` does not start so.
std::optional<KernelVersion> read_kernel_version(std::string_view text, std::size_t& used);

// A release as `uname -r` prints it: its first two numbers, the rest ignored
// ("6.18.44-fc-v857" -> 6.18), as moby reads the host kernel.
Result<KernelVersion> parse_kernel_release(std::string_view release);

// The running kernel's version (uname(2)'s release).
Result<KernelVersion> running_kernel_version();

}  // namespace syscap::tables
