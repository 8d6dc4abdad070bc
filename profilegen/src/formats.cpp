// OCI and Kubernetes output: the profile as one container sees it, in the runtime-spec shape.
#include "syscap/profilegen/formats.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

namespace syscap::profilegen {
namespace {

using Json = nlohmann::ordered_json;

// The runtime-spec LinuxSyscall list; `resolved` has no includes/excludes left.
Json syscalls_json(const Profile& resolved) {
  Json list = Json::array();
  for (const Rule& rule : resolved.syscalls) {
    if (rule.names.empty()) continue;
    Json r = Json::object();
    r["names"] = rule.names;
    r["action"] = std::string(to_string(rule.action));
    if (rule.errno_ret) r["errnoRet"] = *rule.errno_ret;
    if (!rule.args.empty()) {
      Json args = Json::array();
      for (const ArgCondition& c : rule.args) {
        Json a = Json::object();
        a["index"] = c.index;
        a["value"] = c.value;
        if (c.value_two) a["valueTwo"] = *c.value_two;
        a["op"] = std::string(to_string(c.op));
        args.push_back(std::move(a));
      }
      r["args"] = std::move(args);
    }
    list.push_back(std::move(r));
  }
  return list;
}

// The fields the OCI object and the SeccompProfile spec share, in that order.
void common_fields(Json& out, const Profile& resolved) {
  if (!resolved.architectures.empty()) out["architectures"] = resolved.architectures;
  if (!resolved.flags.empty()) out["flags"] = resolved.flags;
  if (resolved.listener_path) out["listenerPath"] = *resolved.listener_path;
  if (resolved.listener_metadata) out["listenerMetadata"] = *resolved.listener_metadata;
  out["syscalls"] = syscalls_json(resolved);
}

bool is_dns_subdomain(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '-' || c == '.')) {
      return false;
    }
  }
  return std::isalnum(static_cast<unsigned char>(name.front())) &&
         std::isalnum(static_cast<unsigned char>(name.back()));
}

}  // namespace

std::optional<OutputFormat> parse_output_format(std::string_view text) {
  if (text == "docker") return OutputFormat::Docker;
  if (text == "oci") return OutputFormat::Oci;
  if (text == "k8s") return OutputFormat::K8s;
  return std::nullopt;
}

Result<std::string> format_profile(const Profile& profile, OutputFormat format, const FormatOptions& options) {
  if (format == OutputFormat::Docker) return write_profile(profile);
  if (!profile.default_action) {
    return fail("write profile", "defaultAction", "the OCI and Kubernetes formats need a default action");
  }
  Profile resolved = resolve_for_container(profile, options.container);

  if (format == OutputFormat::Oci) {
    Json out = Json::object();
    out["defaultAction"] = std::string(to_string(*resolved.default_action));
    if (resolved.default_errno_ret) out["defaultErrnoRet"] = *resolved.default_errno_ret;
    common_fields(out, resolved);
    return out.dump(2) + "\n";
  }

  if (resolved.default_errno_ret && *resolved.default_errno_ret != 1) {
    return fail("write profile", "--format k8s",
                "a SeccompProfile has no defaultErrnoRet (the runtime answers EPERM); got defaultErrnoRet " +
                    std::to_string(*resolved.default_errno_ret));
  }
  if (!is_dns_subdomain(options.k8s_name)) {
    return fail("write profile", "--name " + options.k8s_name,
                "a Kubernetes name is lower-case letters, digits, '-' and '.', starting and ending "
                "with a letter or digit");
  }
  Json out = Json::object();
  out["apiVersion"] = "security-profiles-operator.x-k8s.io/v1beta1";
  out["kind"] = "SeccompProfile";
  Json metadata = Json::object();
  metadata["name"] = options.k8s_name;
  if (!options.k8s_namespace.empty()) metadata["namespace"] = options.k8s_namespace;
  out["metadata"] = std::move(metadata);
  Json spec = Json::object();
  spec["defaultAction"] = std::string(to_string(*resolved.default_action));
  common_fields(spec, resolved);
  out["spec"] = std::move(spec);
  return out.dump(2) + "\n";
}

}  // namespace syscap::profilegen
