// Name <-> number lookups on all four table architectures.
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>

#include "syscap/tables/syscalls.hpp"

namespace syscap::tables {
namespace {

TEST(SyscallLookup, X86_64) {
  EXPECT_EQ(syscall_number(Arch::X86_64, "read"), 0);
  EXPECT_EQ(syscall_number(Arch::X86_64, "open"), 2);
  EXPECT_EQ(syscall_number(Arch::X86_64, "uretprobe"), 335);
  EXPECT_EQ(syscall_number(Arch::X86_64, "uprobe"), 336);  // from the -newer table
  EXPECT_EQ(syscall_name(Arch::X86_64, 59), "execve");
  EXPECT_EQ(syscall_name(Arch::X86_64, 0), "read");
  EXPECT_EQ(syscall_number(Arch::X86_64, "socketcall"), std::nullopt);  // i386 only
}

// Newer than Debian's libseccomp 2.5.4, which knows x86_64 syscalls only up to 456.
TEST(SyscallLookup, NewSyscallsResolveOnX86_64) {
  EXPECT_EQ(syscall_number(Arch::X86_64, "mseal"), 462);
  EXPECT_EQ(syscall_number(Arch::X86_64, "listns"), 470);
  EXPECT_EQ(syscall_number(Arch::X86_64, "rseq_slice_yield"), 471);
  EXPECT_EQ(syscall_name(Arch::X86_64, 462), "mseal");
  EXPECT_EQ(syscall_name(Arch::X86_64, 470), "listns");
  EXPECT_EQ(syscall_number(Arch::X86, "listns"), 470);
  EXPECT_EQ(syscall_number(Arch::AARCH64, "listns"), 470);
  EXPECT_EQ(syscall_number(Arch::X32, "listns"), kX32SyscallBit | 470);
}

TEST(SyscallLookup, X86) {
  EXPECT_EQ(syscall_number(Arch::X86, "socketcall"), 102);
  EXPECT_EQ(syscall_number(Arch::X86, "open"), 5);
  EXPECT_EQ(syscall_number(Arch::X86, "socket"), 359);
  EXPECT_EQ(syscall_name(Arch::X86, 5), "open");
  EXPECT_EQ(syscall_name(Arch::X86, 11), "execve");
  EXPECT_EQ(syscall_number(Arch::X86, "arch_prctl"), 384);
}

TEST(SyscallLookup, X32NumbersCarryTheX32Bit) {
  EXPECT_EQ(syscall_number(Arch::X32, "read"), 0x40000000);
  EXPECT_EQ(syscall_name(Arch::X32, 0x40000000), "read");
  EXPECT_EQ(syscall_name(Arch::X32, 0), std::nullopt);
  EXPECT_EQ(syscall_number(Arch::X32, "rt_sigaction"), kX32SyscallBit | 512);  // x32 ABI entry
  EXPECT_EQ(syscall_name(Arch::X32, kX32SyscallBit | 13), std::nullopt);       // 64-only number
  EXPECT_EQ(syscall_number(Arch::X32, "execve"), kX32SyscallBit | 520);
}

TEST(SyscallLookup, Aarch64UsesTheGenericTableWithArm64Abis) {
  EXPECT_EQ(syscall_number(Arch::AARCH64, "open"), std::nullopt);
  EXPECT_EQ(syscall_number(Arch::AARCH64, "openat"), 56);
  EXPECT_EQ(syscall_name(Arch::AARCH64, 56), "openat");
  EXPECT_EQ(syscall_number(Arch::AARCH64, "renameat"), 38);      // ABI "renameat"
  EXPECT_EQ(syscall_number(Arch::AARCH64, "getrlimit"), 163);    // ABI "rlimit"
  EXPECT_EQ(syscall_number(Arch::AARCH64, "memfd_secret"), 447); // ABI "memfd_secret"
  EXPECT_EQ(syscall_number(Arch::AARCH64, "fstat"), 80);         // ABI "64"
  EXPECT_EQ(syscall_number(Arch::AARCH64, "fstat64"), std::nullopt);  // ABI "stat64": 32-bit only
  EXPECT_EQ(syscall_number(Arch::AARCH64, "clone3"), 435);
}

TEST(SyscallLookup, UnknownNamesAndNumbersAreNullopt) {
  for (Arch a : kTableArches) {
    EXPECT_EQ(syscall_number(a, "no_such_syscall"), std::nullopt);
    EXPECT_EQ(syscall_number(a, ""), std::nullopt);
    EXPECT_EQ(syscall_number(a, "READ"), std::nullopt);
    EXPECT_EQ(syscall_name(a, -1), std::nullopt);
    EXPECT_EQ(syscall_name(a, 100000), std::nullopt);
  }
  EXPECT_EQ(syscall_name(Arch::X86_64, 472), std::nullopt);
}

TEST(SyscallLookup, ReservedNumbersAreNotSyscalls) {
  EXPECT_EQ(syscall_number(Arch::X86, "break"), std::nullopt);
  EXPECT_EQ(syscall_name(Arch::X86, 17), std::nullopt);
  auto reserved = reserved_syscalls(Arch::X86);
  EXPECT_TRUE(std::ranges::any_of(reserved, [](auto& e) { return e.name == "break" && e.nr == 17; }));
  EXPECT_EQ(syscall_number(Arch::X86_64, "afs_syscall"), std::nullopt);
}

TEST(SyscallLookup, EveryEntryRoundTrips) {
  for (Arch a : kTableArches) {
    auto all = all_syscalls(a);
    EXPECT_GT(all.size(), 300u);
    EXPECT_TRUE(std::ranges::is_sorted(all, {}, &SyscallEntry::name));
    for (const SyscallEntry& e : all) {
      EXPECT_EQ(syscall_number(a, e.name), e.nr) << e.name;
      EXPECT_EQ(syscall_name(a, e.nr), e.name) << e.nr;
    }
  }
}

TEST(SyscallLookup, KnownOnAnyArch) {
  EXPECT_TRUE(is_known_syscall("socketcall"));  // i386 only
  EXPECT_TRUE(is_known_syscall("openat"));
  EXPECT_TRUE(is_known_syscall("listns"));
  EXPECT_FALSE(is_known_syscall("no_such_syscall"));
  EXPECT_FALSE(is_known_syscall("break"));  // reserved everywhere
}

TEST(SyscallLookup, SourceIsStamped) {
  EXPECT_EQ(tables_source(), "Linux 6.12.117 syscall.tbl + libseccomp v7.1.0-rc4 entries up to 471");
}

TEST(SyscallLookup, ArchOfSeccompStop) {
  EXPECT_EQ(arch_of_syscall(facts(Arch::X86_64).audit_arch, 0), Arch::X86_64);
  EXPECT_EQ(arch_of_syscall(facts(Arch::X86_64).audit_arch, kX32SyscallBit | 1), Arch::X32);
  EXPECT_EQ(arch_of_syscall(facts(Arch::X86).audit_arch, 5), Arch::X86);
  EXPECT_EQ(arch_of_syscall(facts(Arch::AARCH64).audit_arch, 56), Arch::AARCH64);
  EXPECT_EQ(arch_of_syscall(arch_by_scmp_name("SCMP_ARCH_ARM")->audit_arch, 5), std::nullopt);
  EXPECT_EQ(arch_of_syscall(0xdeadbeef, 0), std::nullopt);
}

// The running kernel executes our numbers for the native arch as the calls they name
// (getpid and getppid differ, so swapped numbers would show).
TEST(SyscallLookup, NativeNumbersWorkOnThisKernel) {
  auto getpid_nr = syscall_number(native_arch(), "getpid");
  auto getppid_nr = syscall_number(native_arch(), "getppid");
  ASSERT_TRUE(getpid_nr && getppid_nr);
  ASSERT_NE(getpid(), getppid());
  EXPECT_EQ(syscall(*getpid_nr), getpid());
  EXPECT_EQ(syscall(*getppid_nr), getppid());
}

}  // namespace
}  // namespace syscap::tables
