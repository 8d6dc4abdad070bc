// What every fuzz target shares: the input as text, and an invariant check that crashes (so
// libFuzzer saves the input and the ctest run fails) with a message saying what broke.
//
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//     std::string_view text = syscap::fuzz::as_text(data, size);
//     auto p = parse_profile(text, "fuzz.json");
//     syscap::fuzz::require(!p || !p->syscalls.empty() || ..., "why it must hold");
//     return 0;
//   }
#pragma once

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace syscap::fuzz {

// The fuzzer's bytes as the text a parser reads (any bytes, not necessarily UTF-8).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with `what` unless `condition` holds: an invariant broken is a finding like a crash.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
  }
}

// Libraries warn through spdlog about odd inputs; at millions of inputs that is only noise.
inline void silence_logging() { spdlog::set_level(spdlog::level::off); }

}  // namespace syscap::fuzz
