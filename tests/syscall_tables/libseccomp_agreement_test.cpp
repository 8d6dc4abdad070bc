// Our tables and arch facts against the installed libseccomp (Debian 12: 2.5.4). libseccomp
// is what runc uses to resolve a profile's names, so where both know a syscall they must
// agree; where ours know more (mseal, listns), that is why syscap carries its own tables.
#include <seccomp.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>

#include "syscap/tables/arch.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::tables {
namespace {

std::uint32_t scmp_token(Arch a) {
  switch (a) {
    case Arch::X86_64: return SCMP_ARCH_X86_64;
    case Arch::X86: return SCMP_ARCH_X86;
    case Arch::X32: return SCMP_ARCH_X32;
    case Arch::AARCH64: return SCMP_ARCH_AARCH64;
  }
  return 0;
}

TEST(Libseccomp, ListnsUnknownToLibseccompButKnownToUs) {
  int theirs = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "listns");
  if (theirs != __NR_SCMP_ERROR) {
    EXPECT_EQ(theirs, 470);
    GTEST_SKIP() << "this libseccomp already knows listns (" << theirs << "): nothing to demonstrate";
  }
  EXPECT_EQ(seccomp_syscall_resolve_name("listns"), __NR_SCMP_ERROR);
  EXPECT_EQ(syscall_number(Arch::X86_64, "listns"), 470);
}

TEST(Libseccomp, MsealUnknownToLibseccompButKnownToUs) {
  int theirs = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "mseal");
  if (theirs != __NR_SCMP_ERROR) {
    EXPECT_EQ(theirs, 462);
    GTEST_SKIP() << "this libseccomp already knows mseal (" << theirs << "): nothing to demonstrate";
  }
  EXPECT_EQ(syscall_number(Arch::X86_64, "mseal"), 462);
}

// Every syscall both know has the same number both ways. libseccomp's pseudo numbers
// (negative, e.g. i386 socket via socketcall) are its own multiplexing view and are skipped.
TEST(Libseccomp, AgreesWhereBothKnowASyscall) {
  for (Arch a : kTableArches) {
    std::uint32_t token = scmp_token(a);
    int compared = 0;
    for (const SyscallEntry& e : all_syscalls(a)) {
      std::string name(e.name);
      int theirs = seccomp_syscall_resolve_name_arch(token, name.c_str());
      if (theirs >= 0) {
        EXPECT_EQ(theirs, e.nr) << facts(a).scmp_name << " " << name;
        ++compared;
      }
      std::unique_ptr<char, decltype(&std::free)> their_name(
          seccomp_syscall_resolve_num_arch(token, e.nr), &std::free);
      if (their_name) {
        EXPECT_EQ(std::string(their_name.get()), name) << facts(a).scmp_name << " " << e.nr;
      }
    }
    EXPECT_GT(compared, 300) << facts(a).scmp_name;
  }
}

// libseccomp resolves reserved numbers' names (x86_64 epoll_ctl_old 214, i386 break 17), and
// runc's filters use them; ours must agree, so that a profile naming them is enforced alike.
TEST(Libseccomp, ResolvesReservedNumbersAsWeDo) {
  int compared = 0;
  for (Arch a : kTableArches) {
    std::uint32_t token = scmp_token(a);
    for (const SyscallEntry& e : reserved_syscalls(a)) {
      std::string name(e.name);
      int theirs = seccomp_syscall_resolve_name_arch(token, name.c_str());
      if (theirs < 0) continue;  // this libseccomp does not know it (or a pseudo number)
      EXPECT_EQ(theirs, e.nr) << facts(a).scmp_name << " " << name;
      EXPECT_EQ(syscall_number(a, e.name), theirs) << facts(a).scmp_name << " " << name;
      ++compared;
    }
  }
  EXPECT_GT(compared, 20);
  EXPECT_EQ(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "epoll_ctl_old"), 214);
  EXPECT_EQ(syscall_number(Arch::X86_64, "epoll_ctl_old"), 214);
}

// Our AUDIT_ARCH values are libseccomp's arch tokens, except X32, whose token is
// libseccomp-internal (the kernel reports x32 calls as AUDIT_ARCH_X86_64).
TEST(Libseccomp, ArchTokensMatchOurAuditArch) {
  int compared = 0;
  for (const ArchFacts& a : all_arches()) {
    std::string name(a.scmp_name.substr(std::string_view("SCMP_ARCH_").size()));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::uint32_t token = seccomp_arch_resolve_name(name.c_str());
    if (token == 0) continue;  // newer than this libseccomp (e.g. loongarch64, sh)
    ++compared;
    if (a.scmp_name == "SCMP_ARCH_X32") {
      EXPECT_EQ(token, SCMP_ARCH_X32);
      EXPECT_EQ(a.audit_arch, SCMP_ARCH_X86_64);
    } else {
      EXPECT_EQ(token, a.audit_arch) << a.scmp_name;
    }
  }
  EXPECT_GE(compared, 17);
}

}  // namespace
}  // namespace syscap::tables
