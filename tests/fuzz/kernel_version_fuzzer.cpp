// Fuzzes the two kernel-version readers: a profile's minKernel (profilegen's parse_min_kernel)
// and a `uname -r` release (syscall_tables' parse_kernel_release). Accepted versions are never
// negative, and a minKernel written back as "<major>.<minor>" reads the same.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "syscap/profilegen/rule_filter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace syscap::profilegen;
  std::string_view text = syscap::fuzz::as_text(data, size);
  if (auto min = parse_min_kernel(text)) {
    syscap::fuzz::require(min->major >= 0 && min->minor >= 0, "a minKernel is not negative");
    auto again = parse_min_kernel(std::to_string(min->major) + "." + std::to_string(min->minor));
    syscap::fuzz::require(again && *again == *min, "a minKernel written back reads the same");
  } else {
    syscap::fuzz::require(!min.error().message().empty(), "a refused minKernel has a message");
  }
  if (auto release = parse_kernel_release(text)) {
    syscap::fuzz::require(release->major >= 0 && release->minor >= 0, "a release is not negative");
  }
  return 0;
}
