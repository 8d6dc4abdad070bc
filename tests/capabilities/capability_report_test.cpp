// Tests of the capability report (table, docker flags) and the verifier's stand-ins.
#include <gtest/gtest.h>

#include "syscap/capabilities/report.hpp"
#include "syscap/capabilities/verifier.hpp"

namespace syscap::capabilities {
namespace {

tracer::CapabilityRecord chown_record() {
  tracer::CapabilityEvidence e{"fchownat", "SCMP_ARCH_X86_64",
                       nlohmann::ordered_json{{"path", "/tmp/x"}, {"owner", 1000}, {"group", -1}},
                       4243, "/usr/bin/chown", "file owned by uid 0, new owner 1000"};
  return tracer::CapabilityRecord{"CAP_CHOWN", {e}};
}

TEST(CapabilityReport, CallIsOneReadableLine) {
  EXPECT_EQ(format_call(chown_record().evidence[0]), R"(fchownat(path="/tmp/x", owner=1000, group=-1))");
}

TEST(CapabilityReport, TableShowsEvidenceAndDockerDefault) {
  const std::string t = format_capability_table({chown_record(), {"CAP_SYS_ADMIN", {}}});
  EXPECT_NE(t.find("CAPABILITY"), std::string::npos) << t;
  EXPECT_NE(t.find("CAP_CHOWN"), std::string::npos) << t;
  EXPECT_NE(t.find("yes"), std::string::npos) << t;  // CHOWN is in Docker's default set
  EXPECT_NE(t.find("pid 4243 /usr/bin/chown"), std::string::npos) << t;
  EXPECT_NE(t.find("why: file owned by uid 0, new owner 1000"), std::string::npos) << t;
  EXPECT_NE(t.find("CAP_SYS_ADMIN"), std::string::npos) << t;
  EXPECT_NE(t.find("(no evidence)"), std::string::npos) << t;
  EXPECT_EQ(format_capability_table({}), "No capabilities needed.\n");
}

TEST(CapabilityReport, DockerFlagsUseDockerSpelling) {
  EXPECT_EQ(docker_cap_flags({}), "--cap-drop ALL");
  EXPECT_EQ(docker_cap_flags({chown_record(), {"CAP_NET_BIND_SERVICE", {}}}),
            "--cap-drop ALL --cap-add CHOWN --cap-add NET_BIND_SERVICE");
}

TEST(CapabilityVerifier, StandInsFollowTheKernelsAlternatives) {
  using V = std::vector<std::string>;
  EXPECT_EQ(stand_in_capabilities("CAP_BPF"), V{"CAP_SYS_ADMIN"});
  EXPECT_EQ(stand_in_capabilities("CAP_DAC_READ_SEARCH"), V{"CAP_DAC_OVERRIDE"});
  EXPECT_EQ(stand_in_capabilities("CAP_CHOWN"), V{});
}

TEST(CapabilityVerifier, KeepNeededKeepsOrderAndDropsTheRest) {
  std::vector<tracer::CapabilityRecord> c = {{"CAP_CHOWN", {}}, {"CAP_FSETID", {}}, {"CAP_KILL", {}}};
  std::vector<VerifyAttempt> a(3);
  a[0].capability = "CAP_CHOWN", a[0].needed = true;
  a[1].capability = "CAP_FSETID", a[1].needed = false;
  a[2].capability = "CAP_KILL", a[2].needed = true;
  auto kept = keep_needed(c, a);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].name, "CAP_CHOWN");
  EXPECT_EQ(kept[1].name, "CAP_KILL");
}

}  // namespace
}  // namespace syscap::capabilities
