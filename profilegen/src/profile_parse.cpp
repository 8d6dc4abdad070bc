// Strict parsing of Docker/moby (and Podman) seccomp profiles. Every check that moby, runc or
// the kernel would make later, or that Docker silently skips (misspelled fields, SCMP_ARCH_
// names in `arches`, caps without CAP_), is an error here naming the file and JSON path.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>

#include "json_reader.hpp"
#include "syscap/input_file.hpp"
#include "profile_values.hpp"
#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {
namespace {

using detail::check_cap;
using detail::check_min_kernel;
using detail::check_native_arch;
using detail::field_path;
using detail::in_quotes;
using detail::index_path;
using detail::Json;
using detail::JsonReader;
using detail::read_action;
using detail::read_scmp_arch;
using detail::unknown_word;

constexpr std::string_view kTopFields[] = {
    "defaultAction", "defaultErrnoRet", "defaultErrno", "listenerPath", "listenerMetadata",
    "architectures", "archMap",         "syscalls",     "flags",
};
constexpr std::string_view kRuleFields[] = {
    "names", "name", "action", "errnoRet", "errno", "args", "comment", "includes", "excludes",
};
constexpr std::string_view kArgFields[] = {"index", "value", "valueTwo", "op"};
constexpr std::string_view kFilterFields[] = {"caps", "arches", "minKernel"};
constexpr std::string_view kArchMapFields[] = {"architecture", "subArchitectures"};

// SECCOMP_RET_DATA is 16 bits: the errno (capped at 4095 by the kernel) or the tracer's data.
constexpr std::uint64_t kMaxRetData = 0xffff;
constexpr std::string_view kRetDataLimit = "seccomp returns only 16 bits of data";

std::optional<RuleFilter> parse_filter(JsonReader& r, const Json* value, const std::string& path) {
  if (value == nullptr) return std::nullopt;
  RuleFilter filter;
  if (!r.object(*value, path, kFilterFields)) return filter;
  std::string caps_path = field_path(path, "caps");
  filter.caps = r.string_array(JsonReader::optional(*value, "caps"), caps_path);
  for (std::size_t i = 0; i < filter.caps.size() && r.ok(); ++i) {
    check_cap(r, filter.caps[i], index_path(caps_path, i));
  }
  std::string arches_path = field_path(path, "arches");
  filter.arches = r.string_array(JsonReader::optional(*value, "arches"), arches_path);
  for (std::size_t i = 0; i < filter.arches.size() && r.ok(); ++i) {
    check_native_arch(r, filter.arches[i], index_path(arches_path, i));
  }
  std::string kernel_path = field_path(path, "minKernel");
  filter.min_kernel = r.string(JsonReader::optional(*value, "minKernel"), kernel_path);
  if (filter.min_kernel && r.ok()) check_min_kernel(r, *filter.min_kernel, kernel_path);
  return filter;
}

ArgCondition parse_arg(JsonReader& r, const Json& value, const std::string& path) {
  ArgCondition arg;
  if (!r.object(value, path, kArgFields)) return arg;
  arg.index = static_cast<unsigned>(
      r.unsigned_integer(r.required(value, "index", path), field_path(path, "index"), 5,
                         "seccomp passes six arguments, index 0 to 5")
          .value_or(0));
  arg.value = r.unsigned_integer(r.required(value, "value", path), field_path(path, "value")).value_or(0);
  arg.value_two = r.unsigned_integer(JsonReader::optional(value, "valueTwo"), field_path(path, "valueTwo"));
  std::string op_path = field_path(path, "op");
  if (auto text = r.string(r.required(value, "op", path), op_path)) {
    if (auto op = parse_cmp_op(*text)) {
      arg.op = *op;
    } else {
      r.fail(op_path, unknown_word("operator", *text, known_cmp_ops()));
    }
  }
  return arg;
}

Rule parse_rule(JsonReader& r, const Json& value, const std::string& path) {
  Rule rule;
  if (!r.object(value, path, kRuleFields)) return rule;
  const Json* name = JsonReader::optional(value, "name");
  const Json* names = JsonReader::optional(value, "names");
  if (name && names) {
    r.fail(path, "both 'name' and 'names' are set (moby refuses this); list every syscall in 'names'");
  } else if (name) {
    std::string name_path = field_path(path, "name");
    if (auto s = r.string(name, name_path)) {
      if (s->empty()) r.fail(name_path, "empty syscall name");
      rule.names.push_back(std::move(*s));
      rule.legacy_name = true;
    }
  } else if (names && names->is_string()) {
    r.fail(field_path(path, "names"), "expected an array of syscall names, got " + detail::describe(*names) +
                                          "; write [" + names->dump() + "]");
  } else if (names) {
    rule.names = r.string_array(names, field_path(path, "names"));
  } else {
    r.fail(path, "missing field 'names' (the syscalls this rule covers)");
  }
  std::string action_path = field_path(path, "action");
  if (auto action = read_action(r, r.required(value, "action", path), action_path)) rule.action = *action;
  if (auto n = r.unsigned_integer(JsonReader::optional(value, "errnoRet"), field_path(path, "errnoRet"),
                                  kMaxRetData, kRetDataLimit)) {
    rule.errno_ret = static_cast<unsigned>(*n);
  }
  rule.errno_name = r.string(JsonReader::optional(value, "errno"), field_path(path, "errno"));
  std::string args_path = field_path(path, "args");
  if (const Json* args = JsonReader::optional(value, "args"); r.array(args, args_path)) {
    for (std::size_t i = 0; i < args->size() && r.ok(); ++i) {
      rule.args.push_back(parse_arg(r, (*args)[i], index_path(args_path, i)));
    }
  }
  rule.comment = r.string(JsonReader::optional(value, "comment"), field_path(path, "comment")).value_or("");
  rule.includes = parse_filter(r, JsonReader::optional(value, "includes"), field_path(path, "includes"));
  rule.excludes = parse_filter(r, JsonReader::optional(value, "excludes"), field_path(path, "excludes"));
  return rule;
}

ArchMapEntry parse_arch_map_entry(JsonReader& r, const Json& value, const std::string& path) {
  ArchMapEntry entry;
  if (!r.object(value, path, kArchMapFields)) return entry;
  entry.architecture =
      read_scmp_arch(r, r.required(value, "architecture", path), field_path(path, "architecture"));
  std::string subs_path = field_path(path, "subArchitectures");
  const Json* subs = JsonReader::optional(value, "subArchitectures");
  entry.sub_architectures_null = subs == nullptr;
  if (r.array(subs, subs_path)) {
    for (std::size_t i = 0; i < subs->size() && r.ok(); ++i) {
      entry.sub_architectures.push_back(read_scmp_arch(r, &(*subs)[i], index_path(subs_path, i)));
    }
  }
  return entry;
}

void parse_top_level(JsonReader& r, const Json& doc, Profile& p) {
  if (!r.object(doc, "", kTopFields)) return;
  p.default_action = read_action(r, JsonReader::optional(doc, "defaultAction"), "defaultAction");
  if (auto n = r.unsigned_integer(JsonReader::optional(doc, "defaultErrnoRet"), "defaultErrnoRet",
                                  kMaxRetData, kRetDataLimit)) {
    p.default_errno_ret = static_cast<unsigned>(*n);
  }
  p.default_errno_name = r.string(JsonReader::optional(doc, "defaultErrno"), "defaultErrno");
  p.listener_path = r.string(JsonReader::optional(doc, "listenerPath"), "listenerPath");
  p.listener_metadata = r.string(JsonReader::optional(doc, "listenerMetadata"), "listenerMetadata");
  if (const Json* arches = JsonReader::optional(doc, "architectures"); r.array(arches, "architectures")) {
    for (std::size_t i = 0; i < arches->size() && r.ok(); ++i) {
      p.architectures.push_back(read_scmp_arch(r, &(*arches)[i], index_path("architectures", i)));
    }
  }
  if (const Json* map = JsonReader::optional(doc, "archMap"); r.array(map, "archMap")) {
    for (std::size_t i = 0; i < map->size() && r.ok(); ++i) {
      p.arch_map.push_back(parse_arch_map_entry(r, (*map)[i], index_path("archMap", i)));
    }
  }
  if (const Json* rules = JsonReader::optional(doc, "syscalls"); r.array(rules, "syscalls")) {
    for (std::size_t i = 0; i < rules->size() && r.ok(); ++i) {
      p.syscalls.push_back(parse_rule(r, (*rules)[i], index_path("syscalls", i)));
    }
  }
  p.flags = r.string_array(JsonReader::optional(doc, "flags"), "flags");
  for (std::size_t i = 0; i < p.flags.size() && r.ok(); ++i) {
    const auto known = known_flags();
    if (std::ranges::find(known, p.flags[i]) == known.end()) {
      r.fail(index_path("flags", i), unknown_word("flag", p.flags[i], known));
    }
  }
}

// Checks across fields, made by moby and runc when the container is created.
void check_consistency(JsonReader& r, const Profile& p) {
  if (!p.architectures.empty() && !p.arch_map.empty()) {
    r.fail("archMap", "'architectures' and 'archMap' are both set (moby refuses the profile); use one");
  }
  if (!p.default_action && !p.syscalls.empty()) {
    r.fail("", "missing field 'defaultAction' (the action for syscalls no rule matches)");
  }
  if (p.default_action == Action::Notify) {
    r.fail("defaultAction", "SCMP_ACT_NOTIFY cannot be the default action (runc refuses it: it "
                            "would have to answer runc's own write of the notify fd)");
  }
  bool has_listener = p.listener_path && !p.listener_path->empty();
  for (std::size_t i = 0; i < p.syscalls.size() && r.ok(); ++i) {
    const Rule& rule = p.syscalls[i];
    if (rule.action != Action::Notify) continue;
    std::string path = index_path("syscalls", i);
    if (!has_listener) {
      r.fail(field_path(path, "action"), "SCMP_ACT_NOTIFY needs a top-level 'listenerPath' (runc "
                                         "refuses to start without one)");
    } else if (std::ranges::find(rule.names, "write") != rule.names.end()) {
      r.fail(field_path(path, "names"), "SCMP_ACT_NOTIFY cannot apply to write (runc refuses it: "
                                        "it writes the notify fd itself)");
    }
  }
}

}  // namespace

Result<Profile> parse_profile(std::string_view json_text, std::string_view source) {
  auto doc = detail::parse_json_document(json_text, source);
  if (!doc) return std::unexpected(doc.error());
  if (doc->is_object() && doc->contains("syscap_trace"))
    return fail("read profile", std::string(source),
                "this is a trace (from syscap record), not a profile; make a profile from it with `syscap generate`");
  JsonReader reader(source, " (Docker would silently ignore it)");
  Profile profile;
  parse_top_level(reader, *doc, profile);
  if (reader.ok()) check_consistency(reader, profile);
  if (!reader.ok()) return std::unexpected(reader.error());
  normalize(profile);
  return profile;
}

Result<Profile> load_profile(const std::string& path) {
  auto text = read_input(path, "profile");
  if (!text) return std::unexpected(text.error());
  return parse_profile(*text, path == "-" ? "standard input" : path);
}

}  // namespace syscap::profilegen
