#include "report.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace syscap::cli {

void report_error(const Error& e, std::string_view suffix) {
  spdlog::error("{}{}", e.message(), suffix);
  if (!e.hint.empty()) fmt::print(stderr, "syscap: {}\n", e.hint);
}

}  // namespace syscap::cli
