// capabilities_from_kernel_checks() and unchecked_capabilities() on checks as the BPF program
// reports them, and the kernel_check_rules() table they follow. The workloads (the same
// judgement on real kernel checks) are in capability_record_test.cpp.
#include "syscap/capabilities/kernel_evidence.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <csignal>
#include <cstring>

#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/kernel_check_rules.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::capabilities {
namespace {

using tracer::KernelCheck;

KernelCheck granted(std::string cap, std::string syscall, std::array<std::uint64_t, 6> args = {}) {
  KernelCheck c;
  c.capability = std::move(cap);
  c.granted = true;
  c.syscall = std::move(syscall);
  c.arch = "SCMP_ARCH_X86_64";
  c.checks = c.returned = 1;
  c.pid = 42;
  c.exe = "/usr/bin/x";
  c.args = args;
  return c;
}

std::vector<std::string> names(const std::vector<tracer::CapabilityRecord>& caps) {
  std::vector<std::string> out;
  for (const auto& c : caps) out.push_back(c.name);
  return out;
}

std::vector<std::string> judged(const KernelCheck& c) { return names(capabilities_from_kernel_checks({c})); }

TEST(KernelEvidence, AGrantedCheckIsTheNeedWithEvidence) {
  const auto caps = capabilities_from_kernel_checks({granted("CAP_CHOWN", "fchownat")});
  ASSERT_EQ(names(caps), std::vector<std::string>{"CAP_CHOWN"});
  ASSERT_EQ(caps[0].evidence.size(), 1u);
  EXPECT_EQ(caps[0].evidence[0].syscall, "fchownat");
  EXPECT_EQ(caps[0].evidence[0].pid, 42);
  EXPECT_EQ(caps[0].evidence[0].exe, "/usr/bin/x");
  EXPECT_NE(caps[0].evidence[0].why.find("kernel checked CAP_CHOWN"), std::string::npos);
}

TEST(KernelEvidence, DeniedChecksChecksOutsideCallsAndOtherUserNamespacesAreNoNeed) {
  KernelCheck denied = granted("CAP_CHOWN", "fchownat");
  denied.granted = false;
  EXPECT_TRUE(judged(denied).empty());
  EXPECT_TRUE(judged(granted("CAP_CHOWN", "")).empty());
  KernelCheck own_ns = granted("CAP_SYS_ADMIN", "sethostname");
  own_ns.initial_user_ns = false;
  EXPECT_TRUE(judged(own_ns).empty());
}

TEST(KernelEvidence, ACallThatFailedDespiteTheCheckShowsNoNeed) {
  KernelCheck c = granted("CAP_CHOWN", "fchownat");
  c.failed = c.refused = 1;  // EPERM anyway
  EXPECT_TRUE(judged(c).empty());
  // reboot checks CAP_SYS_BOOT before its arguments: EINVAL after the check still used it.
  KernelCheck boot = granted("CAP_SYS_BOOT", "reboot");
  boot.failed = 1;
  EXPECT_EQ(judged(boot), std::vector<std::string>{"CAP_SYS_BOOT"});
  // A call that never returned (exit_group; a process killed in it) counts as done.
  KernelCheck unreturned = granted("CAP_CHOWN", "fchownat");
  unreturned.returned = 0;
  EXPECT_EQ(judged(unreturned), std::vector<std::string>{"CAP_CHOWN"});
}

TEST(KernelEvidence, ProbesAreNoNeed) {
  for (const char* call : {"mmap", "brk", "execve", "fork", "write"}) EXPECT_TRUE(judged(granted("CAP_SYS_ADMIN", call)).empty()) << call;
  EXPECT_TRUE(judged(granted("CAP_PERFMON", "bpf")).empty());
}

TEST(KernelEvidence, CloneNeedsSysAdminOnlyForNewNamespaces) {
  EXPECT_TRUE(judged(granted("CAP_SYS_ADMIN", "clone", {SIGCHLD})).empty());
  EXPECT_EQ(judged(granted("CAP_SYS_ADMIN", "clone", {CLONE_NEWNS | SIGCHLD})), std::vector<std::string>{"CAP_SYS_ADMIN"});
  EXPECT_EQ(judged(granted("CAP_SYS_ADMIN", "unshare", {CLONE_NEWUTS})), std::vector<std::string>{"CAP_SYS_ADMIN"});
}

TEST(KernelEvidence, SetidNeedsTheCapabilityOnlyForAnotherId) {
  // root (all ids 0) asking for 0: checked, not needed.
  EXPECT_TRUE(judged(granted("CAP_SETUID", "setuid", {0})).empty());
  EXPECT_EQ(judged(granted("CAP_SETUID", "setuid", {1000})), std::vector<std::string>{"CAP_SETUID"});
  KernelCheck back = granted("CAP_SETUID", "setuid", {1000});
  back.creds = {1000, 0, 0, 0, 0, 0, 0, 0};  // real uid 1000: going back to it needs nothing
  EXPECT_TRUE(judged(back).empty());
  EXPECT_TRUE(judged(granted("CAP_SETGID", "setgid", {0})).empty());
  EXPECT_EQ(judged(granted("CAP_SETGID", "setgid", {50})), std::vector<std::string>{"CAP_SETGID"});
}

TEST(KernelEvidence, ChmodNeedsFsetidOnlyToKeepSetgid) {
  EXPECT_TRUE(judged(granted("CAP_FSETID", "chmod", {0, 0755})).empty());
  EXPECT_EQ(judged(granted("CAP_FSETID", "chmod", {0, 02755})), std::vector<std::string>{"CAP_FSETID"});
  EXPECT_EQ(judged(granted("CAP_FSETID", "fchmodat", {0, 0, 02755})), std::vector<std::string>{"CAP_FSETID"});
}

TEST(KernelEvidence, PerfEventOpenIsJudgedFromTheAttrInMemory) {
  // perf_event_attr: type, size, config, sample period, sample_type, read_format, flag bits.
  std::uint64_t attr[8] = {};
  attr[0] = 1;  // PERF_TYPE_SOFTWARE
  KernelCheck kernel_too = granted("CAP_PERFMON", "perf_event_open", {0x1000, 0, static_cast<std::uint64_t>(-1), static_cast<std::uint64_t>(-1), 0, 0});
  kernel_too.memory_arg = 0;
  kernel_too.memory.assign(reinterpret_cast<std::uint8_t*>(attr), reinterpret_cast<std::uint8_t*>(attr) + sizeof attr);
  kernel_too.memory.resize(64);
  EXPECT_EQ(judged(kernel_too), std::vector<std::string>{"CAP_PERFMON"});
  KernelCheck user_only = kernel_too;
  attr[5] = 1u << 5;  // exclude_kernel
  std::memcpy(user_only.memory.data(), attr, sizeof attr);
  EXPECT_TRUE(judged(user_only).empty());
  KernelCheck unread = kernel_too;  // no memory: the model cannot judge, so no need is claimed
  unread.memory.clear();
  unread.memory_arg = -1;
  EXPECT_TRUE(judged(unread).empty());
}

TEST(KernelEvidence, UncheckedCapabilitiesAreTheModelsFindingsTheKernelNeverAsked) {
  const std::vector<tracer::CapabilityRecord> model = {{"CAP_BPF", {}}, {"CAP_CHOWN", {}}, {"CAP_KILL", {}}};
  KernelCheck admin = granted("CAP_SYS_ADMIN", "bpf");
  admin.granted = false;  // asked and refused still counts as asked
  const std::vector<KernelCheck> checks = {admin, granted("CAP_KILL", "kill")};
  // CAP_SYS_ADMIN stands in for CAP_BPF: asking for it is asking for that.
  EXPECT_EQ(unchecked_capabilities(model, checks), std::vector<std::string>{"CAP_CHOWN"});
  EXPECT_TRUE(unchecked_capabilities({}, checks).empty());
}

TEST(KernelCheckRules, EveryRowNamesARealSyscallAndModelRowsHaveRulesToJudgeBy) {
  for (const auto& row : tables::kernel_check_rules()) {
    bool known = false;
    for (tables::Arch a : {tables::Arch::X86_64, tables::Arch::X86, tables::Arch::AARCH64})
      known |= tables::syscall_number(a, row.syscall).has_value();
    EXPECT_TRUE(known) << row.syscall;
    EXPECT_FALSE(row.kernel.empty()) << row.syscall;
    if (row.verdict == tables::CheckVerdict::Model) {
      bool has_rule = false;
      for (const auto& rule : tables::capability_rules_for(row.syscall))
        for (const auto& cap : rule.caps) has_rule |= cap == row.cap;
      EXPECT_TRUE(has_rule) << row.syscall << " " << tables::capability_name(row.cap);
    }
    if (row.verdict == tables::CheckVerdict::NeedIfArgBits) {
      EXPECT_GE(row.arg, 0) << row.syscall;
      EXPECT_NE(row.bits, 0u) << row.syscall;
    }
  }
  EXPECT_EQ(tables::kernel_check_rule(tables::Capability::Chown, "fchownat"), nullptr);
}

}  // namespace
}  // namespace syscap::capabilities
