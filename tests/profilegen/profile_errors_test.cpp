// Broken profiles: each is refused with a message naming the file, the JSON path and what was
// expected. Docker would silently accept several of these (misspelled fields, SCMP_ARCH_ names in
// `arches`, caps without CAP_), and the rule would quietly never apply.
#include <gtest/gtest.h>

#include <cerrno>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {
namespace {

struct BrokenProfile {
  const char* name;
  const char* json;
  const char* expected;  // a substring of Error::message()
};

const BrokenProfile kBroken[] = {
    {"MalformedJsonGivesLineAndColumn",
     "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ tru ]\n}\n",
     "bad.json:3:20: malformed JSON: syntax error while parsing value - invalid literal"},
    {"TrailingComma", "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n}\n",
     "bad.json:3:1: malformed JSON: syntax error while parsing object key"},
    {"TopLevelIsNotAnObject", "[]", "bad.json: expected an object, got an array"},
    {"WrongTypeErrnoRet", R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": "1"})",
     "bad.json: defaultErrnoRet: expected a non-negative integer, got string \"1\""},
    {"UnknownAction",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_PERMIT"}]})",
     "bad.json: syscalls[0].action: unknown action \"SCMP_ACT_PERMIT\"; expected one of SCMP_ACT_ALLOW, "
     "SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, "
     "SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_NOTIFY"},
    {"MisspelledActionGetsAGuess", R"({"defaultAction": "SCMP_ACT_ALOW"})",
     "bad.json: defaultAction: unknown action \"SCMP_ACT_ALOW\" (did you mean \"SCMP_ACT_ALLOW\"?)"},
    {"UnknownOperator",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
          {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
          {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
           "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_FOO"}]}]})",
     "bad.json: syscalls[1].args[0].op: unknown operator \"SCMP_CMP_FOO\"; expected one of SCMP_CMP_NE, "
     "SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ"},
    {"ArgumentIndexOverFive",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ALLOW",
          "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]})",
     "bad.json: syscalls[0].args[0].index: 6 is too large; at most 5"},
    {"NegativeArgumentValue",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ALLOW",
          "args": [{"index": 0, "value": -1, "op": "SCMP_CMP_EQ"}]}]})",
     "bad.json: syscalls[0].args[0].value: expected a non-negative integer (unsigned 64-bit), got number -1"},
    {"ArgumentWithoutOp",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ALLOW",
          "args": [{"index": 0, "value": 1}]}]})",
     "bad.json: syscalls[0].args[0]: missing field 'op'"},
    {"UnknownArchitecture", R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_VAX"]})",
     "bad.json: architectures[0]: unknown architecture \"SCMP_ARCH_VAX\"; expected one of SCMP_ARCH_"},
    {"BareArchNameInArchitectures", R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["x86_64"]})",
     "bad.json: architectures[0]: unknown architecture \"x86_64\"; write \"SCMP_ARCH_X86_64\""},
    {"NativeArchNameInArchitectures",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86", "amd64"]})",
     "bad.json: architectures[1]: \"amd64\" is an includes/excludes architecture name; here seccomp names "
     "are used: write \"SCMP_ARCH_X86_64\""},
    {"ScmpNameInIncludesArches",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW",
          "includes": {"arches": ["SCMP_ARCH_X86_64"]}}]})",
     "bad.json: syscalls[0].includes.arches[0]: \"SCMP_ARCH_X86_64\" is not an includes/excludes "
     "architecture name; these use native names: write \"amd64\""},
    {"UnknownNativeArch",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
          "excludes": {"arches": ["amd46"]}}]})",
     "bad.json: syscalls[0].excludes.arches[0]: unknown architecture \"amd46\" (did you mean \"amd64\"?)"},
    {"UnknownFlag", R"({"defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_NEW_LISTENER"]})",
     "bad.json: flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"; expected one of "
     "SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, "
     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
    {"MisspelledTopLevelField", R"({"defaultActon": "SCMP_ACT_ERRNO"})",
     "bad.json: unknown field 'defaultActon' (did you mean 'defaultAction'?); expected one of "
     "defaultAction, defaultErrnoRet, defaultErrno, listenerPath, listenerMetadata, architectures, "
     "archMap, syscalls, flags"},
    {"MisspelledRuleField",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
          "include": {"caps": ["CAP_SYS_ADMIN"]}}]})",
     "bad.json: syscalls[0]: unknown field 'include' (did you mean 'includes'?)"},
    {"WrongCaseField", R"({"DefaultAction": "SCMP_ACT_ERRNO"})",
     "bad.json: unknown field 'DefaultAction' (did you mean 'defaultAction'?)"},
    {"BothNameAndNames",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
          {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
          {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
          {"name": "write", "names": ["read"], "action": "SCMP_ACT_ALLOW"}]})",
     "bad.json: syscalls[2]: both 'name' and 'names' are set (moby refuses this)"},
    {"NamesAsAString",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": "read", "action": "SCMP_ACT_ALLOW"}]})",
     "bad.json: syscalls[0].names: expected an array of syscall names, got string \"read\"; write [\"read\"]"},
    {"RuleWithoutNames", R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"action": "SCMP_ACT_ALLOW"}]})",
     "bad.json: syscalls[0]: missing field 'names'"},
    {"RuleWithoutAction", R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"]}]})",
     "bad.json: syscalls[0]: missing field 'action'"},
    {"EmptySyscallName",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", ""], "action": "SCMP_ACT_ALLOW"}]})",
     "bad.json: syscalls[0].names[1]: empty string"},
    {"ArchitecturesWithArchMap",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
         "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": null}]})",
     "bad.json: archMap: 'architectures' and 'archMap' are both set (moby refuses the profile)"},
    {"ArchMapSubArchitecturesNotAnArray",
     R"({"defaultAction": "SCMP_ACT_ERRNO",
         "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": "SCMP_ARCH_X86"}]})",
     "bad.json: archMap[0].subArchitectures: expected an array, got string \"SCMP_ARCH_X86\""},
    {"MinKernelOnePart",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
          "includes": {"minKernel": "4"}}]})",
     "bad.json: syscalls[0].includes.minKernel: \"4\" is not a kernel version; expected "
     "\"<kernel>.<major>\" such as \"4.8\""},
    {"MinKernelThreeParts",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
          "includes": {"minKernel": "5.10.2"}}]})",
     "(moby refuses anything else); write \"5.10\""},
    {"MinKernelZero",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
          "excludes": {"minKernel": "0.0"}}]})",
     "bad.json: syscalls[0].excludes.minKernel: \"0.0\" is not allowed (moby refuses it)"},
    {"MinKernelNotAString",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
          "includes": {"minKernel": 4.8}}]})",
     "bad.json: syscalls[0].includes.minKernel: expected a string, got number 4.8"},
    {"CapWithoutPrefix",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW",
          "includes": {"caps": ["CAP_SYS_PTRACE", "SYS_ADMIN"]}}]})",
     "bad.json: syscalls[0].includes.caps[1]: \"SYS_ADMIN\" is not a capability name; write "
     "\"CAP_SYS_ADMIN\" (moby compares caps as exact strings"},
    {"LowercaseCap",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW",
          "excludes": {"caps": ["cap_sys_admin"]}}]})",
     "bad.json: syscalls[0].excludes.caps[0]: \"cap_sys_admin\" is not a capability name; write \"CAP_SYS_ADMIN\""},
    {"MisspelledCap",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW",
          "includes": {"caps": ["CAP_SYS_ADMN"]}}]})",
     "bad.json: syscalls[0].includes.caps[0]: unknown capability \"CAP_SYS_ADMN\" (did you mean "
     "\"CAP_SYS_ADMIN\"?); expected a Linux capability, CAP_CHOWN to CAP_CHECKPOINT_RESTORE"},
    {"NotifyWithoutListenerPath",
     R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]})",
     "bad.json: syscalls[0].action: SCMP_ACT_NOTIFY needs a top-level 'listenerPath' (runc refuses to start "
     "without one)"},
    {"NotifyAsDefaultAction", R"({"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/agent.sock"})",
     "bad.json: defaultAction: SCMP_ACT_NOTIFY cannot be the default action"},
    {"NotifyOnWrite",
     R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
         "syscalls": [{"names": ["mkdir", "write"], "action": "SCMP_ACT_NOTIFY"}]})",
     "bad.json: syscalls[0].names: SCMP_ACT_NOTIFY cannot apply to write"},
    {"ErrnoRetOver16Bits",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
          "errnoRet": 70000}]})",
     "bad.json: syscalls[0].errnoRet: 70000 is too large; at most 65535 (seccomp returns only 16 bits of data)"},
    {"RulesWithoutDefaultAction", R"({"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]})",
     "bad.json: missing field 'defaultAction'"},
    {"DuplicateKey",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
          {"names": ["open"], "action": "SCMP_ACT_ALLOW", "names": ["openat"]}]})",
     "bad.json: syscalls[1]: field 'names' appears twice in one object"},
    {"DuplicateKeyDeepInArrays",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
         "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                      {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [
                         {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
                         {"index": 1, "value": 2, "op": "SCMP_CMP_EQ", "value": 3}]}]})",
     "bad.json: syscalls[1].args[1]: field 'value' appears twice in one object"},
    {"FloatIndex",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ALLOW",
          "args": [{"index": 1.0, "value": 1, "op": "SCMP_CMP_EQ"}]}]})",
     "bad.json: syscalls[0].args[0].index: expected a non-negative integer, got number 1.0"},
    {"ArgsNotAnArray",
     R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_ALLOW",
          "args": {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}}]})",
     "bad.json: syscalls[0].args: expected an array, got an object"},
};

// gtest prints the case's name rather than the struct's bytes.
void PrintTo(const BrokenProfile& c, std::ostream* os) { *os << c.name; }

class BrokenProfiles : public ::testing::TestWithParam<BrokenProfile> {};

TEST_P(BrokenProfiles, AreRefusedWithPathAndExpectation) {
  const BrokenProfile& c = GetParam();
  auto p = parse_profile(c.json, "bad.json");
  ASSERT_FALSE(p.has_value()) << "parsed although broken:\n" << c.json;
  std::string message = p.error().message();
  EXPECT_TRUE(message.starts_with("bad.json")) << message;
  EXPECT_NE(message.find(c.expected), std::string::npos)
      << "message:  " << message << "\nexpected: " << c.expected;
}

INSTANTIATE_TEST_SUITE_P(Table, BrokenProfiles, ::testing::ValuesIn(kBroken),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ProfileErrors, MissingFileNamesThePathAndErrno) {
  auto p = load_profile("/nonexistent/syscap/profile.json");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().sys_errno, ENOENT);
  EXPECT_EQ(p.error().message(), "read profile /nonexistent/syscap/profile.json: No such file or directory");
}

TEST(ProfileErrors, DirectoryIsNotAProfile) {
  auto p = load_profile(SYSCAP_TEST_DATA_DIR);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().sys_errno, EISDIR) << p.error().message();
}

TEST(ProfileErrors, ParseErrorsFromFilesNameTheFile) {
  // The source of every message is the path the caller gave.
  auto p = load_profile(std::string(SYSCAP_TEST_DATA_DIR) + "/SOURCES.md");
  ASSERT_FALSE(p.has_value());
  EXPECT_TRUE(p.error().message().starts_with(std::string(SYSCAP_TEST_DATA_DIR) + "/SOURCES.md:1:1: malformed JSON"))
      << p.error().message();
}

TEST(ProfileErrors, UnknownSyscallNamesAreKeptAndReported) {
  auto p = parse_profile(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read", "future_syscall_9000", "write"], "action": "SCMP_ACT_ALLOW"},
      {"name": "also_not_a_syscall", "action": "SCMP_ACT_ALLOW"}]})",
                         "ok.json");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_EQ(p->syscalls[0].names, (std::vector<std::string>{"future_syscall_9000", "read", "write"}));
  EXPECT_EQ(unknown_syscall_names(*p),
            (std::vector<std::string>{"also_not_a_syscall", "future_syscall_9000"}));
}

TEST(ProfileErrors, EmptyProfileMeansNoFilterAndIsAccepted) {
  // moby treats a profile with neither defaultAction nor rules as "no seccomp".
  auto p = parse_profile("{}", "empty.json");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_FALSE(p->default_action.has_value());
  EXPECT_TRUE(p->syscalls.empty());
}

TEST(ProfileErrors, NullMeansAbsentAsInGo) {
  auto p = parse_profile(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": null, "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": null, "comment": null,
       "includes": null, "errnoRet": null}]})",
                         "nulls.json");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_TRUE(p->architectures.empty());
  EXPECT_FALSE(p->syscalls[0].includes.has_value());
  EXPECT_FALSE(p->syscalls[0].errno_ret.has_value());
}

TEST(ProfileErrors, MaskedEqWithoutValueTwoIsAccepted) {
  auto p = parse_profile(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["clone"],
      "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ"}]}]})",
                         "masked.json");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  EXPECT_EQ(p->syscalls[0].args[0].op, CmpOp::MaskedEqual);
  EXPECT_EQ(p->syscalls[0].args[0].value, 2114060288u);
  EXPECT_FALSE(p->syscalls[0].args[0].value_two.has_value());
}

}  // namespace
}  // namespace syscap::profilegen
