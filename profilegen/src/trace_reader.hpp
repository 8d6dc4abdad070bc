// The trace reader's field readers, beyond what JsonReader offers the profile reader:
// booleans, counts, non-negative numbers, strings that must be present and non-empty, strings
// kept as bytes, architecture and syscall names checked against our tables. Each records the
// first error in the JsonReader.
//
//   detail::JsonReader r(source);
//   detail::TraceReader t(r);
//   std::string arch = t.arch(top, "arch", "machine");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_reader.hpp"

namespace syscap::profilegen::detail {

class TraceReader {
 public:
  explicit TraceReader(JsonReader& r) : r_(r) {}

  // The string at object[key], present (and non-empty unless allowed).
  std::string text(const Json& object, std::string_view key, const std::string& path,
                   bool allow_empty = false);

  // A string that may hold bytes that are not UTF-8: a JSON string, or the trace's lossless
  // form {"utf8": "...", "bytes": "<hex>"} (docs/trace-format.md), whose bytes it returns.
  std::optional<std::string> bytes(const Json* value, const std::string& path);

  // bytes() at object[key], present (and non-empty unless allowed).
  std::string byte_text(const Json& object, std::string_view key, const std::string& path,
                        bool allow_empty = false);

  // An array of bytes() items, none empty (the command's argv).
  std::vector<std::string> byte_text_array(const Json* value, const std::string& path);

  // The non-negative integer at object[key], at most `max` (else `too_large` says why).
  std::uint64_t count(const Json& object, std::string_view key, const std::string& path,
                      std::uint64_t max = UINT64_MAX, std::string_view too_large = {});

  // true or false; false when absent.
  bool boolean(const Json* value, const std::string& path);

  // The non-negative number at object[key].
  double number(const Json& object, std::string_view key, const std::string& path);

  // The architecture name at object[key], which must be an SCMP_ARCH_* name.
  std::string arch(const Json& object, std::string_view key, const std::string& path);

  // A syscall name that must exist on `arch` when we carry a table for it, or the tracer's
  // "syscall_<nr>" for a number it could not name (checked against `nr` by the caller).
  void check_syscall_name(const std::string& name, const std::string& arch, const std::string& path);

 private:
  JsonReader& r_;
};

}  // namespace syscap::profilegen::detail
