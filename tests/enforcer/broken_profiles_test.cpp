// Fail closed: each broken profile or option ends with exit 125 and its message, and the
// command (which would create a marker file) never runs.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

struct BrokenCase {
  const char* name;
  std::optional<std::string> profile;  // nullopt: the file does not exist
  std::vector<std::string> options;
  std::string message;  // must appear on stderr
  bool names_file = true;
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class BrokenProfiles : public testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenProfiles, FailWithTheirMessageAndNeverRunTheCommand) {
  const BrokenCase& c = GetParam();
  if (std::string(c.name) == "cap_not_ours" && test::all_caps().has(CAP_SYS_RESOURCE))
    GTEST_SKIP() << "this process has CAP_SYS_RESOURCE, so it can grant it";
  std::string path = c.profile ? test::write_temp("broken.json", *c.profile)
                               : test::temp_path("missing.json");
  std::string marker = test::temp_path("marker");
  std::vector<std::string> argv = {SYSCAP_BINARY, "enforce", "--profile", path};
  argv.insert(argv.end(), c.options.begin(), c.options.end());
  argv.insert(argv.end(), {"--", "/usr/bin/touch", marker});
  auto r = test::run(argv);
  EXPECT_EQ(r.status, 125) << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << "stderr: " << r.err;
  if (c.names_file) {
    EXPECT_NE(r.err.find(path), std::string::npos) << "names the file: " << r.err;
  }
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "the command ran";
}

const std::string kOk = R"({"defaultAction":"SCMP_ACT_ALLOW"})";

INSTANTIATE_TEST_SUITE_P(
    Enforcer, BrokenProfiles,
    testing::Values(
        BrokenCase{"missing_file", std::nullopt, {}, "missing.json"},
        BrokenCase{"not_json", "{\"defaultAction\": ", {}, "broken.json"},
        BrokenCase{"unknown_action", R"({"defaultAction":"SCMP_ACT_MAYBE"})", {}, "defaultAction"},
        BrokenCase{"no_default_action", R"({"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]})",
                   {}, "defaultAction"},
        BrokenCase{"notify", R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/tmp/x",
            "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]})",
                   {}, "syscalls[0].action: SCMP_ACT_NOTIFY is not supported"},
        BrokenCase{"default_notify", R"({"defaultAction":"SCMP_ACT_NOTIFY","listenerPath":"/tmp/x"})", {},
                   "defaultAction: SCMP_ACT_NOTIFY"},
        BrokenCase{"arches_and_archmap", R"({"defaultAction":"SCMP_ACT_ALLOW",
            "architectures":["SCMP_ARCH_X86_64"],
            "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":[]}]})",
                   {}, "both set"},
        BrokenCase{"bad_min_kernel", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],
            "action":"SCMP_ACT_ERRNO","includes":{"minKernel":"6"}}]})",
                   {}, "syscalls[0].includes.minKernel"},
        BrokenCase{"unknown_op", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],
            "action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_SOMETIMES"}]}]})",
                   {}, "syscalls[0].args[0].op"},
        BrokenCase{"bad_arg_index", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],
            "action":"SCMP_ACT_ERRNO","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]})",
                   {}, "syscalls[0].args[0].index"},
        BrokenCase{"unknown_name_strict", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
            {"names":["frobnicate"],"action":"SCMP_ACT_ERRNO"}]})",
                   {"--strict"}, "unknown syscall \"frobnicate\""},
        BrokenCase{"unknown_cap", kOk, {"--cap-add", "CAP_FLY"}, "\"CAP_FLY\" is not a capability", false},
        // Every part of every value is checked: nothing after a valid name is ignored.
        BrokenCase{"cap_list_with_space", kOk, {"--cap-drop", "KILL CHOWN"}, "\"KILL CHOWN\" is not a capability", false},
        BrokenCase{"cap_list_with_semicolon", kOk, {"--cap-drop", "KILL;CHOWN"}, "\"KILL;CHOWN\" is not a capability", false},
        BrokenCase{"cap_list_with_garbage", kOk, {"--cap-drop", "CAP_KILL,garbage"}, "\"garbage\" is not a capability", false},
        BrokenCase{"cap_add_list_with_bogus", kOk, {"--cap-add", "NET_ADMIN,BOGUS"}, "\"BOGUS\" is not a capability", false},
        BrokenCase{"cap_list_empty_item", kOk, {"--cap-add", "KILL,"}, "an empty item", false},
        BrokenCase{"cap_not_ours", kOk, {"--cap-add", "SYS_RESOURCE"}, "cannot be granted", false}));

}  // namespace
}  // namespace syscap::enforcer
