// Fuzzes the Docker profile reader (parse_profile), which reads profiles from anyone (enforce
// --profile, generate, diff). Beyond not crashing: a profile it accepts is written and read back
// to the same profile, as profile.hpp promises (parse -> write -> parse is lossless).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "syscap/profilegen/profile.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  syscap::fuzz::silence_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace syscap::profilegen;
  auto profile = parse_profile(syscap::fuzz::as_text(data, size), "fuzz.json");
  if (!profile) {
    syscap::fuzz::require(!profile.error().message().empty(), "a refused profile has a message");
    return 0;
  }
  std::string written = write_profile(*profile);
  auto again = parse_profile(written, "written.json");
  syscap::fuzz::require(again.has_value(), "a written profile parses again");
  syscap::fuzz::require(*again == *profile, "parse -> write -> parse gives the same profile");
  syscap::fuzz::require(write_profile(*again) == written, "writing is deterministic");
  (void)unknown_syscall_names(*profile);
  (void)profile_notes(*profile);
  return 0;
}
