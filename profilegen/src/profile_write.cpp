// Deterministic profile JSON: fixed key order, two-space indent, sets sorted, rule order kept,
// so generated profiles diff well and write(parse(write(p))) == write(p).
#include <algorithm>

#include "json_reader.hpp"
#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {
namespace {

using detail::Json;

Json sorted_array(std::vector<std::string> items) {
  std::ranges::sort(items);
  return Json(std::move(items));
}

Json filter_json(const RuleFilter& filter) {
  Json out = Json::object();
  if (!filter.caps.empty()) out["caps"] = sorted_array(filter.caps);
  if (!filter.arches.empty()) out["arches"] = sorted_array(filter.arches);
  if (filter.min_kernel) out["minKernel"] = *filter.min_kernel;
  return out;
}

Json arg_json(const ArgCondition& arg) {
  Json out = Json::object();
  out["index"] = arg.index;
  out["value"] = arg.value;
  if (arg.value_two) out["valueTwo"] = *arg.value_two;
  out["op"] = to_string(arg.op);
  return out;
}

Json rule_json(const Rule& rule) {
  Json out = Json::object();
  if (rule.legacy_name && rule.names.size() == 1) {
    out["name"] = rule.names.front();
  } else {
    out["names"] = sorted_array(rule.names);
  }
  out["action"] = to_string(rule.action);
  if (rule.errno_ret) out["errnoRet"] = *rule.errno_ret;
  if (rule.errno_name) out["errno"] = *rule.errno_name;
  if (!rule.args.empty()) {
    Json args = Json::array();
    for (const auto& arg : rule.args) args.push_back(arg_json(arg));
    out["args"] = std::move(args);
  }
  if (!rule.comment.empty()) out["comment"] = rule.comment;
  if (rule.includes) out["includes"] = filter_json(*rule.includes);
  if (rule.excludes) out["excludes"] = filter_json(*rule.excludes);
  return out;
}

Json arch_map_json(const ArchMapEntry& entry) {
  Json out = Json::object();
  out["architecture"] = entry.architecture;
  if (entry.sub_architectures_null && entry.sub_architectures.empty()) {
    out["subArchitectures"] = nullptr;
  } else {
    out["subArchitectures"] = entry.sub_architectures;
  }
  return out;
}

}  // namespace

std::string write_profile(const Profile& profile) {
  Json out = Json::object();
  if (profile.default_action) out["defaultAction"] = to_string(*profile.default_action);
  if (profile.default_errno_ret) out["defaultErrnoRet"] = *profile.default_errno_ret;
  if (profile.default_errno_name) out["defaultErrno"] = *profile.default_errno_name;
  if (profile.listener_path) out["listenerPath"] = *profile.listener_path;
  if (profile.listener_metadata) out["listenerMetadata"] = *profile.listener_metadata;
  if (!profile.architectures.empty()) out["architectures"] = profile.architectures;
  if (!profile.arch_map.empty()) {
    Json map = Json::array();
    for (const auto& entry : profile.arch_map) map.push_back(arch_map_json(entry));
    out["archMap"] = std::move(map);
  }
  Json rules = Json::array();
  for (const auto& rule : profile.syscalls) rules.push_back(rule_json(rule));
  out["syscalls"] = std::move(rules);
  if (!profile.flags.empty()) out["flags"] = profile.flags;
  // Invalid UTF-8 can only come from a Profile built in code; replace it rather than throw.
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace syscap::profilegen
