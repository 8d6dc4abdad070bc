// write_profile: fixed key order, two-space indent, sorted sets, kept rule order; lossless.
#include <gtest/gtest.h>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {
namespace {

// Every field of the format, in a shape moby accepts (archMap, not architectures, as moby
// refuses both together). Sets are deliberately unsorted.
Profile every_field_profile() {
  Profile p;
  p.default_action = Action::Errno;
  p.default_errno_ret = 38;
  p.default_errno_name = "ENOSYS";
  p.listener_path = "/run/seccomp-agent.sock";
  p.listener_metadata = "agent-meta";
  p.arch_map = {
      {.architecture = "SCMP_ARCH_X86_64", .sub_architectures = {"SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
      {.architecture = "SCMP_ARCH_RISCV64", .sub_architectures = {}, .sub_architectures_null = true},
      {.architecture = "SCMP_ARCH_AARCH64", .sub_architectures = {}},
  };
  p.syscalls = {
      {.names = {"write", "read"}, .action = Action::Allow, .comment = "basic I/O"},
      {.names = {"ptrace"},
       .legacy_name = true,
       .action = Action::Errno,
       .errno_ret = 1,
       .errno_name = "EPERM",
       .includes = RuleFilter{.arches = {"arm64", "amd64"}, .min_kernel = "4.8"},
       .excludes = RuleFilter{.caps = {"CAP_SYS_PTRACE"}}},
      {.names = {"personality"},
       .action = Action::Allow,
       .args = {{.index = 0, .value = 0xffffffff, .value_two = 0x20008, .op = CmpOp::MaskedEqual},
                {.index = 1, .value = 5, .op = CmpOp::LessThan}}},
      {.names = {"mkdir"}, .action = Action::Notify},
      {.names = {"uname"}, .action = Action::Trace, .errno_ret = 7},
      {.names = {"clone3"},
       .action = Action::Errno,
       .errno_ret = 38,
       .includes = RuleFilter{},
       .excludes = RuleFilter{.caps = {"CAP_SYS_ADMIN", "CAP_BPF"}}},
  };
  p.flags = {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG"};
  return p;
}

constexpr std::string_view kEveryFieldJson = R"({
  "defaultAction": "SCMP_ACT_ERRNO",
  "defaultErrnoRet": 38,
  "defaultErrno": "ENOSYS",
  "listenerPath": "/run/seccomp-agent.sock",
  "listenerMetadata": "agent-meta",
  "archMap": [
    {
      "architecture": "SCMP_ARCH_X86_64",
      "subArchitectures": [
        "SCMP_ARCH_X86",
        "SCMP_ARCH_X32"
      ]
    },
    {
      "architecture": "SCMP_ARCH_RISCV64",
      "subArchitectures": null
    },
    {
      "architecture": "SCMP_ARCH_AARCH64",
      "subArchitectures": []
    }
  ],
  "syscalls": [
    {
      "names": [
        "read",
        "write"
      ],
      "action": "SCMP_ACT_ALLOW",
      "comment": "basic I/O"
    },
    {
      "name": "ptrace",
      "action": "SCMP_ACT_ERRNO",
      "errnoRet": 1,
      "errno": "EPERM",
      "includes": {
        "arches": [
          "amd64",
          "arm64"
        ],
        "minKernel": "4.8"
      },
      "excludes": {
        "caps": [
          "CAP_SYS_PTRACE"
        ]
      }
    },
    {
      "names": [
        "personality"
      ],
      "action": "SCMP_ACT_ALLOW",
      "args": [
        {
          "index": 0,
          "value": 4294967295,
          "valueTwo": 131080,
          "op": "SCMP_CMP_MASKED_EQ"
        },
        {
          "index": 1,
          "value": 5,
          "op": "SCMP_CMP_LT"
        }
      ]
    },
    {
      "names": [
        "mkdir"
      ],
      "action": "SCMP_ACT_NOTIFY"
    },
    {
      "names": [
        "uname"
      ],
      "action": "SCMP_ACT_TRACE",
      "errnoRet": 7
    },
    {
      "names": [
        "clone3"
      ],
      "action": "SCMP_ACT_ERRNO",
      "errnoRet": 38,
      "includes": {},
      "excludes": {
        "caps": [
          "CAP_BPF",
          "CAP_SYS_ADMIN"
        ]
      }
    }
  ],
  "flags": [
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_LOG"
  ]
}
)";

TEST(ProfileWrite, EveryFieldHasAFixedPlaceAndSpelling) {
  EXPECT_EQ(write_profile(every_field_profile()), kEveryFieldJson);
}

TEST(ProfileWrite, EveryFieldRoundTrips) {
  Profile p = every_field_profile();
  auto parsed = parse_profile(write_profile(p), "every.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  Profile expected = p;
  normalize(expected);
  EXPECT_EQ(*parsed, expected);
  EXPECT_NE(*parsed, p) << "normalize() should have sorted the unsorted sets";
  EXPECT_EQ(write_profile(*parsed), write_profile(p));
}

TEST(ProfileWrite, ArchitecturesListRoundTripsInItsOrder) {
  // Unlike names and caps, `architectures` is passed to the runtime as given: order is kept.
  Profile p;
  p.default_action = Action::KillProcess;
  p.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
  p.syscalls = {{.names = {"exit_group"}, .action = Action::Allow}};
  std::string text = write_profile(p);
  EXPECT_NE(text.find("\"architectures\": [\n    \"SCMP_ARCH_X86_64\",\n    \"SCMP_ARCH_X86\",\n"),
            std::string::npos)
      << text;
  auto parsed = parse_profile(text, "arches.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  EXPECT_EQ(*parsed, p);
}

TEST(ProfileWrite, KeyOrderOfTheInputDoesNotMatter) {
  auto a = parse_profile(R"({"syscalls": [{"action": "SCMP_ACT_ALLOW", "names": ["b", "a"],
      "args": [{"op": "SCMP_CMP_EQ", "value": 1, "index": 0}]}], "defaultAction": "SCMP_ACT_ERRNO"})",
                         "a.json");
  auto b = parse_profile(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["a", "b"],
      "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}], "action": "SCMP_ACT_ALLOW"}]})",
                         "b.json");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(write_profile(*a), write_profile(*b));
}

TEST(ProfileWrite, RuleOrderIsKept) {
  // Rule order can matter (runtimes add rules in order), so it is never sorted.
  Profile p;
  p.default_action = Action::Errno;
  p.syscalls = {{.names = {"zzz_last_name"}, .action = Action::Allow},
                {.names = {"aaa_first_name"}, .action = Action::Log}};
  std::string text = write_profile(p);
  EXPECT_LT(text.find("zzz_last_name"), text.find("aaa_first_name")) << text;
}

TEST(ProfileWrite, WritingIsAFixedPoint) {
  Profile p = every_field_profile();
  std::string once = write_profile(p);
  EXPECT_EQ(write_profile(p), once);
  auto parsed = parse_profile(once, "once.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
  EXPECT_EQ(write_profile(*parsed), once);
}

TEST(ProfileWrite, LegacyNameWithSeveralNamesBecomesNames) {
  Profile p;
  p.default_action = Action::Errno;
  p.syscalls = {{.names = {"b", "a"}, .legacy_name = true, .action = Action::Allow}};
  std::string text = write_profile(p);
  EXPECT_EQ(text.find("\"name\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"names\": [\n        \"a\",\n        \"b\"\n      ]"), std::string::npos) << text;
}

TEST(ProfileWrite, EmptyProfileIsStillAnObjectWithRules) {
  EXPECT_EQ(write_profile(Profile{}), "{\n  \"syscalls\": []\n}\n");
}

}  // namespace
}  // namespace syscap::profilegen
