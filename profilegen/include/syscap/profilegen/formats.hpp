// Writing a generated profile for Docker, for an OCI runtime, or for Kubernetes.
//
//   FormatOptions f{.container = {.native_arch = "amd64", .capabilities = generated.capabilities}};
//   auto text = format_profile(generated.profile, OutputFormat::K8s, f);   // Result<std::string>
//
// - docker: the moby JSON profile itself (write_profile), includes/excludes and comments kept;
//   Docker evaluates them per container.
// - oci: the runtime-spec `linux.seccomp` object (defaultAction, defaultErrnoRet, architectures,
//   flags, listenerPath, listenerMetadata, syscalls[names, action, errnoRet, args[index, value,
//   valueTwo, op]]). It has no includes/excludes: they are evaluated here, as moby does before it
//   hands the object to runc, for `container` (the capabilities the container will have).
// - k8s: a security-profiles-operator resource (apiVersion
//   security-profiles-operator.x-k8s.io/v1beta1, kind SeccompProfile, metadata.name, spec with
//   defaultAction, architectures, flags, listenerPath, listenerMetadata, syscalls). The spec has
//   no defaultErrnoRet (the runtime then answers EPERM), so a default errno other than 1 is an
//   error; includes/excludes are evaluated as for oci. Written as JSON, which kubectl accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "syscap/error.hpp"
#include "syscap/profilegen/container_view.hpp"
#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {

enum class OutputFormat { Docker, Oci, K8s };

// "docker" | "oci" | "k8s" -> the format, or nullopt.
std::optional<OutputFormat> parse_output_format(std::string_view text);

struct FormatOptions {
  ContainerContext container;               // for oci and k8s: which rules the container keeps
  std::string k8s_name = "syscap-profile";  // metadata.name (a DNS-1123 subdomain)
  std::string k8s_namespace;                // metadata.namespace, omitted when empty
};

// The profile as text in `format`, ending with a newline.
Result<std::string> format_profile(const Profile& profile, OutputFormat format, const FormatOptions& options);

}  // namespace syscap::profilegen
