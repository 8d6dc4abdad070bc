// Tests of the capability rule table and name facts (syscap/tables/capabilities.hpp).
#include <gtest/gtest.h>
#include <linux/capability.h>

#include <algorithm>

#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::tables {
namespace {

TEST(CapabilityFacts, NumbersMatchTheKernelHeader) {
  EXPECT_EQ(static_cast<int>(Capability::Chown), CAP_CHOWN);
  EXPECT_EQ(static_cast<int>(Capability::SysAdmin), CAP_SYS_ADMIN);
  EXPECT_EQ(static_cast<int>(Capability::Setfcap), CAP_SETFCAP);
  EXPECT_EQ(static_cast<int>(Capability::Perfmon), CAP_PERFMON);
  EXPECT_EQ(static_cast<int>(Capability::Bpf), CAP_BPF);
  EXPECT_EQ(kCapabilityCount, CAP_LAST_CAP + 1);
}

TEST(CapabilityFacts, NamesRoundTrip) {
  for (const CapabilityFacts& f : all_capabilities()) {
    EXPECT_EQ(capability_by_name(f.name), f.cap) << f.name;
    EXPECT_EQ(capability_by_name(f.docker_name), f.cap) << f.docker_name;
    EXPECT_EQ("CAP_" + std::string(f.docker_name), f.name);
  }
  EXPECT_EQ(capability_by_name("net_admin"), Capability::NetAdmin);
  EXPECT_EQ(capability_by_name("CAP_NOPE"), std::nullopt);
  EXPECT_EQ(capability_by_name(""), std::nullopt);
}

TEST(CapabilityFacts, DockerDefaultSetHasFourteen) {
  int n = 0;
  for (const CapabilityFacts& f : all_capabilities()) n += f.docker_default;
  EXPECT_EQ(n, 14);
  EXPECT_TRUE(facts(Capability::NetBindService).docker_default);
  EXPECT_FALSE(facts(Capability::SysAdmin).docker_default);
}

TEST(CapabilityRules, EverySyscallIsKnownAndEveryRowIsWellFormed) {
  for (const CapabilityRule& r : capability_rules()) {
    EXPECT_TRUE(is_known_syscall(r.syscall)) << r.syscall;
    EXPECT_TRUE(r.caps[0].has_value()) << r.syscall;
    EXPECT_FALSE(r.kernel.empty()) << r.syscall;
    for (std::int8_t i : {r.ops.dirfd, r.ops.path, r.ops.fd, r.ops.flags, r.ops.a, r.ops.b, r.ops.c})
      EXPECT_TRUE(i >= -1 && i <= 5) << r.syscall;
  }
}

TEST(CapabilityRules, SortedForLookup) {
  auto rules = capability_rules();
  for (std::size_t i = 1; i < rules.size(); ++i) EXPECT_LE(rules[i - 1].syscall, rules[i].syscall);
  EXPECT_FALSE(capability_rules_for("chown").empty());
  EXPECT_EQ(capability_rules_for("chown")[0].check, CapCheck::ChangeOwner);
  EXPECT_TRUE(capability_rules_for("read").empty());
  EXPECT_EQ(capability_rules_for("chroot").size(), 2u);
}

// The capabilities a workload can need through its own syscalls: each must be exercisable by some
// row.
TEST(CapabilityRules, CoverTheRequiredCapabilities) {
  for (Capability c : {Capability::Chown, Capability::DacOverride, Capability::DacReadSearch,
                       Capability::Fowner, Capability::Fsetid, Capability::Kill, Capability::Setuid,
                       Capability::Setgid, Capability::Setpcap, Capability::Setfcap,
                       Capability::NetBindService, Capability::NetRaw, Capability::NetAdmin,
                       Capability::IpcLock, Capability::IpcOwner, Capability::Mknod, Capability::Lease,
                       Capability::AuditWrite, Capability::SysChroot, Capability::SysAdmin,
                       Capability::SysTime, Capability::SysNice, Capability::SysResource,
                       Capability::SysPtrace, Capability::SysModule, Capability::SysRawio,
                       Capability::SysBoot, Capability::SysPacct, Capability::Syslog, Capability::Bpf,
                       Capability::Perfmon})
    EXPECT_TRUE(std::ranges::any_of(capability_rules(), [c](const CapabilityRule& r) {
      return std::ranges::find(r.caps, std::optional<Capability>(c)) != r.caps.end();
    })) << capability_name(c);
}

// The syscalls that check a capability on every call (CapCheck::Always rows, first capability).
std::vector<std::string_view> always_requiring(Capability cap) {
  std::vector<std::string_view> names;
  for (const CapabilityRule& r : capability_rules())
    if (r.check == CapCheck::Always && r.caps[0] == cap && (names.empty() || names.back() != r.syscall))
      names.push_back(r.syscall);
  return names;
}

TEST(CapabilityRules, AlwaysRequiringMatchesDockersCapTiedSyscalls) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(always_requiring(Capability::SysChroot), V{"chroot"});
  EXPECT_EQ(always_requiring(Capability::SysPacct), V{"acct"});
  EXPECT_EQ(always_requiring(Capability::SysModule), (V{"delete_module", "finit_module", "init_module"}));
  EXPECT_EQ(always_requiring(Capability::SysBoot), (V{"kexec_file_load", "kexec_load", "reboot"}));
  EXPECT_EQ(always_requiring(Capability::SysTtyConfig), V{"vhangup"});
}

TEST(CapabilityList, NamesAllAndCommaListsParsedWhole) {
  auto one = parse_capability_list("chown");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->caps, std::vector<Capability>{Capability::Chown});
  auto list = parse_capability_list("CAP_KILL,chown,KILL");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->caps, (std::vector<Capability>{Capability::Kill, Capability::Chown}));
  EXPECT_FALSE(list->all);
  auto all = parse_capability_list("all");
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->all);
  for (const char* bad : {"KILL CHOWN", "KILL;CHOWN", "CAP_KILL,garbage", "NET_ADMIN,BOGUS", "", ",KILL", "KILL,",
                          "KILL,,CHOWN", " KILL", "12", "CAP_"}) {
    auto r = parse_capability_list(bad);
    EXPECT_FALSE(r) << bad;
  }
  auto bogus = parse_capability_list("NET_ADMIN,BOGUS");
  EXPECT_NE(bogus.error().message().find("\"BOGUS\" is not a capability"), std::string::npos) << bogus.error().message();
}

TEST(CapabilityList, DockerDefaultsAreTheFourteen) {
  const auto caps = docker_default_capabilities();
  EXPECT_EQ(caps.size(), 14u);
  for (Capability c : {Capability::Chown, Capability::DacOverride, Capability::Fsetid, Capability::Fowner,
                       Capability::Mknod, Capability::NetRaw, Capability::Setgid, Capability::Setuid,
                       Capability::Setfcap, Capability::Setpcap, Capability::NetBindService, Capability::SysChroot,
                       Capability::Kill, Capability::AuditWrite})
    EXPECT_NE(std::ranges::find(caps, c), caps.end()) << capability_name(c);
}

}  // namespace
}  // namespace syscap::tables
