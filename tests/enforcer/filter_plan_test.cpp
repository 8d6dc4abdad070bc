// The pure policy compiler: what moby's setupSeccomp + runc would keep, as (arch, nr) rules.
#include <gtest/gtest.h>
#include <linux/capability.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <string_view>
#include <utility>
#include <fmt/format.h>

#include "syscap/enforcer/filter_plan.hpp"
#include "syscap/tables/syscalls.hpp"
#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

using profilegen::Action;
using tables::Arch;

std::vector<const PlannedRule*> rules_for(const FilterPlan& p, std::string_view name,
                                          Arch arch = Arch::X86_64) {
  std::vector<const PlannedRule*> out;
  for (const auto& r : p.rules)
    if (r.name == name && r.arch == arch) out.push_back(&r);
  return out;
}

// A default-ERRNO profile with one ALLOW rule for `name` carrying `extra` JSON fields.
std::string one_rule(const std::string& extra, const std::string& name = "unshare") {
  return fmt::format(R"({{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
      {{"names":["{}"],"action":"SCMP_ACT_ALLOW"{}}}]}})",
                     name, extra);
}

PlanContext at_kernel(int major, int minor, CapSet caps = test::all_caps()) {
  PlanContext ctx = test::context(caps);
  ctx.kernel = {major, minor};
  return ctx;
}

Result<FilterPlan> compile(const std::string& json, const PlanContext& ctx, bool strict = false) {
  return compile_plan(test::parse(json), ctx, {.source = "p.json", .strict = strict});
}

TEST(FilterPlan, IncludesCapsFollowTheBoundingSet) {
  std::string json = one_rule(R"(,"includes":{"caps":["CAP_SYS_ADMIN"]})");
  CapSet with = docker_default_caps();
  with.add(CAP_SYS_ADMIN);
  EXPECT_EQ(rules_for(test::plan(json, with), "unshare").size(), 1u);
  EXPECT_TRUE(rules_for(test::plan(json, docker_default_caps()), "unshare").empty());
}

// The parser refuses what follows; profiles built in code still get moby's semantics.
profilegen::Profile with_rule_edit(const std::function<void(profilegen::Rule&)>& edit) {
  profilegen::Profile p = test::parse(one_rule(""));
  edit(p.syscalls.at(0));
  return p;
}

TEST(FilterPlan, CapsNeedTheirPrefixLikeMoby) {
  auto p = with_rule_edit([](profilegen::Rule& r) { r.includes.emplace();
    r.includes->caps = {"SYS_ADMIN"}; });
  auto plan = compile_plan(p, test::context(test::all_caps()), {.source = "p.json"});
  ASSERT_TRUE(plan.has_value());
  EXPECT_TRUE(rules_for(*plan, "unshare").empty());
}

TEST(FilterPlan, ExcludesCapsDropWhenAnyIsHeld) {
  std::string json = one_rule(R"(,"excludes":{"caps":["CAP_SYS_ADMIN","CAP_BPF"]})");
  CapSet only_bpf = docker_default_caps();
  only_bpf.add(CAP_BPF);
  EXPECT_TRUE(rules_for(test::plan(json, only_bpf), "unshare").empty());
  EXPECT_EQ(rules_for(test::plan(json, docker_default_caps()), "unshare").size(), 1u);
}

TEST(FilterPlan, MinKernelComparesMajorMinor) {
  std::string inc = one_rule(R"(,"includes":{"minKernel":"6.18"})");
  EXPECT_EQ(rules_for(*compile(inc, at_kernel(6, 18)), "unshare").size(), 1u);
  EXPECT_TRUE(rules_for(*compile(inc, at_kernel(6, 17)), "unshare").empty());
  EXPECT_EQ(rules_for(*compile(inc, at_kernel(7, 0)), "unshare").size(), 1u);
  std::string exc = one_rule(R"(,"excludes":{"minKernel":"6.18"})");
  EXPECT_TRUE(rules_for(*compile(exc, at_kernel(6, 18)), "unshare").empty());
  EXPECT_EQ(rules_for(*compile(exc, at_kernel(5, 10)), "unshare").size(), 1u);
}

TEST(FilterPlan, BadMinKernelIsAnErrorWithItsPath) {
  for (const char* bad : {"6", "0.0", "6.18.1", "x.y"}) {
    auto profile = with_rule_edit([&](profilegen::Rule& r) { r.includes.emplace();
      r.includes->min_kernel = bad; });
    auto p = compile_plan(profile, at_kernel(6, 18), {.source = "p.json"});
    ASSERT_FALSE(p.has_value()) << bad;
    EXPECT_NE(p.error().message().find("p.json: syscalls[0].includes.minKernel"), std::string::npos)
        << p.error().message();
  }
}

TEST(FilterPlan, ArchesUseNativeNames) {
  EXPECT_EQ(rules_for(test::plan(one_rule(R"(,"includes":{"arches":["amd64"]})")), "unshare").size(), 1u);
  EXPECT_TRUE(rules_for(test::plan(one_rule(R"(,"includes":{"arches":["arm64"]})")), "unshare").empty());
  EXPECT_TRUE(rules_for(test::plan(one_rule(R"(,"excludes":{"arches":["amd64"]})")), "unshare").empty());
  auto scmp = with_rule_edit([](profilegen::Rule& r) { r.includes.emplace();
    r.includes->arches = {"SCMP_ARCH_X86_64"}; });
  EXPECT_TRUE(rules_for(*compile_plan(scmp, at_kernel(6, 18), {}), "unshare").empty());
}

TEST(FilterPlan, ArchMapTakesTheNativeEntryAndItsSubArches) {
  std::string json = R"({"defaultAction":"SCMP_ACT_ERRNO",
    "archMap":[{"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]},
               {"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]}],
    "syscalls":[{"names":["open","mseal"],"action":"SCMP_ACT_ALLOW"}]})";
  FilterPlan p = test::plan(json);
  EXPECT_EQ(p.arches, (std::vector<Arch>{Arch::X86_64, Arch::X86, Arch::X32}));
  ASSERT_EQ(rules_for(p, "open", Arch::X86).size(), 1u);
  EXPECT_EQ(rules_for(p, "open", Arch::X86)[0]->nr, 5);
  EXPECT_EQ(rules_for(p, "open", Arch::X86_64)[0]->nr, 2);
  EXPECT_EQ(rules_for(p, "open", Arch::X32)[0]->nr, 0x40000000 | 2);
  EXPECT_EQ(rules_for(p, "mseal", Arch::X86)[0]->nr, 462);
}

TEST(FilterPlan, NoArchesMeansNativeOnly) {
  EXPECT_EQ(test::plan(one_rule("")).arches, (std::vector<Arch>{Arch::X86_64}));
}

TEST(FilterPlan, ArchitecturesAndArchMapTogetherIsAnError) {
  profilegen::Profile both = test::parse(one_rule(""));
  both.architectures = {"SCMP_ARCH_X86_64"};
  both.arch_map = {{.architecture = "SCMP_ARCH_X86_64"}};
  auto p = compile_plan(both, at_kernel(6, 18), {});
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message().find("cannot both be set"), std::string::npos);
}

TEST(FilterPlan, NamesMissingOnAnArchAreSkippedThere) {
  FilterPlan p = test::plan(R"({"defaultAction":"SCMP_ACT_ERRNO",
      "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_AARCH64"],
      "syscalls":[{"names":["open","openat"],"action":"SCMP_ACT_ALLOW"}]})");
  EXPECT_EQ(rules_for(p, "open", Arch::X86_64).size(), 1u);
  EXPECT_TRUE(rules_for(p, "open", Arch::AARCH64).empty());
  EXPECT_EQ(rules_for(p, "openat", Arch::AARCH64).size(), 1u);
  EXPECT_TRUE(p.warnings.empty());
}

TEST(FilterPlan, UnknownNamesWarnOrFailWhenStrict) {
  std::string json = one_rule("", "no_such_syscall");
  auto lax = compile(json, at_kernel(6, 18));
  ASSERT_TRUE(lax.has_value());
  ASSERT_EQ(lax->warnings.size(), 1u);
  EXPECT_NE(lax->warnings[0].find("syscalls[0].names[0]: unknown syscall \"no_such_syscall\""),
            std::string::npos)
      << lax->warnings[0];
  auto strict = compile(json, at_kernel(6, 18), true);
  ASSERT_FALSE(strict.has_value());
  EXPECT_NE(strict.error().message().find("unknown syscall"), std::string::npos);
}

TEST(FilterPlan, ErrnoDefaultsToEpermAndRulesEqualToTheDefaultAreDropped) {
  FilterPlan p = test::plan(R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
      {"names":["getpid"],"action":"SCMP_ACT_ERRNO"},
      {"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":1},
      {"names":["gettid"],"action":"SCMP_ACT_ERRNO","errnoRet":38},
      {"names":["uname"],"action":"SCMP_ACT_TRACE"}]})");
  EXPECT_EQ(p.default_data, 1u);
  EXPECT_TRUE(rules_for(p, "getpid").empty());
  EXPECT_TRUE(rules_for(p, "getppid").empty());
  ASSERT_EQ(rules_for(p, "gettid").size(), 1u);
  EXPECT_EQ(rules_for(p, "gettid")[0]->data, 38u);
  EXPECT_EQ(rules_for(p, "uname")[0]->data, 1u);
  FilterPlan q = test::plan(R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,
      "syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ERRNO"}]})");
  EXPECT_EQ(rules_for(q, "getpid").size(), 1u) << "EPERM differs from the default ENOSYS";
}

TEST(FilterPlan, SameArgumentTwiceBecomesOneRulePerCondition) {
  FilterPlan p = test::plan(R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
      {"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[
        {"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":0,"value":2,"op":"SCMP_CMP_EQ"},
        {"index":1,"value":3,"op":"SCMP_CMP_EQ"}]},
      {"names":["socket"],"action":"SCMP_ACT_ERRNO","args":[
        {"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":1,"value":2,"op":"SCMP_CMP_EQ"}]}]})");
  auto split = rules_for(p, "personality");
  ASSERT_EQ(split.size(), 3u);
  for (const auto* r : split) EXPECT_EQ(r->conditions.size(), 1u);
  auto together = rules_for(p, "socket");
  ASSERT_EQ(together.size(), 1u);
  EXPECT_EQ(together[0]->conditions.size(), 2u);
}

TEST(FilterPlan, NotifyIsNotSupported) {
  auto p = compile(R"({"defaultAction":"SCMP_ACT_ERRNO","listenerPath":"/tmp/s",
      "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]})",
                   at_kernel(6, 18));
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message().find("syscalls[0].action: SCMP_ACT_NOTIFY is not supported"),
            std::string::npos)
      << p.error().message();
}

TEST(FilterPlan, FlagsBecomeFilterFlags) {
  FilterPlan p = test::plan(R"({"defaultAction":"SCMP_ACT_ALLOW",
      "flags":["SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW"]})");
  EXPECT_TRUE(p.flags.log);
  EXPECT_TRUE(p.flags.spec_allow);
  EXPECT_FALSE(p.flags.tsync);
}

TEST(FilterPlan, DockerDefaultTiesUnshareToSysAdmin) {
  std::ifstream in(test::data_file("docker-default.json"));
  std::string json((std::istreambuf_iterator<char>(in)), {});
  CapSet admin = docker_default_caps();
  admin.add(CAP_SYS_ADMIN);
  FilterPlan with = test::plan(json, admin), without = test::plan(json, docker_default_caps());
  EXPECT_FALSE(rules_for(with, "unshare").empty());
  EXPECT_TRUE(rules_for(without, "unshare").empty());
  // clone3: allowed with CAP_SYS_ADMIN, ENOSYS without (so glibc falls back to clone)
  ASSERT_FALSE(rules_for(without, "clone3").empty());
  EXPECT_EQ(rules_for(without, "clone3")[0]->action, Action::Errno);
  EXPECT_EQ(rules_for(without, "clone3")[0]->data, 38u);
  EXPECT_EQ(with.arches, (std::vector<Arch>{Arch::X86_64, Arch::X86, Arch::X32}));
  // Only other arches' recv, send and riscv_hwprobe are skipped, with a note saying so (no warning).
  EXPECT_TRUE(with.warnings.empty()) << with.warnings.at(0);
  std::vector<std::string> skipped;
  for (const auto& w : with.notes) {
    EXPECT_NE(w.find("is not a syscall on SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32; known on "
                     "other architectures, skipped"),
              std::string::npos)
        << w;
    skipped.push_back(w.substr(w.find('"')));
  }
  std::ranges::sort(skipped);
  EXPECT_EQ(skipped, (std::vector<std::string>{
                         "\"recv\" is not a syscall on SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32; "
                         "known on other architectures, skipped",
                         "\"riscv_hwprobe\" is not a syscall on SCMP_ARCH_X86_64, SCMP_ARCH_X86, "
                         "SCMP_ARCH_X32; known on other architectures, skipped",
                         "\"send\" is not a syscall on SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32; "
                         "known on other architectures, skipped"}));
  // The x86_64 numbers the kernel reserves for names Docker allows are allowed, as runc does
  // (lookup_dcookie only with CAP_SYS_ADMIN).
  for (auto [name, nr] : {std::pair<std::string_view, int>{"set_thread_area", 205}, {"get_thread_area", 211},
                          {"epoll_ctl_old", 214}, {"epoll_wait_old", 215}}) {
    auto rules = rules_for(without, name);
    ASSERT_EQ(rules.size(), 1u) << name;
    EXPECT_EQ(rules[0]->nr, nr) << name;
    EXPECT_EQ(rules[0]->action, Action::Allow) << name;
  }
  EXPECT_TRUE(rules_for(without, "lookup_dcookie").empty());
  ASSERT_EQ(rules_for(with, "lookup_dcookie").size(), 1u);
  EXPECT_EQ(rules_for(with, "lookup_dcookie")[0]->nr, 212);
  EXPECT_EQ(rules_for(without, "set_thread_area", Arch::X86).at(0)->nr, 243);
}

// Reserved numbers (a kernel table row with no entry point) are their name's number on their
// own arch, as libseccomp resolves them for runc; elsewhere the name has its own number.
TEST(FilterPlan, ReservedNumbersArePlannedOnTheirOwnArch) {
  FilterPlan p = test::plan(R"({"defaultAction":"SCMP_ACT_ERRNO",
      "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32","SCMP_ARCH_AARCH64"],
      "syscalls":[{"names":["epoll_ctl_old","epoll_wait_old","set_thread_area","get_thread_area",
                            "lookup_dcookie","break"],"action":"SCMP_ACT_ALLOW"}]})");
  auto nr = [&](std::string_view name, Arch arch) {
    auto rules = rules_for(p, name, arch);
    return rules.size() == 1 ? rules[0]->nr : -1;
  };
  EXPECT_EQ(nr("epoll_ctl_old", Arch::X86_64), 214);
  EXPECT_EQ(nr("epoll_wait_old", Arch::X86_64), 215);
  EXPECT_EQ(nr("set_thread_area", Arch::X86_64), 205);
  EXPECT_EQ(nr("get_thread_area", Arch::X86_64), 211);
  EXPECT_EQ(nr("lookup_dcookie", Arch::X86_64), 212);
  EXPECT_EQ(nr("lookup_dcookie", Arch::X32), tables::kX32SyscallBit | 212);
  EXPECT_EQ(nr("set_thread_area", Arch::X86), 243);
  EXPECT_EQ(nr("get_thread_area", Arch::X86), 244);
  EXPECT_EQ(nr("lookup_dcookie", Arch::AARCH64), 18);
  EXPECT_EQ(nr("break", Arch::X86), 17);
  EXPECT_EQ(nr("epoll_ctl_old", Arch::X86), -1);
  EXPECT_EQ(nr("break", Arch::X86_64), -1);
  EXPECT_TRUE(p.warnings.empty()) << p.warnings.at(0);
}

// Names that are syscalls only on arches the filter does not cover are skipped with a warning
// that says so, even with --strict; only names no arch knows are errors then.
TEST(FilterPlan, OtherArchitecturesNamesAreNotedEvenWhenStrict) {
  std::string json = R"({"defaultAction":"SCMP_ACT_ERRNO",
      "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86"],
      "syscalls":[{"names":["openat","recv","riscv_hwprobe"],"action":"SCMP_ACT_ALLOW"}]})";
  for (bool strict : {false, true}) {
    auto p = compile(json, at_kernel(6, 18), strict);
    ASSERT_TRUE(p.has_value()) << p.error().message();
    EXPECT_TRUE(p->warnings.empty());
    ASSERT_EQ(p->notes.size(), 2u);
    EXPECT_EQ(p->notes[0],
              "p.json: syscalls[0].names[1]: \"recv\" is not a syscall on SCMP_ARCH_X86_64, "
              "SCMP_ARCH_X86; known on other architectures, skipped");
    EXPECT_EQ(p->notes[1],
              "p.json: syscalls[0].names[2]: \"riscv_hwprobe\" is not a syscall on SCMP_ARCH_X86_64, "
              "SCMP_ARCH_X86; known on other architectures, skipped");
    EXPECT_EQ(rules_for(*p, "openat").size(), 1u);
  }
  // A name of our own tables that is not on this filter's arches says so too (i386's socketcall
  // in an x86_64-only filter).
  auto x86_64 = compile(R"({"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],
      "syscalls":[{"names":["socketcall"],"action":"SCMP_ACT_ALLOW"}]})",
                        at_kernel(6, 18), true);
  ASSERT_TRUE(x86_64.has_value()) << x86_64.error().message();
  ASSERT_EQ(x86_64->notes.size(), 1u);
  EXPECT_NE(x86_64->notes[0].find("\"socketcall\" is not a syscall on SCMP_ARCH_X86_64"),
            std::string::npos)
      << x86_64->notes[0];
  EXPECT_NE(x86_64->notes[0].find("; known on other architectures, skipped"), std::string::npos)
      << x86_64->notes[0];
}

// --strict accepts Docker's and Podman's own default profiles (their other-arch names and
// the x86_64 reserved numbers they list), for any capability set.
TEST(FilterPlan, DockerAndPodmanDefaultsCompileStrict) {
  for (const char* file : {"docker-default.json", "podman-default.json"}) {
    std::ifstream in(test::data_file(file));
    std::string json((std::istreambuf_iterator<char>(in)), {});
    for (const CapSet& caps : {test::all_caps(), docker_default_caps()}) {
      auto p = compile_plan(test::parse(json), test::context(caps), {.source = file, .strict = true});
      ASSERT_TRUE(p.has_value()) << file << ": " << p.error().message();
      EXPECT_FALSE(p->rules.empty()) << file;
      EXPECT_TRUE(p->warnings.empty()) << file << ": " << p->warnings.at(0);
      for (const auto& n : p->notes) EXPECT_NE(n.find("known on other architectures"), std::string::npos) << n;
    }
  }
}

}  // namespace
}  // namespace syscap::enforcer
