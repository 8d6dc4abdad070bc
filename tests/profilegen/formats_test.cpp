// Output formats: Docker JSON, OCI linux.seccomp, Kubernetes SeccompProfile.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "syscap/profilegen/formats.hpp"
#include "syscap/profilegen/generator.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

using nlohmann::json;

GeneratedProfile chown_profile() {
  auto g = generate_profile(test::load_test_trace("chown"), test::no_runtime());
  EXPECT_TRUE(g);
  return *g;
}

FormatOptions with_caps(const std::vector<std::string>& caps) {
  FormatOptions f;
  f.container = {.native_arch = "amd64", .capabilities = caps, .kernel = std::nullopt};
  return f;
}

// Every name allowed by some rule of an OCI/k8s syscalls array.
std::set<std::string> allowed(const json& syscalls) {
  std::set<std::string> out;
  for (const auto& r : syscalls) {
    if (r["action"] == "SCMP_ACT_ALLOW") {
      for (const auto& n : r["names"]) out.insert(n.get<std::string>());
    }
  }
  return out;
}

TEST(Formats, DockerIsTheProfileItself) {
  auto g = chown_profile();
  auto text = format_profile(g.profile, OutputFormat::Docker, with_caps(g.capabilities));
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, write_profile(g.profile));
  auto parsed = parse_profile(*text, "docker.json");
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, g.profile);
}

TEST(Formats, OciIsTheRuntimeSpecObjectForTheseCapabilities) {
  auto g = chown_profile();
  auto text = format_profile(g.profile, OutputFormat::Oci, with_caps(g.capabilities));
  ASSERT_TRUE(text);
  json oci = json::parse(*text);
  EXPECT_EQ(oci["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(oci["defaultErrnoRet"], 1);
  EXPECT_EQ(oci["architectures"], json::array({"SCMP_ARCH_X86_64"}));
  for (const auto& r : oci["syscalls"]) {
    for (auto& [key, value] : r.items()) {
      EXPECT_TRUE(key == "names" || key == "action" || key == "errnoRet" || key == "args") << key;
    }
  }
  auto names = allowed(oci["syscalls"]);
  EXPECT_TRUE(names.contains("fchownat"));
  // chroot is tied to CAP_SYS_CHROOT only as Docker ties it (no evidence in the trace): the
  // container is not given it, so the object evaluated for the needed capabilities refuses it ...
  EXPECT_FALSE(names.contains("chroot"));
  // ... and keeps it for a container that is given it.
  auto with_chroot = format_profile(g.profile, OutputFormat::Oci, with_caps({"CAP_CHOWN", "CAP_SYS_CHROOT"}));
  ASSERT_TRUE(with_chroot);
  EXPECT_TRUE(allowed(json::parse(*with_chroot)["syscalls"]).contains("chroot"));

  // Without the capabilities the tied syscalls are gone, as Docker would drop them.
  auto bare = format_profile(g.profile, OutputFormat::Oci, with_caps({}));
  ASSERT_TRUE(bare);
  auto bare_names = allowed(json::parse(*bare)["syscalls"]);
  EXPECT_FALSE(bare_names.contains("fchownat"));
  EXPECT_FALSE(bare_names.contains("chroot"));
  EXPECT_TRUE(bare_names.contains("read"));
}

TEST(Formats, K8sIsASecurityProfilesOperatorResource) {
  auto g = chown_profile();
  FormatOptions f = with_caps(g.capabilities);
  f.k8s_name = "chown-demo";
  f.k8s_namespace = "apps";
  auto text = format_profile(g.profile, OutputFormat::K8s, f);
  ASSERT_TRUE(text) << text.error().message();
  json k = json::parse(*text);
  EXPECT_EQ(k["apiVersion"], "security-profiles-operator.x-k8s.io/v1beta1");
  EXPECT_EQ(k["kind"], "SeccompProfile");
  EXPECT_EQ(k["metadata"]["name"], "chown-demo");
  EXPECT_EQ(k["metadata"]["namespace"], "apps");
  EXPECT_EQ(k["spec"]["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_FALSE(k["spec"].contains("defaultErrnoRet"));  // not a SeccompProfile field
  EXPECT_EQ(k["spec"]["architectures"], json::array({"SCMP_ARCH_X86_64"}));
  EXPECT_TRUE(allowed(k["spec"]["syscalls"]).contains("fchownat"));
}

TEST(Formats, K8sRefusesWhatItCannotExpress) {
  auto t = test::make_trace({"read"});
  GenerateOptions o = test::no_runtime();
  o.default_errno_ret = 38;
  auto g = generate_profile(t, o);
  ASSERT_TRUE(g);
  auto text = format_profile(g->profile, OutputFormat::K8s, with_caps({}));
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message().find("defaultErrnoRet"), std::string::npos);

  FormatOptions bad = with_caps({});
  bad.k8s_name = "Not_A_Name";
  auto g1 = generate_profile(t, test::no_runtime());
  EXPECT_FALSE(format_profile(g1->profile, OutputFormat::K8s, bad));
}

TEST(Formats, ParseFormatNames) {
  EXPECT_EQ(parse_output_format("docker"), OutputFormat::Docker);
  EXPECT_EQ(parse_output_format("oci"), OutputFormat::Oci);
  EXPECT_EQ(parse_output_format("k8s"), OutputFormat::K8s);
  EXPECT_FALSE(parse_output_format("yaml"));
}

}  // namespace
}  // namespace syscap::profilegen
