// The summary `generate` prints: counts per architecture, default-allow profiles, capabilities
// the trace shows apart from Docker-only ties, and how to use each output format.
#include <gtest/gtest.h>

#include "syscap/profilegen/summary.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

GeneratedProfile generate(const Trace& t, GenerateOptions o = test::no_runtime()) {
  auto g = generate_profile(t, o);
  EXPECT_TRUE(g) << (g ? "" : g.error().message());
  return g ? *g : GeneratedProfile{};
}

const std::vector<std::string> kCommand = {"/bin/demo", "x y"};

TEST(Summary, CountsEveryArchitectureOfTheProfile) {
  auto trace = test::load_test_trace("i386");
  auto g = generate(trace);
  ASSERT_EQ(g.profile.architectures, (std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}));
  auto s = summarize(g, trace.arch, "p.json", kCommand);
  ASSERT_EQ(s.per_arch.size(), 2u);
  EXPECT_EQ(s.per_arch[0].arch, "SCMP_ARCH_X86_64");
  EXPECT_EQ(s.per_arch[1].arch, "SCMP_ARCH_X86");
  // 19 names: socketcall is no syscall on x86_64, newfstatat none on i386.
  EXPECT_EQ(s.per_arch[0].allowed, 18u);
  EXPECT_EQ(s.per_arch[1].allowed, 18u);
  ASSERT_TRUE(s.per_arch[1].docker_allowed);  // Docker's archMap gives amd64 hosts x86 too
  std::string text = summary_text(s);
  EXPECT_NE(text.find("allows " + std::to_string(s.per_arch[1].allowed) + " syscalls on SCMP_ARCH_X86; Docker's default allows " +
                      std::to_string(*s.per_arch[1].docker_allowed)),
            std::string::npos)
      << text;
}

TEST(Summary, DefaultAllowIsNotAnAllowList) {
  auto t = test::make_trace({"read", "write"});
  test::set_arg0(t, "clone", {0x11});
  GenerateOptions o = test::no_runtime();
  o.default_action = Action::Allow;
  auto s = summarize(generate(t, o), "SCMP_ARCH_X86_64", "p.json", kCommand);
  EXPECT_TRUE(s.allows_by_default);
  EXPECT_EQ(s.refused, (std::vector<std::string>{"clone3"}));
  std::string text = summary_text(s);
  EXPECT_EQ(text.find("fewer"), std::string::npos) << text;
  EXPECT_EQ(text.rfind("allows every syscall except those it refuses (clone3): the default action is SCMP_ACT_ALLOW\n", 0),
            0u)
      << text;
  EXPECT_EQ(text.find("allows high-risk syscalls the workload used"), std::string::npos) << text;
}

TEST(Summary, DockerOnlyTiesStayOutOfTheRunLine) {
  auto t = test::make_trace({"read", "setns", "chown"});
  test::add_evidence(t, "CAP_CHOWN", "chown");
  auto s = summarize(generate(t), "SCMP_ARCH_X86_64", "p.json", kCommand);
  EXPECT_EQ(s.capabilities, (std::vector<std::string>{"CAP_CHOWN"}));
  EXPECT_EQ(s.docker_run, "docker run --cap-drop ALL --cap-add CHOWN --security-opt seccomp=p.json IMAGE /bin/demo 'x y'");
  std::string text = summary_text(s);
  EXPECT_NE(text.find("capabilities needed: CAP_CHOWN\n"
                      "tied by Docker's default profile, not exercised: CAP_SYS_ADMIN (setns)\n"
                      "  add it only if the workload must succeed at those syscalls (--cap-add SYS_ADMIN)"),
            std::string::npos)
      << text;
}

TEST(Summary, K8sSaysKubectlApplyAndSecurityContext) {
  auto t = test::make_trace({"read", "chown"});
  test::add_evidence(t, "CAP_CHOWN", "chown");
  SummaryTarget k8s{.format = OutputFormat::K8s, .k8s_name = "demo", .k8s_namespace = ""};
  auto s = summarize(generate(t), "SCMP_ARCH_X86_64", "k.yaml", kCommand, k8s);
  EXPECT_TRUE(s.docker_run.empty());
  std::string text = summary_text(s);
  EXPECT_EQ(text.find("docker run"), std::string::npos) << text;
  EXPECT_EQ(text.find("seccomp="), std::string::npos) << text;
  EXPECT_NE(text.find("  kubectl apply -f k.yaml\n"), std::string::npos) << text;
  EXPECT_NE(text.find("      type: Localhost\n      localhostProfile: operator/default/demo.json"), std::string::npos)
      << text;
  EXPECT_NE(text.find("    capabilities:\n      drop: [\"ALL\"]\n      add: [\"CHOWN\"]\n"), std::string::npos) << text;

  // No capabilities: nothing to add.
  auto bare = summary_text(summarize(generate(test::make_trace({"read"})), "SCMP_ARCH_X86_64", "k.yaml", kCommand, k8s));
  EXPECT_NE(bare.find("      drop: [\"ALL\"]\n"), std::string::npos) << bare;
  EXPECT_EQ(bare.find("add: ["), std::string::npos) << bare;
}

TEST(Summary, OciSaysWhereTheObjectGoes) {
  SummaryTarget oci{.format = OutputFormat::Oci, .k8s_name = "", .k8s_namespace = ""};
  auto s = summarize(generate(test::make_trace({"read"})), "SCMP_ARCH_X86_64", "o.json", kCommand, oci);
  std::string text = summary_text(s);
  EXPECT_NE(text.find("runtime-spec linux.seccomp object"), std::string::npos) << text;
  EXPECT_NE(text.find("config.json"), std::string::npos) << text;
}

}  // namespace
}  // namespace syscap::profilegen
