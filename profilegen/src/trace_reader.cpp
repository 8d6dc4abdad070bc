// TraceReader: the trace reader's field readers (trace_reader.hpp).
#include "trace_reader.hpp"

#include "syscap/byte_text.hpp"
#include "syscap/profilegen/trace_input.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/syscalls.hpp"

#include "did_you_mean.hpp"

namespace syscap::profilegen::detail {

std::string TraceReader::text(const Json& object, std::string_view key, const std::string& path,
                              bool allow_empty) {
  std::string p = field_path(path, key);
  auto s = r_.string(r_.required(object, key, path), p);
  if (s && s->empty() && !allow_empty) r_.fail(p, "expected a non-empty string");
  return s.value_or("");
}

std::optional<std::string> TraceReader::bytes(const Json* value, const std::string& path) {
  if (value == nullptr) return std::nullopt;
  if (!value->is_object()) return r_.string(value, path);
  static constexpr std::string_view kFields[] = {"utf8", "bytes"};
  if (!r_.object(*value, path, kFields)) return std::nullopt;
  auto readable = r_.string(r_.required(*value, "utf8", path), field_path(path, "utf8"));
  auto hex = r_.string(r_.required(*value, "bytes", path), field_path(path, "bytes"));
  if (!readable || !hex) return std::nullopt;
  auto raw = from_hex(*hex);
  if (!raw) r_.fail(field_path(path, "bytes"), "expected the bytes as hex digits, got \"" + *hex + "\"");
  return raw;
}

std::string TraceReader::byte_text(const Json& object, std::string_view key, const std::string& path,
                                   bool allow_empty) {
  std::string p = field_path(path, key);
  auto s = bytes(r_.required(object, key, path), p);
  if (s && s->empty() && !allow_empty) r_.fail(p, "expected a non-empty string");
  return s.value_or("");
}

std::vector<std::string> TraceReader::byte_text_array(const Json* value, const std::string& path) {
  std::vector<std::string> out;
  if (!r_.array(value, path)) return out;
  for (std::size_t i = 0; i < value->size() && r_.ok(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    auto s = bytes(&(*value)[i], item_path);
    if (s && s->empty()) r_.fail(item_path, "empty string");
    if (s) out.push_back(std::move(*s));
  }
  return out;
}

std::uint64_t TraceReader::count(const Json& object, std::string_view key, const std::string& path,
                                 std::uint64_t max, std::string_view too_large) {
  const Json* v = r_.required(object, key, path);
  if (v != nullptr && v->is_null()) {
    r_.fail(field_path(path, key), "expected a non-negative integer, got null");
    return 0;
  }
  return r_.unsigned_integer(v, field_path(path, key), max, too_large).value_or(0);
}

bool TraceReader::boolean(const Json* value, const std::string& path) {
  if (value == nullptr) return false;
  if (!value->is_boolean()) {
    r_.fail(path, "expected true or false, got " + detail::describe(*value));
    return false;
  }
  return value->get<bool>();
}

double TraceReader::number(const Json& object, std::string_view key, const std::string& path) {
  const Json* v = r_.required(object, key, path);
  if (v == nullptr) return 0;
  if (!v->is_number() || v->get<double>() < 0) {
    r_.fail(field_path(path, key), "expected a non-negative number, got " + detail::describe(*v));
    return 0;
  }
  return v->get<double>();
}

std::string TraceReader::arch(const Json& object, std::string_view key, const std::string& path) {
  std::string name = text(object, key, path);
  if (!r_.ok()) return name;
  if (tables::arch_by_scmp_name(name) == nullptr) {
    std::vector<std::string_view> known;
    for (const auto& a : tables::all_arches()) known.push_back(a.scmp_name);
    std::string cause = "unknown architecture \"" + name + "\"";
    if (auto guess = detail::closest_match(name, known)) {
      cause += " (did you mean \"" + std::string(*guess) + "\"?)";
    }
    r_.fail(field_path(path, key), cause + "; expected an SCMP_ARCH_* name such as SCMP_ARCH_X86_64");
  }
  return name;
}

void TraceReader::check_syscall_name(const std::string& name, const std::string& arch, const std::string& path) {
  if (!r_.ok()) return;
  if (unnamed_syscall_number(name)) return;
  const auto* facts = tables::arch_by_scmp_name(arch);
  if (facts == nullptr || !facts->table) return;
  if (tables::syscall_number(*facts->table, name)) return;
  std::vector<std::string_view> known;
  for (const auto& e : tables::all_syscalls(*facts->table)) known.push_back(e.name);
  std::string cause = "\"" + name + "\" is not a syscall on " + arch;
  if (auto guess = detail::closest_match(name, known)) cause += " (did you mean \"" + std::string(*guess) + "\"?)";
  r_.fail(path, cause);
}

}  // namespace syscap::profilegen::detail
