// Strict reading of a JSON document with error messages that name the file and the JSON path.
//
//   auto doc = parse_json_document(text, "profile.json");     // malformed JSON -> file:line:col
//   JsonReader r("profile.json");
//   if (r.object(*doc, "", kTopFields)) {
//     auto action = r.string(r.required(*doc, "defaultAction", ""), "defaultAction");
//   }
//   if (!r.ok()) return std::unexpected(r.error());          // the first error only
//
// The reader keeps the first error and reports it at the end, so parsing code reads straight
// through; callers check ok() before anything that relies on what came earlier.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "syscap/error.hpp"

namespace syscap::profilegen::detail {

// Keeps the document's key order, so "the first unknown field" is the first one in the file.
using Json = nlohmann::ordered_json;

// "syscalls" + "args" -> "syscalls.args"; "" + "syscalls" -> "syscalls".
std::string field_path(const std::string& parent, std::string_view key);
// "syscalls" + 3 -> "syscalls[3]".
std::string index_path(const std::string& parent, std::size_t index);

// Parses JSON text. Malformed JSON is an error at "source:line:column"; a key that appears twice
// in one object is an error too (Go's decoder, like nlohmann's, silently keeps the last one).
Result<Json> parse_json_document(std::string_view text, std::string_view source);

// The 1-based line and column of a 1-based byte position in `text` (nlohmann's parse_error::byte).
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte);

// "number 5", "string \"x\"", "array", "null": how a value is described after "got".
std::string describe(const Json& value);

class JsonReader {
 public:
  // `unknown_field_note` ends the message for a field outside the known ones (a profile's
  // reader says that Docker would ignore it).
  explicit JsonReader(std::string_view source, std::string_view unknown_field_note = "")
      : source_(source), unknown_field_note_(unknown_field_note) {}

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }

  // Records an error at `path` ("" for the top level) unless one is already recorded.
  void fail(const std::string& path, std::string cause);

  // True if `value` is an object with no keys outside `known`; records the error otherwise.
  bool object(const Json& value, const std::string& path, std::span<const std::string_view> known);

  // The member `key` of an object, or nullptr when absent or null (Go treats null as absent).
  static const Json* optional(const Json& object, std::string_view key);

  // The member `key` (possibly null), or nullptr after recording "missing field".
  const Json* required(const Json& object, std::string_view key, const std::string& path);

  // A string value; nullopt (without error) when `value` is nullptr.
  std::optional<std::string> string(const Json* value, const std::string& path);

  // A non-negative integer no larger than `max`; nullopt (without error) when `value` is nullptr.
  // `too_large` explains the limit when it is not the uint64 one.
  std::optional<std::uint64_t> unsigned_integer(const Json* value, const std::string& path,
                                                std::uint64_t max = UINT64_MAX,
                                                std::string_view too_large = {});

  // True if `value` is an array (false without error when `value` is nullptr).
  bool array(const Json* value, const std::string& path);

  // An array of non-empty strings; empty without error when `value` is nullptr.
  std::vector<std::string> string_array(const Json* value, const std::string& path);

 private:
  std::string source_;
  std::string unknown_field_note_;
  std::optional<Error> error_;
};

}  // namespace syscap::profilegen::detail
