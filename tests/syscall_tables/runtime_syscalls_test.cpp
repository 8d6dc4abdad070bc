// The measured runtime syscall sets: well-formed, resolvable by the libseccomp a runtime uses,
// and holding the calls without which (as measured) a container does not start. That the
// sets really let a container start under the real engine is tests/docker's job.
#include <seccomp.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "syscap/tables/runtime_syscalls.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::tables {
namespace {

bool contains(std::span<const std::string_view> names, std::string_view name) {
  return std::ranges::binary_search(names, name);
}

TEST(RuntimeSyscalls, KnownRuntimesAreRuncAndCrun) {
  auto runtimes = known_runtimes();
  ASSERT_EQ(runtimes.size(), 2u);
  EXPECT_TRUE(std::ranges::is_sorted(runtimes));
  EXPECT_TRUE(std::ranges::find(runtimes, "runc") != runtimes.end());
  EXPECT_TRUE(std::ranges::find(runtimes, "crun") != runtimes.end());
  for (std::string_view r : runtimes) EXPECT_TRUE(runtime_syscalls(r).has_value()) << r;
}

TEST(RuntimeSyscalls, UnknownRuntimeIsNullopt) {
  EXPECT_EQ(runtime_syscalls("youki"), std::nullopt);
  EXPECT_EQ(runtime_syscalls(""), std::nullopt);
  EXPECT_EQ(runtime_syscalls("RUNC"), std::nullopt);
}

TEST(RuntimeSyscalls, SetsAreSortedUniqueX86_64Syscalls) {
  for (std::string_view r : known_runtimes()) {
    auto names = *runtime_syscalls(r);
    ASSERT_FALSE(names.empty()) << r;
    EXPECT_TRUE(std::ranges::adjacent_find(names, std::ranges::greater_equal{}) == names.end())
        << r << ": not strictly sorted";
    for (std::string_view n : names) {
      EXPECT_TRUE(syscall_number(Arch::X86_64, n).has_value()) << r << ": " << n;
    }
  }
}

// runc and crun resolve a profile's names with libseccomp and silently skip unknown ones; a
// name that libseccomp cannot resolve would leave the runtime's own call refused.
TEST(RuntimeSyscalls, EveryNameResolvesInLibseccomp) {
  for (std::string_view r : known_runtimes()) {
    std::span<const std::string_view> names = *runtime_syscalls(r);  // not a temporary's member
    for (std::string_view n : names) {
      int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, std::string(n).c_str());
      ASSERT_NE(nr, __NR_SCMP_ERROR) << r << ": libseccomp does not know " << n;
      EXPECT_EQ(nr, syscall_number(Arch::X86_64, n)) << r << ": " << n;
    }
  }
}

// The calls whose removal, one at a time, kept a container from starting (see the measurement
// notes in syscall_tables/src/runtime_syscalls.cpp), and none of the workload's own calls.
TEST(RuntimeSyscalls, RuncHoldsTheCallsItCannotStartWithout) {
  auto runc = *runtime_syscalls("runc");
  for (std::string_view n : {"capget", "capset", "chdir", "close", "execve", "faccessat2", "fstat",
                             "fstatfs", "futex", "getcwd", "getdents64", "getppid", "newfstatat",
                             "openat", "prctl", "read", "setgid", "setgroups", "setuid", "write"}) {
    EXPECT_TRUE(contains(runc, n)) << n;
  }
  // Seen only sometimes (Go runtime) or only with --user, but seen: kept.
  for (std::string_view n : {"rt_sigreturn", "sched_yield", "fchown"}) EXPECT_TRUE(contains(runc, n)) << n;
  EXPECT_FALSE(contains(runc, "exit_group"));  // the workload's, not runc's
  EXPECT_FALSE(contains(runc, "seccomp"));     // the filter is loaded before, with prctl
  EXPECT_EQ(runc.size(), 26u);
}

TEST(RuntimeSyscalls, CrunHoldsTheCallsItCannotStartWithout) {
  auto crun = *runtime_syscalls("crun");
  for (std::string_view n : {"capset", "execve", "prctl", "pselect6", "read", "rt_sigaction",
                             "rt_sigprocmask", "setresgid", "setresuid", "write"}) {
    EXPECT_TRUE(contains(crun, n)) << n;
  }
  EXPECT_TRUE(contains(crun, "close"));
  EXPECT_FALSE(contains(crun, "exit_group"));
  EXPECT_FALSE(contains(crun, "setuid"));  // crun uses setresuid/setresgid
  EXPECT_EQ(crun.size(), 11u);
}

}  // namespace
}  // namespace syscap::tables
