// Name <-> number lookups on all four table architectures.
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>

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

// Reserved numbers (no entry point) are their name's number on their own arch, as libseccomp
// and so runc resolve them; they stay out of all_syscalls and are listed by reserved_syscalls.
TEST(SyscallLookup, ReservedNumbersResolveOnTheirOwnArch) {
  EXPECT_EQ(syscall_number(Arch::X86, "break"), 17);
  EXPECT_EQ(syscall_name(Arch::X86, 17), "break");
  EXPECT_EQ(syscall_number(Arch::X86_64, "afs_syscall"), 183);
  EXPECT_EQ(syscall_number(Arch::X86_64, "epoll_ctl_old"), 214);
  EXPECT_EQ(syscall_number(Arch::X86_64, "epoll_wait_old"), 215);
  EXPECT_EQ(syscall_name(Arch::X86_64, 214), "epoll_ctl_old");
  EXPECT_EQ(syscall_number(Arch::X86_64, "set_thread_area"), 205);
  EXPECT_EQ(syscall_number(Arch::X86_64, "get_thread_area"), 211);
  EXPECT_EQ(syscall_number(Arch::X86_64, "lookup_dcookie"), 212);
  EXPECT_EQ(syscall_number(Arch::X32, "lookup_dcookie"), kX32SyscallBit | 212);
  // The same names are real syscalls elsewhere, with their own numbers.
  EXPECT_EQ(syscall_number(Arch::X86, "set_thread_area"), 243);
  EXPECT_EQ(syscall_number(Arch::X86, "get_thread_area"), 244);
  EXPECT_EQ(syscall_number(Arch::AARCH64, "lookup_dcookie"), 18);
  EXPECT_EQ(syscall_number(Arch::X86, "epoll_ctl_old"), std::nullopt);

  auto reserved = reserved_syscalls(Arch::X86);
  EXPECT_TRUE(std::ranges::any_of(reserved, [](auto& e) { return e.name == "break" && e.nr == 17; }));
  auto all = all_syscalls(Arch::X86_64);
  EXPECT_FALSE(std::ranges::any_of(all, [](auto& e) { return e.name == "epoll_ctl_old"; }));
  for (Arch a : kTableArches)
    for (const SyscallEntry& e : reserved_syscalls(a)) {
      EXPECT_EQ(syscall_number(a, e.name), e.nr) << e.name;
      EXPECT_EQ(syscall_name(a, e.nr), e.name) << e.nr;
    }
}

// The kernel answers a reserved number with ENOSYS: it is a number, not a missing one.
TEST(SyscallLookup, ReservedNumberIsEnosysOnThisKernel) {
  if (native_arch() != Arch::X86_64) GTEST_SKIP() << "x86_64 numbers";
  errno = 0;
  EXPECT_EQ(syscall(*syscall_number(Arch::X86_64, "epoll_ctl_old")), -1);
  EXPECT_EQ(errno, ENOSYS);
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
  EXPECT_TRUE(is_known_syscall("break"));          // reserved number on i386
  EXPECT_TRUE(is_known_syscall("epoll_ctl_old"));  // reserved number on x86_64
  EXPECT_FALSE(is_known_syscall("recv"));          // arm, ppc, ...: no table of ours
}

TEST(SyscallLookup, SyscallOnAnyArchIncludesArchesWithoutATable) {
  EXPECT_TRUE(is_syscall_on_any_arch("recv"));           // arm, ppc, s390, mips, ...
  EXPECT_TRUE(is_syscall_on_any_arch("send"));
  EXPECT_TRUE(is_syscall_on_any_arch("riscv_hwprobe"));  // riscv64 only
  EXPECT_TRUE(is_syscall_on_any_arch("s390_sthyi"));
  EXPECT_TRUE(is_syscall_on_any_arch("openat"));         // ours too
  EXPECT_TRUE(is_syscall_on_any_arch("socketcall"));
  EXPECT_TRUE(is_syscall_on_any_arch("epoll_ctl_old"));
  EXPECT_TRUE(is_syscall_on_any_arch("listns"));
  EXPECT_FALSE(is_syscall_on_any_arch("frobnicate"));
  EXPECT_FALSE(is_syscall_on_any_arch(""));
  EXPECT_FALSE(is_syscall_on_any_arch("RECV"));
  for (Arch a : kTableArches)
    EXPECT_FALSE(syscall_number(a, "recv").has_value()) << "recv is in our tables now: fix the examples";
}

TEST(SyscallLookup, SourceIsStamped) {
  EXPECT_EQ(tables_source(), "Linux 6.12.117 syscall.tbl + libseccomp v7.1.0-rc4 entries up to 471");
}

TEST(SyscallLookup, ArchOfSeccompStop) {
  EXPECT_EQ(arch_of_syscall(facts(Arch::X86_64).audit_arch, 0), Arch::X86_64);
  EXPECT_EQ(arch_of_syscall(facts(Arch::X86_64).audit_arch, kX32SyscallBit | 1), Arch::X32);
  EXPECT_EQ(arch_of_syscall(facts(Arch::X86_64).audit_arch, -1), Arch::X86_64);  // syscall(-1): all bits set
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
