// Fuzzes the trace reader (parse_trace) and what `syscap generate` does with a trace it accepts:
// the generated profile must be one our own reader accepts.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "syscap/profilegen/generator.hpp"
#include "syscap/profilegen/profile.hpp"
#include "syscap/profilegen/trace_input.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  syscap::fuzz::silence_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace syscap::profilegen;
  std::string_view text = syscap::fuzz::as_text(data, size);
  (void)looks_like_trace(text);
  auto trace = parse_trace(text, "fuzz.json");
  if (!trace) {
    syscap::fuzz::require(!trace.error().message().empty(), "a refused trace has a message");
    return 0;
  }
  for (const TraceSyscall& s : trace->syscalls) (void)unnamed_syscall_number(s.name);
  auto generated = generate_profile(*trace, GenerateOptions{});
  if (!generated) return 0;
  auto reread = parse_profile(write_profile(generated->profile), "generated.json");
  syscap::fuzz::require(reread.has_value(), "a generated profile is one parse_profile accepts");
  return 0;
}
