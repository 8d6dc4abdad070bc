#include "report.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>

namespace syscap::cli {

void report_error(const Error& e, std::string_view suffix) {
  spdlog::error("{}{}", e.message(), suffix);
  if (!e.hint.empty()) fmt::print(stderr, "syscap: {}\n", e.hint);
}

int report_command_error(const Error& e) {
  const bool missing = e.sys_errno == ENOENT;
  if (missing && e.action == "run") {
    spdlog::error("{}: command not found", e.object);
  } else {
    report_error(e);
  }
  return missing ? 127 : 126;
}

}  // namespace syscap::cli
