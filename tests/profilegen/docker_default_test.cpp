// The embedded Docker default profile and the facts taken from it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "syscap/profilegen/container_view.hpp"
#include "syscap/profilegen/docker_default.hpp"
#include "syscap/profilegen/summary.hpp"
#include "syscap/tables/syscalls.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

// The embedded profile is the one in profilegen/data, which tests/data links to.
TEST(DockerDefault, EmbeddedCopyIsTheDataFile) {
  EXPECT_EQ(std::filesystem::canonical(test::data_path("docker-default.json")),
            std::filesystem::canonical(std::string(SYSCAP_PROFILEGEN_DATA_DIR) + "/docker-default.json"));
  auto parsed = load_profile(std::string(SYSCAP_PROFILEGEN_DATA_DIR) + "/docker-default.json");
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(docker_default_profile(), *parsed);
}

TEST(DockerDefault, CapabilityTies) {
  EXPECT_EQ(docker_capability_tie("reboot"), (std::vector<std::string>{"CAP_SYS_BOOT"}));
  EXPECT_EQ(docker_capability_tie("open_by_handle_at"), (std::vector<std::string>{"CAP_DAC_READ_SEARCH"}));
  EXPECT_EQ(docker_capability_tie("mount"), (std::vector<std::string>{"CAP_SYS_ADMIN"}));
  EXPECT_EQ(docker_capability_tie("perf_event_open"), (std::vector<std::string>{"CAP_PERFMON", "CAP_SYS_ADMIN"}));
  // Allowed without a capability in some rule: not tied.
  EXPECT_TRUE(docker_capability_tie("read").empty());
  EXPECT_TRUE(docker_capability_tie("clone").empty());   // arg-restricted rule without caps
  EXPECT_TRUE(docker_capability_tie("ptrace").empty());  // minKernel 4.8 rule
  EXPECT_TRUE(docker_capability_tie("keyctl").empty());  // never allowed
}

TEST(DockerDefault, ResolvedForADefaultContainer) {
  ContainerContext ctx{.native_arch = "amd64", .capabilities = {}, .kernel = KernelVersion{6, 18}};
  for (auto c : docker_default_capability_names()) ctx.capabilities.emplace_back(c);
  Profile p = resolve_for_container(docker_default_profile(), ctx);
  EXPECT_EQ(p.architectures, (std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
  auto names = allowed_syscall_names(p);
  EXPECT_TRUE(names.contains("chroot"));     // CAP_SYS_CHROOT is a default capability
  EXPECT_TRUE(names.contains("arch_prctl")); // includes.arches amd64
  EXPECT_FALSE(names.contains("mount"));     // needs CAP_SYS_ADMIN
  EXPECT_FALSE(names.contains("s390_runtime_instr"));
  for (const auto& r : p.syscalls) EXPECT_FALSE(r.includes || r.excludes);

  // An old kernel loses the minKernel 4.8 rule.
  ctx.kernel = KernelVersion{4, 4};
  EXPECT_FALSE(allowed_syscall_names(resolve_for_container(docker_default_profile(), ctx)).contains("ptrace"));
}

TEST(DockerDefault, HighRiskListIsSortedAndKnown) {
  auto risky = high_risk_syscalls();
  EXPECT_TRUE(std::ranges::is_sorted(risky));
  for (auto name : risky) EXPECT_TRUE(tables::is_known_syscall(name)) << name;
}

}  // namespace
}  // namespace syscap::profilegen
