#include "json_reader.hpp"

#include <set>

#include "did_you_mean.hpp"

namespace syscap::profilegen::detail {

std::string field_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  // The offending character sits at 0-based offset byte - 1; clamp for end-of-input positions.
  std::size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

namespace {

// Follows the parser's events to know the JSON path of every key, and notices repeated keys.
class DuplicateKeyWatcher {
 public:
  bool on_event(nlohmann::json::parse_event_t event, const Json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        frames_.push_back({event == Event::object_start, next_child_path(), 0, {}, {}});
        break;
      case Event::object_end:
      case Event::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case Event::key: {
        Frame& top = frames_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second && !duplicate_) {
          duplicate_ = std::make_pair(top.path, top.key);
        }
        break;
      }
      case Event::value:
        if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().next_index;
        break;
    }
    return true;
  }

  // (path of the object, repeated key) of the first repeat, if any.
  const std::optional<std::pair<std::string, std::string>>& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool is_object;
    std::string path;
    std::size_t next_index;
    std::string key;
    std::set<std::string> keys;
  };

  std::string next_child_path() {
    if (frames_.empty()) return "";
    Frame& top = frames_.back();
    if (top.is_object) return field_path(top.path, top.key);
    return index_path(top.path, top.next_index++);
  }

  std::vector<Frame> frames_;
  std::optional<std::pair<std::string, std::string>> duplicate_;
};

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 5: why";
// we print our own position, so keep only "why".
std::string parse_error_reason(const nlohmann::json::parse_error& e) {
  std::string_view what = e.what();
  std::size_t at = what.find("parse error");
  if (at != std::string_view::npos) {
    std::size_t colon = what.find(": ", at);
    if (colon != std::string_view::npos) return std::string(what.substr(colon + 2));
  }
  return std::string(what);
}

}  // namespace

Result<Json> parse_json_document(std::string_view text, std::string_view source) {
  DuplicateKeyWatcher watcher;
  Json document;
  try {
    document = Json::parse(
        text.begin(), text.end(),
        [&watcher](int, nlohmann::json::parse_event_t event, Json& parsed) {
          return watcher.on_event(event, parsed);
        });
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, column] = line_and_column(text, e.byte);
    return fail("", std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column),
                "malformed JSON: " + parse_error_reason(e));
  }
  if (const auto& dup = watcher.duplicate()) {
    std::string object = std::string(source) + (dup->first.empty() ? "" : ": " + dup->first);
    return fail("", object,
                "field '" + dup->second +
                    "' appears twice in one object (Docker would silently keep only the last)");
  }
  return document;
}

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::boolean: return std::string("boolean ") + (value.get<bool>() ? "true" : "false");
    case Json::value_t::string: {
      std::string s = value.dump();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return "string " + s;
    }
    default: return "number " + value.dump();
  }
}

void JsonReader::fail(const std::string& path, std::string cause) {
  if (error_) return;
  std::string object = path.empty() ? source_ : source_ + ": " + path;
  error_ = Error{"", std::move(object), std::move(cause)};
}

bool JsonReader::object(const Json& value, const std::string& path,
                        std::span<const std::string_view> known) {
  if (!value.is_object()) {
    fail(path, "expected an object, got " + describe(value));
    return false;
  }
  for (const auto& [key, member] : value.items()) {
    bool is_known = false;
    for (std::string_view k : known) is_known = is_known || k == key;
    if (is_known) continue;
    std::string cause = "unknown field '" + key + "'";
    if (auto guess = closest_match(key, known)) cause += " (did you mean '" + std::string(*guess) + "'?)";
    cause += "; expected one of " + join(known) + unknown_field_note_;
    fail(path, std::move(cause));
    return false;
  }
  return true;
}

const Json* JsonReader::optional(const Json& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const Json* JsonReader::required(const Json& object, std::string_view key, const std::string& path) {
  auto it = object.find(key);
  if (it == object.end()) {
    fail(path, "missing field '" + std::string(key) + "'");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonReader::string(const Json* value, const std::string& path) {
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    fail(path, "expected a string, got " + describe(*value));
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<std::uint64_t> JsonReader::unsigned_integer(const Json* value, const std::string& path,
                                                          std::uint64_t max,
                                                          std::string_view too_large) {
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_unsigned()) {
    std::string cause = "expected a non-negative integer";
    if (max == UINT64_MAX) cause += " (unsigned 64-bit)";
    fail(path, cause + ", got " + describe(*value));
    return std::nullopt;
  }
  auto n = value->get<std::uint64_t>();
  if (n > max) {
    std::string cause = std::to_string(n) + " is too large; at most " + std::to_string(max);
    if (!too_large.empty()) cause += " (" + std::string(too_large) + ")";
    fail(path, std::move(cause));
    return std::nullopt;
  }
  return n;
}

bool JsonReader::array(const Json* value, const std::string& path) {
  if (value == nullptr) return false;
  if (!value->is_array()) {
    fail(path, "expected an array, got " + describe(*value));
    return false;
  }
  return true;
}

std::vector<std::string> JsonReader::string_array(const Json* value, const std::string& path) {
  std::vector<std::string> out;
  if (!array(value, path)) return out;
  for (std::size_t i = 0; i < value->size() && ok(); ++i) {
    std::string item_path = index_path(path, i);
    auto s = string(&(*value)[i], item_path);
    if (s && s->empty()) fail(item_path, "empty string");
    if (s) out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace syscap::profilegen::detail
