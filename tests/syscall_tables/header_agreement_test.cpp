// Our generated tables against the build machine's <asm/unistd_*.h>: a stale or wrong table
// fails here (the headers may be older than our tables, so only their names are checked).
#include <asm/unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "header_syscalls.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::tables {
namespace {

// One line per __NR_* of `header` that our `arch` table contradicts or lacks.
std::vector<std::string> disagreements(Arch arch, std::span<const test::HeaderSyscall> header) {
  std::vector<std::string> out;
  for (const test::HeaderSyscall& h : header) {
    if (auto nr = syscall_number(arch, h.name)) {
      if (*nr != h.nr)
        out.push_back("__NR_" + std::string(h.name) + " = " + std::to_string(h.nr) +
                      " in the header, ours " + std::to_string(*nr));
      continue;
    }
    // Reserved numbers (the headers list them: __NR_epoll_ctl_old) resolve above too.
    out.push_back("__NR_" + std::string(h.name) + " = " + std::to_string(h.nr) +
                  " in the header, unknown to our table");
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += "  " + l + "\n";
  return s;
}

TEST(HeaderAgreement, X32BitIsTheKernels) { EXPECT_EQ(kX32SyscallBit, __X32_SYSCALL_BIT); }

TEST(HeaderAgreement, X86_64MatchesAsmUnistd64) {
  auto header = test::header_syscalls_x86_64();
  ASSERT_GT(header.size(), 300u) << "too few __NR_* macros extracted from <asm/unistd_64.h>";
  auto bad = disagreements(Arch::X86_64, header);
  EXPECT_TRUE(bad.empty()) << bad.size() << " disagreements with <asm/unistd_64.h>:\n" << joined(bad);
}

TEST(HeaderAgreement, X86MatchesAsmUnistd32) {
  auto header = test::header_syscalls_x86();
  ASSERT_GT(header.size(), 400u) << "too few __NR_* macros extracted from <asm/unistd_32.h>";
  auto bad = disagreements(Arch::X86, header);
  EXPECT_TRUE(bad.empty()) << bad.size() << " disagreements with <asm/unistd_32.h>:\n" << joined(bad);
}

TEST(HeaderAgreement, X32MatchesAsmUnistdX32) {
  auto header = test::header_syscalls_x32();
  ASSERT_GT(header.size(), 300u) << "too few __NR_* macros extracted from <asm/unistd_x32.h>";
  auto bad = disagreements(Arch::X32, header);
  EXPECT_TRUE(bad.empty()) << bad.size() << " disagreements with <asm/unistd_x32.h>:\n" << joined(bad);
}

// The checker itself must notice a wrong number and a missing name.
TEST(HeaderAgreement, ReportsWrongAndUnknownNumbers) {
  const test::HeaderSyscall fake[] = {{"read", 1}, {"no_such_call", 7}, {"write", 1}};
  auto bad = disagreements(Arch::X86_64, fake);
  ASSERT_EQ(bad.size(), 2u) << joined(bad);
  EXPECT_EQ(bad[0], "__NR_read = 1 in the header, ours 0");
  EXPECT_EQ(bad[1], "__NR_no_such_call = 7 in the header, unknown to our table");
}

}  // namespace
}  // namespace syscap::tables
