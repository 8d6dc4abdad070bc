#include "bpf_load_failure.hpp"

#include <algorithm>

namespace syscap::tracer::detail {

std::string load_failure(const std::string& log) {
  const auto begin = log.find("-- BEGIN PROG LOAD LOG --");
  const auto end = log.find("-- END PROG LOAD LOG --", begin == std::string::npos ? 0 : begin);
  const auto body = begin == std::string::npos ? std::string::npos : log.find('\n', begin);
  if (end == std::string::npos || body == std::string::npos || body > end) return log.substr(0, 600);
  // The failing program's lines: "prog 'x': BPF program load failed: <error>" where libbpf
  // wrote one just before, and "prog 'x': -- BEGIN PROG LOAD LOG --".
  const auto line_end = log.rfind('\n', begin);
  std::size_t header = line_end == std::string::npos ? 0 : line_end + 1;
  if (header >= 2) {
    const auto previous_end = log.rfind('\n', header - 2);
    const std::size_t previous = previous_end == std::string::npos ? 0 : previous_end + 1;
    if (log.substr(previous, header - previous).find("load failed") != std::string::npos) header = previous;
  }
  const std::size_t from = std::max(body + 1, end > 600 ? end - 600 : 0);
  return log.substr(header, body + 1 - header) + "...\n" + log.substr(from, end - from);
}

}  // namespace syscap::tracer::detail
