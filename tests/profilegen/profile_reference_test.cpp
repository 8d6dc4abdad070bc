// Docker's and Podman's own default profiles parse, keep every field, and round-trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen {
namespace {

std::string data_path(const std::string& name) { return std::string(SYSCAP_TEST_DATA_DIR) + "/" + name; }

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Profile load_or_die(const std::string& name) {
  auto p = load_profile(data_path(name));
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message());
  return p ? *p : Profile{};
}

// The original document with the parts whose order we normalize sorted, and the empty values we
// do not keep ("comment": "", "args": []) removed: what write_profile must reproduce exactly.
nlohmann::json canonical(nlohmann::json doc) {
  for (auto& rule : doc["syscalls"]) {
    std::sort(rule["names"].begin(), rule["names"].end());
    if (rule.contains("comment") && rule["comment"] == "") rule.erase("comment");
    if (rule.contains("args") && rule["args"].empty()) rule.erase("args");
    for (const char* f : {"includes", "excludes"}) {
      if (!rule.contains(f)) continue;
      for (const char* list : {"caps", "arches"}) {
        if (rule[f].contains(list)) std::sort(rule[f][list].begin(), rule[f][list].end());
      }
    }
  }
  return doc;
}

TEST(ReferenceProfiles, DockerDefaultFacts) {
  Profile p = load_or_die("docker-default.json");
  EXPECT_EQ(p.default_action, Action::Errno);
  EXPECT_EQ(p.default_errno_ret, 1u);
  EXPECT_TRUE(p.architectures.empty());
  ASSERT_EQ(p.syscalls.size(), 33u);

  auto x86_64 = std::ranges::find(p.arch_map, "SCMP_ARCH_X86_64", &ArchMapEntry::architecture);
  ASSERT_NE(x86_64, p.arch_map.end());
  EXPECT_EQ(x86_64->sub_architectures, (std::vector<std::string>{"SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
  auto riscv = std::ranges::find(p.arch_map, "SCMP_ARCH_RISCV64", &ArchMapEntry::architecture);
  ASSERT_NE(riscv, p.arch_map.end());
  EXPECT_TRUE(riscv->sub_architectures_null);

  std::size_t allow_rules = 0, allow_names = 0;
  std::vector<const Rule*> errno_rules;
  for (const auto& rule : p.syscalls) {
    if (rule.action == Action::Allow) {
      ++allow_rules;
      allow_names += rule.names.size();
    }
    if (rule.action == Action::Errno) errno_rules.push_back(&rule);
  }
  EXPECT_EQ(allow_rules, 32u);
  EXPECT_EQ(allow_names, 441u);
  ASSERT_EQ(errno_rules.size(), 1u);
  EXPECT_EQ(errno_rules[0]->errno_ret, 38u);
  EXPECT_EQ(errno_rules[0]->names, (std::vector<std::string>{"clone3"}));
  ASSERT_TRUE(errno_rules[0]->excludes.has_value());
  EXPECT_EQ(errno_rules[0]->excludes->caps, (std::vector<std::string>{"CAP_SYS_ADMIN"}));

  std::size_t min_kernel_rules = std::ranges::count_if(p.syscalls, [](const Rule& r) {
    return r.includes && r.includes->min_kernel == "4.8";
  });
  EXPECT_EQ(min_kernel_rules, 1u);
}

TEST(ReferenceProfiles, PodmanDefaultKeepsItsExtras) {
  Profile p = load_or_die("podman-default.json");
  EXPECT_EQ(p.default_action, Action::Errno);
  EXPECT_EQ(p.default_errno_ret, 38u);
  EXPECT_EQ(p.default_errno_name, "ENOSYS");
  auto eperm = std::ranges::count_if(p.syscalls, [](const Rule& r) {
    return r.action == Action::Errno && r.errno_ret == 1u && r.errno_name == "EPERM";
  });
  EXPECT_GT(eperm, 0);
  // Podman writes "includes": {} on most rules; an empty filter is kept, not dropped.
  EXPECT_TRUE(std::ranges::any_of(p.syscalls, [](const Rule& r) { return r.includes && r.includes->empty(); }));
}

class ReferenceRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceRoundTrip, ParseWriteParseIsLossless) {
  Profile p = load_or_die(GetParam());
  std::string text = write_profile(p);
  auto again = parse_profile(text, "written.json");
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(*again, p);
  EXPECT_EQ(write_profile(*again), text);
}

TEST_P(ReferenceRoundTrip, WrittenJsonMatchesTheOriginalDocument) {
  Profile p = load_or_die(GetParam());
  auto original = nlohmann::json::parse(read_text(data_path(GetParam())));
  auto written = nlohmann::json::parse(write_profile(p));
  EXPECT_EQ(written, canonical(original)) << write_profile(p);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ReferenceRoundTrip,
                         ::testing::Values("docker-default.json", "podman-default.json"),
                         [](const auto& info) {
                           return info.param.substr(0, info.param.find('-'));
                         });

TEST(ReferenceProfiles, KnownSyscallNamesAreNotReportedUnknown) {
  // Docker's profile names syscalls of many arches; ours cover x86_64, i386, x32 and arm64, so a
  // few arch-specific names (s390_pci_mmio_read, ...) may be unknown but never the common ones.
  Profile p = load_or_die("docker-default.json");
  auto unknown = unknown_syscall_names(p);
  for (const char* common : {"read", "write", "clone3", "mseal", "openat2", "chown32"}) {
    EXPECT_EQ(std::ranges::count(unknown, common), 0) << common;
  }
  EXPECT_TRUE(std::ranges::is_sorted(unknown));
}

}  // namespace
}  // namespace syscap::profilegen
