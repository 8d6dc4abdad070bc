#include "syscap/proc_status.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace syscap {

std::optional<std::string_view> proc_field(std::string_view text, std::string_view key) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':')
      return line.substr(key.size() + 1);
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<std::int64_t> status_number(pid_t tid, std::string_view key) {
  std::ifstream in("/proc/" + std::to_string(tid) + "/status");
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  const std::string status = text.str();
  auto value = proc_field(status, key);
  if (!value) return std::nullopt;
  std::string_view digits = *value;
  while (!digits.empty() && (digits.front() == ' ' || digits.front() == '\t')) digits.remove_prefix(1);
  std::int64_t n = 0;
  if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec != std::errc()) return std::nullopt;
  return n;
}

}  // namespace syscap
