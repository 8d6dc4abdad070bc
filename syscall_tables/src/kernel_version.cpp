#include "syscap/tables/kernel_version.hpp"

#include <sys/utsname.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <string>

namespace syscap::tables {
namespace {

// A run of 1 to 9 digits at `pos` in `text` (9: no overflow of int); advances `pos`. -1 if none.
int read_number(std::string_view text, std::size_t& pos) {
  std::size_t end = pos;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == pos || end - pos > 9) return -1;
  int value = 0;
  std::from_chars(text.data() + pos, text.data() + end, value);
  pos = end;
  return value;
}

}  // namespace

std::optional<KernelVersion> read_kernel_version(std::string_view text, std::size_t& used) {
  std::size_t pos = 0;
  const int major = read_number(text, pos);
  if (major < 0 || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  const int minor = read_number(text, pos);
  if (minor < 0) return std::nullopt;
  used = pos;
  return KernelVersion{major, minor};
}

Result<KernelVersion> parse_kernel_release(std::string_view release) {
  std::size_t used = 0;
  const auto version = read_kernel_version(release, used);
  if (!version) return fail("parse kernel version", std::string(release), "expected <major>.<minor>");
  return *version;
}

Result<KernelVersion> running_kernel_version() {
  utsname names{};
  if (uname(&names) != 0) return fail_errno("uname", "", errno);
  return parse_kernel_release(names.release);
}

}  // namespace syscap::tables
