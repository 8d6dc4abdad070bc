// profile_notes: legal profiles that probably do not do what their author meant.
#include <gtest/gtest.h>

#include <algorithm>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {
namespace {

std::vector<ProfileNote> notes_of(std::string_view json) {
  auto p = parse_profile(json, "notes.json");
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message());
  return p ? profile_notes(*p) : std::vector<ProfileNote>{};
}

// The messages of all notes, one per line, for failure output and substring checks.
std::string all_messages(const std::vector<ProfileNote>& notes) {
  std::string out;
  for (const auto& n : notes) out += n.message("notes.json") + "\n";
  return out;
}

TEST(ProfileNotes, DockerDefaultOnlyGetsTheExpectedNotes) {
  // Docker's default is a careful profile. Its only notes are its two clone rules, which use
  // MASKED_EQ without valueTwo on purpose to say "none of the CLONE_NEW* bits"; the names of
  // other architectures' syscalls it carries (s390_*, arm_*) are syscalls somewhere.
  auto p = load_profile(std::string(SYSCAP_TEST_DATA_DIR) + "/docker-default.json");
  ASSERT_TRUE(p.has_value()) << p.error().message();
  std::size_t masked = 0;
  for (const auto& note : profile_notes(*p)) {
    if (note.text.starts_with("SCMP_CMP_MASKED_EQ without valueTwo")) {
      ++masked;
      EXPECT_EQ(p->syscalls.at(std::stoul(note.path.substr(9))).names, (std::vector<std::string>{"clone"}))
          << note.message("docker-default.json");
      continue;
    }
    ADD_FAILURE() << note.message("docker-default.json");
  }
  EXPECT_EQ(masked, 2u);
}

TEST(ProfileNotes, MaskedEqWithoutValueTwo) {
  auto notes = notes_of(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["clone"],
      "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ"}]}]})");
  ASSERT_EQ(notes.size(), 1u) << all_messages(notes);
  EXPECT_EQ(notes[0].message("notes.json"),
            "notes.json: syscalls[0].args[0]: SCMP_CMP_MASKED_EQ without valueTwo compares with 0: "
            "matches only when none of the bits in value are set ((arg & value) == 0)");
}

TEST(ProfileNotes, SameArgumentTwiceIsAnOr) {
  auto notes = notes_of(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"],
      "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
                                           {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}]})");
  ASSERT_EQ(notes.size(), 1u) << all_messages(notes);
  EXPECT_EQ(notes[0].path, "syscalls[0].args[1]");
  EXPECT_NE(notes[0].text.find("(OR, not AND)"), std::string::npos);
}

TEST(ProfileNotes, ErrnoRetOnAllowAndRedundantRules) {
  auto notes = notes_of(R"({"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1, "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 5},
      {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]})");
  std::string text = all_messages(notes);
  EXPECT_NE(text.find("notes.json: defaultErrnoRet: ignored with SCMP_ACT_ALLOW"), std::string::npos) << text;
  EXPECT_NE(text.find("notes.json: syscalls[0].errnoRet: errnoRet is ignored with SCMP_ACT_ALLOW"),
            std::string::npos) << text;
  EXPECT_NE(text.find("notes.json: syscalls[0].action: the same action as defaultAction"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("syscalls[1]"), std::string::npos) << text;
  EXPECT_EQ(notes.size(), 3u) << text;
}

TEST(ProfileNotes, SixtyFourBitOnlyArchitectures) {
  auto notes = notes_of(R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"]})");
  ASSERT_EQ(notes.size(), 1u) << all_messages(notes);
  EXPECT_EQ(notes[0].path, "architectures");
  EXPECT_NE(notes[0].text.find("killed with SIGSYS"), std::string::npos);
  EXPECT_TRUE(notes_of(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]})").empty());
}

TEST(ProfileNotes, UnknownAndRepeatedNames) {
  auto notes = notes_of(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read", "other_call", "read", "no_such_call", "recv", "riscv_hwprobe"],
       "action": "SCMP_ACT_ALLOW"}]})");
  std::string text = all_messages(notes);
  EXPECT_NE(text.find("notes.json: syscalls[0].names: \"read\" is listed twice"), std::string::npos) << text;
  // recv (arm, ppc, ...) and riscv_hwprobe (riscv64) are syscalls elsewhere: no note.
  EXPECT_NE(text.find("notes.json: syscalls[0].names: not a syscall on any architecture libseccomp "
                      "knows: no_such_call, other_call; kept"),
            std::string::npos) << text;
  EXPECT_EQ(notes.size(), 2u) << text;
}

TEST(ProfileNotes, PodmanErrnoNameWithoutNumber) {
  auto notes = notes_of(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYS", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ERRNO", "errno": "EPERM", "errnoRet": 1},
      {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errno": "EACCES"}]})");
  std::string text = all_messages(notes);
  EXPECT_NE(text.find("notes.json: defaultErrno: 'defaultErrno' is Podman's field"), std::string::npos) << text;
  EXPECT_NE(text.find("notes.json: syscalls[1].errno: 'errno' is Podman's field"), std::string::npos) << text;
  EXPECT_EQ(text.find("syscalls[0].errno"), std::string::npos) << text;
}

}  // namespace
}  // namespace syscap::profilegen
