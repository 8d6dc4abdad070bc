// Syscalls enforced by number through our tables, and 32-bit calls from a 64-bit process.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <fmt/format.h>

#include "syscap/enforcer/seccomp_program.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/test/ia32.hpp"
#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

using tables::Arch;

constexpr long kMsealX86_64 = 462;
constexpr long kListnsX86_64 = 470;
constexpr long kGetpidI386 = 20;
constexpr long kOpenI386 = 5;
constexpr long kMsealI386 = 462;

// A default-EPERM allow-list of `names` plus what a child needs to exit.
std::string allow_list(const std::string& names) {
  return fmt::format(R"({{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"syscalls":[
      {{"names":["exit_group","exit"{}],"action":"SCMP_ACT_ALLOW"}}]}})",
                     names);
}

int raw_errno(long nr) { return test::errno_of(syscall(nr, 0, 0, 0)); }

TEST(ByNumber, OurTablesKnowWhatLibseccompDoesNot) {
  EXPECT_EQ(tables::syscall_number(Arch::X86_64, "mseal"), kMsealX86_64);
  EXPECT_EQ(tables::syscall_number(Arch::X86_64, "listns"), kListnsX86_64);
  EXPECT_EQ(tables::syscall_number(Arch::X86, "mseal"), kMsealI386);
}

TEST(ByNumber, MsealIsRefusedUnlessAllowed) {
  int kernel_answer = raw_errno(kMsealX86_64);  // mseal(0, 0, 0): harmless
  ASSERT_NE(kernel_answer, EPERM);
  EXPECT_EXIT(test::confined(allow_list(""), [] { return raw_errno(kMsealX86_64); }),
              testing::ExitedWithCode(EPERM), "");
  EXPECT_EXIT(test::confined(allow_list(R"(,"mseal")"), [] { return raw_errno(kMsealX86_64); }),
              testing::ExitedWithCode(kernel_answer), "");
}

TEST(ByNumber, ListnsIsRefusedUnlessAllowed) {
  int kernel_answer = raw_errno(kListnsX86_64);  // ENOSYS before 6.19
  ASSERT_NE(kernel_answer, EPERM);
  EXPECT_EXIT(test::confined(allow_list(""), [] { return raw_errno(kListnsX86_64); }),
              testing::ExitedWithCode(EPERM), "");
  EXPECT_EXIT(test::confined(allow_list(R"(,"listns")"), [] { return raw_errno(kListnsX86_64); }),
              testing::ExitedWithCode(kernel_answer), "");
}

// int $0x80 result as an exit code: 0 on success, else the errno.
int int80_errno(long nr, long a = 0) {
  long r = test::int80(nr, a);
  return r < 0 && r > -4096 ? static_cast<int>(-r) : 0;
}

const char* kX86ArchMap = R"("archMap":[{"architecture":"SCMP_ARCH_X86_64",
    "subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}])";

TEST(ByNumber, I386CallUnderX86_64OnlyIsKilled) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Int80);
  std::string json = R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"]})";
  EXPECT_EXIT(test::confined(json, [] { return int80_errno(kGetpidI386); }),
              testing::KilledBySignal(SIGSYS), "");
}

TEST(ByNumber, I386CallUnderArchMapIsAllowed) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Int80);
  std::string json = fmt::format(R"({{"defaultAction":"SCMP_ACT_ALLOW",{}}})", kX86ArchMap);
  EXPECT_EXIT(test::confined(json, [] { return test::int80(kGetpidI386) == getpid() ? 0 : 1; }),
              testing::ExitedWithCode(0), "");
}

TEST(ByNumber, I386RulesMatchI386Numbers) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Int80);
  std::string json = fmt::format(R"({{"defaultAction":"SCMP_ACT_ALLOW",{},"syscalls":[
      {{"names":["open"],"action":"SCMP_ACT_ERRNO","errnoRet":42}},
      {{"names":["mseal"],"action":"SCMP_ACT_ERRNO","errnoRet":43}}]}})",
                                 kX86ArchMap);
  // i386 open is 5; i386 5 is not x86_64 fstat, which the rule must leave alone.
  EXPECT_EXIT(test::confined(json, [] { return int80_errno(kOpenI386); }),
              testing::ExitedWithCode(42), "");
  EXPECT_EXIT(test::confined(json, [] { return test::errno_of(syscall(SYS_fstat, 0, nullptr)); }),
              testing::ExitedWithCode(EFAULT), "");
  // libseccomp 2.5.4 has no i386 mseal: the BPF prefix enforces it.
  EXPECT_EXIT(test::confined(json, [] { return int80_errno(kMsealI386); }),
              testing::ExitedWithCode(43), "");
  EXPECT_EXIT(test::confined(json, [] { return test::errno_of(syscall(kMsealX86_64, 0, 0, 0)); }),
              testing::ExitedWithCode(43), "");
}

TEST(ByNumber, PrefixRulesCheckArguments) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Int80);
  std::string json = fmt::format(R"({{"defaultAction":"SCMP_ACT_ALLOW",{},"syscalls":[
      {{"names":["mseal"],"action":"SCMP_ACT_ERRNO","errnoRet":43,
        "args":[{{"index":0,"value":4096,"op":"SCMP_CMP_GE"}}]}}]}})",
                                 kX86ArchMap);
  auto plan = test::plan(json);
  auto program = build_program(plan);
  ASSERT_TRUE(program.has_value()) << program.error().message();
  ASSERT_FALSE(program->prefix_rules.empty());
  EXPECT_EQ(program->prefix_rules[0].arch, Arch::X86);
  int kernel_answer = int80_errno(kMsealI386, 0);
  EXPECT_EXIT(test::confined(json, [] { return int80_errno(kMsealI386, 8192); }),
              testing::ExitedWithCode(43), "");
  EXPECT_EXIT(test::confined(json, [] { return int80_errno(kMsealI386, 0); }),
              testing::ExitedWithCode(kernel_answer), "");
}

TEST(ByNumber, AllowListCoversI386WhenAllowed) {
  SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Int80);
  std::string json = fmt::format(R"({{"defaultAction":"SCMP_ACT_ERRNO",{},"syscalls":[
      {{"names":["exit_group","exit","mseal"],"action":"SCMP_ACT_ALLOW"}}]}})",
                                 kX86ArchMap);
  int kernel_answer = int80_errno(kMsealI386, 0);
  ASSERT_NE(kernel_answer, EPERM);
  EXPECT_EXIT(test::confined(json, [] { return int80_errno(kMsealI386); }),
              testing::ExitedWithCode(kernel_answer), "");
  EXPECT_EXIT(test::confined(json, [] { return int80_errno(kGetpidI386); }),
              testing::ExitedWithCode(EPERM), "");
}

}  // namespace
}  // namespace syscap::enforcer
