// Architecture facts: SCMP_ARCH_* <-> AUDIT_ARCH <-> moby native names, and Docker's archMap.
#include <linux/audit.h>
#include <sys/utsname.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "syscap/tables/arch.hpp"

namespace syscap::tables {
namespace {

std::vector<std::string> strings(std::span<const std::string_view> s) { return {s.begin(), s.end()}; }

nlohmann::json docker_default_profile() {
  std::ifstream in(SYSCAP_TABLES_TEST_DATA_DIR "/docker-default.json");
  EXPECT_TRUE(in) << "cannot open " SYSCAP_TABLES_TEST_DATA_DIR "/docker-default.json";
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

TEST(Arch, EveryMobyArchitectureIsListedOnce) {
  const std::set<std::string> moby = {
      "SCMP_ARCH_X86",      "SCMP_ARCH_X86_64",    "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
      "SCMP_ARCH_AARCH64",  "SCMP_ARCH_MIPS",      "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
      "SCMP_ARCH_MIPSEL",   "SCMP_ARCH_MIPSEL64",  "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
      "SCMP_ARCH_PPC64",    "SCMP_ARCH_PPC64LE",   "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
      "SCMP_ARCH_PARISC",   "SCMP_ARCH_PARISC64",  "SCMP_ARCH_RISCV64",     "SCMP_ARCH_LOONGARCH64",
      "SCMP_ARCH_M68K",     "SCMP_ARCH_SH",        "SCMP_ARCH_SHEB"};
  std::set<std::string> ours, natives;
  for (const ArchFacts& a : all_arches()) {
    ours.emplace(a.scmp_name);
    natives.emplace(a.native_name);
    EXPECT_EQ(arch_by_scmp_name(a.scmp_name), &a);
    EXPECT_EQ(arch_by_native_name(a.native_name), &a);
  }
  EXPECT_EQ(ours, moby);
  EXPECT_EQ(all_arches().size(), moby.size());
  EXPECT_EQ(natives.size(), moby.size()) << "native names must be unique";
}

TEST(Arch, I386BothWays) {
  const ArchFacts* by_audit = arch_by_audit(AUDIT_ARCH_I386);
  ASSERT_NE(by_audit, nullptr);
  EXPECT_EQ(by_audit->scmp_name, "SCMP_ARCH_X86");
  EXPECT_EQ(by_audit->native_name, "x86");
  EXPECT_EQ(by_audit->table, Arch::X86);
  EXPECT_EQ(arch_by_scmp_name("SCMP_ARCH_X86"), by_audit);
  EXPECT_EQ(arch_by_native_name("x86"), by_audit);
  EXPECT_EQ(facts(Arch::X86).audit_arch, AUDIT_ARCH_I386);
}

TEST(Arch, TableArchesHaveTheirFacts) {
  EXPECT_EQ(facts(Arch::X86_64).scmp_name, "SCMP_ARCH_X86_64");
  EXPECT_EQ(facts(Arch::X86_64).native_name, "amd64");
  EXPECT_EQ(facts(Arch::AARCH64).native_name, "arm64");
  EXPECT_EQ(facts(Arch::AARCH64).audit_arch, AUDIT_ARCH_AARCH64);
  EXPECT_EQ(facts(Arch::X32).native_name, "x32");
  // x32 calls reach seccomp as AUDIT_ARCH_X86_64; that value names x86_64.
  EXPECT_EQ(facts(Arch::X32).audit_arch, AUDIT_ARCH_X86_64);
  EXPECT_EQ(arch_by_audit(AUDIT_ARCH_X86_64)->scmp_name, "SCMP_ARCH_X86_64");
  for (Arch a : kTableArches) EXPECT_EQ(facts(a).table, a);
}

// moby compares includes/excludes `arches` with goToNative[GOARCH], and also has the keys of
// its nativeToSeccomp map; both spellings resolve.
TEST(Arch, MobyNativeSpellings) {
  EXPECT_EQ(arch_by_native_name("mips3l64n32")->scmp_name, "SCMP_ARCH_MIPSEL64N32");
  EXPECT_EQ(arch_by_native_name("mipsel64n32")->scmp_name, "SCMP_ARCH_MIPSEL64N32");
  EXPECT_EQ(arch_by_native_name("mipsle")->scmp_name, "SCMP_ARCH_MIPSEL");
  EXPECT_EQ(arch_by_native_name("mipsel")->scmp_name, "SCMP_ARCH_MIPSEL");
  EXPECT_EQ(arch_by_native_name("loong64")->scmp_name, "SCMP_ARCH_LOONGARCH64");
  EXPECT_EQ(arch_by_native_name("loongarch64")->scmp_name, "SCMP_ARCH_LOONGARCH64");
  EXPECT_EQ(arch_by_native_name("x32")->scmp_name, "SCMP_ARCH_X32");
  EXPECT_EQ(arch_by_scmp_name("SCMP_ARCH_SH")->audit_arch, AUDIT_ARCH_SHEL);
  EXPECT_EQ(arch_by_scmp_name("SCMP_ARCH_SHEB")->audit_arch, AUDIT_ARCH_SH);
}

TEST(Arch, UnknownNamesGiveNull) {
  EXPECT_EQ(arch_by_scmp_name("SCMP_ARCH_SPARC"), nullptr);
  EXPECT_EQ(arch_by_scmp_name("amd64"), nullptr);
  EXPECT_EQ(arch_by_native_name("SCMP_ARCH_X86_64"), nullptr);  // moby never matches this
  EXPECT_EQ(arch_by_native_name(""), nullptr);
  EXPECT_EQ(arch_by_audit(0), nullptr);
  EXPECT_TRUE(sub_architectures("SCMP_ARCH_SPARC").empty());
}

TEST(Arch, SubArchitecturesOfX86_64) {
  EXPECT_EQ(strings(sub_architectures("SCMP_ARCH_X86_64")),
            (std::vector<std::string>{"SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
  EXPECT_EQ(strings(sub_architectures("SCMP_ARCH_AARCH64")), (std::vector<std::string>{"SCMP_ARCH_ARM"}));
  EXPECT_TRUE(sub_architectures("SCMP_ARCH_RISCV64").empty());
  EXPECT_TRUE(sub_architectures("SCMP_ARCH_X86").empty());
}

// Our archMap is Docker's, entry for entry, and names only architectures we know.
TEST(Arch, SubArchitecturesAreDockersArchMap) {
  nlohmann::json profile = docker_default_profile();
  ASSERT_TRUE(profile.contains("archMap"));
  ASSERT_FALSE(profile["archMap"].empty());
  for (const auto& entry : profile["archMap"]) {
    std::string arch = entry["architecture"];
    std::vector<std::string> subs;
    if (!entry["subArchitectures"].is_null()) subs = entry["subArchitectures"].get<std::vector<std::string>>();
    EXPECT_EQ(strings(sub_architectures(arch)), subs) << arch;
    EXPECT_NE(arch_by_scmp_name(arch), nullptr) << arch;
    for (const std::string& s : subs) EXPECT_NE(arch_by_scmp_name(s), nullptr) << s;
  }
}

// Every `arches` name Docker's default profile uses resolves to an architecture.
TEST(Arch, DockerProfileArchNamesResolve) {
  nlohmann::json profile = docker_default_profile();
  int seen = 0;
  for (const auto& rule : profile["syscalls"])
    for (const char* filter : {"includes", "excludes"})
      if (rule.contains(filter) && rule[filter].contains("arches"))
        for (const auto& name : rule[filter]["arches"]) {
          EXPECT_NE(arch_by_native_name(name.get<std::string>()), nullptr) << name;
          ++seen;
        }
  EXPECT_GT(seen, 5);
}

TEST(Arch, NativeArchIsThisMachine) {
  utsname u{};
  ASSERT_EQ(uname(&u), 0);
  std::string machine = u.machine;
  if (machine == "x86_64")
    EXPECT_TRUE(native_arch() == Arch::X86_64 || native_arch() == Arch::X32);
  else if (machine == "aarch64")
    EXPECT_EQ(native_arch(), Arch::AARCH64);
  else if (machine.size() == 4 && machine[0] == 'i' && machine.ends_with("86"))
    EXPECT_EQ(native_arch(), Arch::X86);
  else
    GTEST_SKIP() << "no expectation for machine " << machine;
#if defined(__x86_64__) && !defined(__ILP32__)
  EXPECT_EQ(native_arch(), Arch::X86_64);
#endif
}

}  // namespace
}  // namespace syscap::tables
