// Every comparison operator, on 64-bit values, loaded in a forked child. getppid ignores its
// arguments, but seccomp sees the registers, so it can carry any value harmlessly.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <fmt/format.h>

#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

struct OperatorCase {
  const char* op;
  std::uint64_t value;
  std::optional<std::uint64_t> value_two;
  std::uint64_t arg;
  bool matches;
};

void PrintTo(const OperatorCase& c, std::ostream* os) {
  *os << c.op << " " << c.value << " arg " << c.arg << (c.matches ? " matches" : " does not match");
}

class Operators : public testing::TestWithParam<OperatorCase> {};

constexpr std::uint64_t kHigh = 0x1'0000'0000ULL;  // only the high word set

TEST_P(Operators, MatchExactlyWhenTheComparisonHolds) {
  const OperatorCase& c = GetParam();
  std::string two = c.value_two ? fmt::format(R"(,"valueTwo":{})", *c.value_two) : "";
  std::string json = fmt::format(R"({{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{{
      "names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":42,
      "args":[{{"index":2,"value":{},"op":"{}"{}}}]}}]}})",
                                 c.value, c.op, two);
  std::uint64_t arg = c.arg;
  EXPECT_EXIT(test::confined(json, [arg] { return test::errno_of(syscall(SYS_getppid, 0, 0, arg)); }),
              testing::ExitedWithCode(c.matches ? 42 : 0), "");
}

INSTANTIATE_TEST_SUITE_P(
    Enforcer, Operators,
    testing::Values(OperatorCase{"SCMP_CMP_EQ", 7, {}, 7, true},
                    OperatorCase{"SCMP_CMP_EQ", 7, {}, 7 | kHigh, false},
                    OperatorCase{"SCMP_CMP_NE", 7, {}, 7, false},
                    OperatorCase{"SCMP_CMP_NE", 7, {}, 8, true},
                    OperatorCase{"SCMP_CMP_LT", 7, {}, 6, true},
                    OperatorCase{"SCMP_CMP_LT", 7, {}, 7, false},
                    OperatorCase{"SCMP_CMP_LT", kHigh, {}, 0xffffffff, true},
                    OperatorCase{"SCMP_CMP_LE", 7, {}, 7, true},
                    OperatorCase{"SCMP_CMP_LE", 7, {}, 8, false},
                    OperatorCase{"SCMP_CMP_GE", 7, {}, 7, true},
                    OperatorCase{"SCMP_CMP_GE", 7, {}, 6, false},
                    OperatorCase{"SCMP_CMP_GT", 7, {}, 8, true},
                    OperatorCase{"SCMP_CMP_GT", 7, {}, 7, false},
                    OperatorCase{"SCMP_CMP_GT", 0xffffffff, {}, kHigh, true},
                    OperatorCase{"SCMP_CMP_MASKED_EQ", 0xff, 0x12, 0x3412, true},
                    OperatorCase{"SCMP_CMP_MASKED_EQ", 0xff, 0x12, 0x3413, false},
                    OperatorCase{"SCMP_CMP_MASKED_EQ", 0x4, {}, 0x3, true},  // valueTwo 0
                    OperatorCase{"SCMP_CMP_MASKED_EQ", 0x4, {}, 0x4, false}));

TEST(Operators, SameArgumentTwiceMatchesEither) {
  std::string json = R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],
      "action":"SCMP_ACT_ERRNO","errnoRet":42,"args":[
      {"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":0,"value":2,"op":"SCMP_CMP_EQ"}]}]})";
  for (long a0 : {1L, 2L, 3L}) {
    EXPECT_EXIT(test::confined(json, [a0] { return test::errno_of(syscall(SYS_getppid, a0)); }),
                testing::ExitedWithCode(a0 == 3 ? 0 : 42), "")
        << "a0 = " << a0;
  }
}

TEST(Operators, ConditionsOnDifferentArgumentsAllMustHold) {
  std::string json = R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],
      "action":"SCMP_ACT_ERRNO","errnoRet":42,"args":[
      {"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":1,"value":2,"op":"SCMP_CMP_EQ"}]}]})";
  EXPECT_EXIT(test::confined(json, [] { return test::errno_of(syscall(SYS_getppid, 1, 2)); }),
              testing::ExitedWithCode(42), "");
  EXPECT_EXIT(test::confined(json, [] { return test::errno_of(syscall(SYS_getppid, 1, 3)); }),
              testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace syscap::enforcer
