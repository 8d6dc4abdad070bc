// Generation: blocks, argument rules, capability ties, architectures, runtime block.
#include <gtest/gtest.h>

#include <algorithm>

#include "syscap/profilegen/docker_default.hpp"
#include "syscap/profilegen/generator.hpp"
#include "syscap/tables/runtime_syscalls.hpp"
#include "test_support.hpp"

namespace syscap::profilegen {
namespace {

using test::make_trace;
using test::no_runtime;
using test::rules_for;

GeneratedProfile generate(const Trace& t, const GenerateOptions& o = no_runtime()) {
  auto g = generate_profile(t, o);
  EXPECT_TRUE(g.has_value()) << (g ? "" : g.error().message());
  return g ? *g : GeneratedProfile{};
}

bool in_block(const Rule& r, const std::string& name) {
  return std::ranges::find(r.names, name) != r.names.end();
}

TEST(Generator, DefaultsAreDockersErrnoEperm) {
  auto g = generate(make_trace({"read", "write", "exit_group"}));
  EXPECT_EQ(g.profile.default_action, Action::Errno);
  EXPECT_EQ(g.profile.default_errno_ret, 1u);
  EXPECT_EQ(g.profile.architectures, (std::vector<std::string>{"SCMP_ARCH_X86_64"}));
  EXPECT_TRUE(g.capabilities.empty());
}

TEST(Generator, DefaultActionAndErrnoAreOptions) {
  GenerateOptions o = no_runtime();
  o.default_action = Action::KillProcess;
  auto g = generate(make_trace({"read"}), o);
  EXPECT_EQ(g.profile.default_action, Action::KillProcess);
  EXPECT_FALSE(g.profile.default_errno_ret);  // errnoRet only means something with ERRNO/TRACE

  o.default_action = Action::Errno;
  o.default_errno_ret = 38;
  EXPECT_EQ(generate(make_trace({"read"}), o).profile.default_errno_ret, 38u);
}

TEST(Generator, OnePlainBlockSortedWithExactlyTheRecordedSyscalls) {
  auto g = generate(make_trace({"write", "read", "openat", "exit_group"}));
  ASSERT_EQ(g.profile.syscalls.size(), 1u);
  const Rule& r = g.profile.syscalls[0];
  EXPECT_EQ(r.names, (std::vector<std::string>{"exit_group", "openat", "read", "write"}));
  EXPECT_EQ(r.action, Action::Allow);
  EXPECT_NE(r.comment.find("/bin/demo"), std::string::npos) << r.comment;
}

TEST(Generator, SocketGetsOneEqRulePerDomainUsed) {
  auto t = make_trace({"read"});
  test::set_arg0(t, "socket", {10, 2});
  auto g = generate(t);
  EXPECT_FALSE(in_block(*test::plain_block(g.profile), "socket"));
  auto rules = rules_for(g.profile, "socket");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].args, (std::vector<ArgCondition>{{.index = 0, .value = 2, .op = CmpOp::Equal}}));
  EXPECT_EQ(rules[1].args, (std::vector<ArgCondition>{{.index = 0, .value = 10, .op = CmpOp::Equal}}));
  EXPECT_NE(rules[0].comment.find("AF_INET (2)"), std::string::npos) << rules[0].comment;
}

TEST(Generator, PersonalityGetsTheValuesUsed) {
  auto t = make_trace({"read"});
  test::set_arg0(t, "personality", {0xffffffff, 8});
  auto rules = rules_for(generate(t).profile, "personality");
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].args[0].value, 8u);
  EXPECT_EQ(rules[1].args[0].value, 0xffffffffu);
}

TEST(Generator, TruncatedValuesGiveNoArgumentRule) {
  auto t = make_trace({"read"});
  test::set_arg0(t, "socket", {1, 2});
  t.syscalls.back().args[0].truncated = true;
  auto g = generate(t);
  EXPECT_TRUE(in_block(*test::plain_block(g.profile), "socket"));
  EXPECT_EQ(rules_for(g.profile, "socket").size(), 1u);
}

TEST(Generator, CloneWithoutNamespacesIsMaskedAndClone3GetsEnosys) {
  auto t = make_trace({"read"});
  test::set_arg0(t, "clone", {0x1200011});  // fork(): SIGCHLD|CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID
  auto g = generate(t);
  auto clone = rules_for(g.profile, "clone");
  ASSERT_EQ(clone.size(), 1u);
  ASSERT_EQ(clone[0].args.size(), 1u);
  EXPECT_EQ(clone[0].args[0].op, CmpOp::MaskedEqual);
  EXPECT_EQ(clone[0].args[0].value, 0x7E020000u);  // Docker's mask
  EXPECT_EQ(clone[0].args[0].value_two, 0u);
  auto clone3 = rules_for(g.profile, "clone3");
  ASSERT_EQ(clone3.size(), 1u);
  EXPECT_EQ(clone3[0].action, Action::Errno);
  EXPECT_EQ(clone3[0].errno_ret, 38u);
}

TEST(Generator, RecordedClone3BecomesEnosysWithMaskedClone) {
  auto g = generate(make_trace({"read", "clone3"}));
  EXPECT_FALSE(in_block(*test::plain_block(g.profile), "clone3"));
  auto clone = rules_for(g.profile, "clone");
  ASSERT_EQ(clone.size(), 1u);
  EXPECT_EQ(clone[0].args[0].value, kNamespaceFlags);
  auto clone3 = rules_for(g.profile, "clone3");
  ASSERT_EQ(clone3.size(), 1u);
  EXPECT_EQ(clone3[0].errno_ret, 38u);
}

TEST(Generator, NamespaceFlagsThatWereUsedStayAllowed) {
  auto t = make_trace({"read"});
  test::set_arg0(t, "unshare", {0x10000000});  // CLONE_NEWUSER
  test::add_evidence(t, "CAP_SYS_ADMIN", "unshare");
  auto rules = rules_for(generate(t).profile, "unshare");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].args[0].value, kNamespaceFlags & ~0x10000000ull);
  ASSERT_TRUE(rules[0].includes);
  EXPECT_EQ(rules[0].includes->caps, (std::vector<std::string>{"CAP_SYS_ADMIN"}));
}

TEST(Generator, UnshareWithoutNamespacesNeedsNoCapability) {
  auto t = make_trace({"read"});
  test::set_arg0(t, "unshare", {0x200});  // CLONE_FS
  auto g = generate(t);
  auto rules = rules_for(g.profile, "unshare");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_FALSE(rules[0].includes);
  EXPECT_EQ(rules[0].args[0].value, kNamespaceFlags);
  EXPECT_TRUE(g.capabilities.empty());
}

TEST(Generator, ArgsNoneTurnsArgumentRulesOff) {
  auto t = make_trace({"read"});
  test::set_arg0(t, "socket", {2});
  test::set_arg0(t, "clone", {0x1200011});
  GenerateOptions o = no_runtime();
  o.arg_rules = ArgRules::None;
  auto g = generate(t, o);
  for (const auto& r : g.profile.syscalls) EXPECT_TRUE(r.args.empty());
  EXPECT_TRUE(in_block(*test::plain_block(g.profile), "socket"));
  EXPECT_TRUE(in_block(*test::plain_block(g.profile), "clone"));
  EXPECT_TRUE(rules_for(g.profile, "clone3").empty());
}

TEST(Generator, OnlyTheKnownScalarArgumentsBecomeRules) {
  // A recorded argument of any other syscall (connect's fd here) never becomes a rule: the
  // generator restricts only socket domains, personality, and clone/unshare flags.
  auto t = make_trace({"read"});
  test::set_arg0(t, "connect", {3});
  auto g = generate(t);
  for (const auto& r : g.profile.syscalls) EXPECT_TRUE(r.args.empty());
}

TEST(Generator, EvidenceTiesSyscallToItsCapabilityOnly) {
  auto t = test::load_test_trace("chown");
  auto g = generate(t);
  EXPECT_FALSE(in_block(*test::plain_block(g.profile), "fchownat"));
  auto rules = rules_for(g.profile, "fchownat");
  ASSERT_EQ(rules.size(), 1u);
  ASSERT_TRUE(rules[0].includes);
  EXPECT_EQ(rules[0].includes->caps, (std::vector<std::string>{"CAP_CHOWN"}));
  EXPECT_TRUE(in_block(rules[0], "chown"));
  EXPECT_NE(rules[0].comment.find("file owned by uid 0"), std::string::npos) << rules[0].comment;
  EXPECT_NE(rules[0].comment.find("/usr/bin/chown"), std::string::npos) << rules[0].comment;
}

TEST(Generator, DockerTiedSyscallsStayTied) {
  auto g = generate(make_trace({"read", "chroot", "reboot"}));
  auto chroot = rules_for(g.profile, "chroot");
  ASSERT_EQ(chroot.size(), 1u);
  ASSERT_TRUE(chroot[0].includes);
  EXPECT_EQ(chroot[0].includes->caps, (std::vector<std::string>{"CAP_SYS_CHROOT"}));
  EXPECT_NE(chroot[0].comment.find("Docker's default profile"), std::string::npos);
  auto reboot = rules_for(g.profile, "reboot");
  ASSERT_EQ(reboot.size(), 1u);
  EXPECT_EQ(reboot[0].includes->caps, (std::vector<std::string>{"CAP_SYS_BOOT"}));
  // Tied only because Docker ties them: the trace shows no use of either capability.
  EXPECT_TRUE(g.capabilities.empty());
  EXPECT_EQ(g.docker_ties, (std::vector<DockerTie>{{"CAP_SYS_BOOT", {"reboot"}}, {"CAP_SYS_CHROOT", {"chroot"}}}));
}

TEST(Generator, DockerTieWithoutEvidenceIsNotANeededCapability) {
  // A failing setns(-1, 0): recorded, no CAP_SYS_ADMIN evidence. The profile keeps setns for a
  // container with CAP_SYS_ADMIN, as Docker does, but the container is not told to get it.
  auto t = make_trace({"read", "setns", "sethostname"});
  auto g = generate(t);
  auto setns = rules_for(g.profile, "setns");
  ASSERT_EQ(setns.size(), 1u);
  ASSERT_TRUE(setns[0].includes);
  EXPECT_EQ(setns[0].includes->caps, (std::vector<std::string>{"CAP_SYS_ADMIN"}));
  EXPECT_TRUE(g.capabilities.empty());
  EXPECT_EQ(g.docker_ties, (std::vector<DockerTie>{{"CAP_SYS_ADMIN", {"sethostname", "setns"}}}));
  // With evidence for one syscall under the capability, it is needed and no longer a mere tie.
  test::add_evidence(t, "CAP_SYS_ADMIN", "sethostname");
  g = generate(t);
  EXPECT_EQ(g.capabilities, (std::vector<std::string>{"CAP_SYS_ADMIN"}));
  EXPECT_TRUE(g.docker_ties.empty());
  // --tie forces it too.
  GenerateOptions o = no_runtime();
  o.ties = {{"setns", "CAP_SYS_ADMIN", ""}};
  g = generate(make_trace({"read", "setns"}), o);
  EXPECT_EQ(g.capabilities, (std::vector<std::string>{"CAP_SYS_ADMIN"}));
  EXPECT_TRUE(g.docker_ties.empty());
}

TEST(Generator, UnnamedSyscallsAreLeftOutWithANote) {
  auto t = make_trace({"read", "write"});
  TraceSyscall unknown = t.syscalls[0];
  unknown.name = "syscall_500";
  unknown.nr = 500;
  unknown.count = 3;
  t.syscalls.push_back(unknown);
  auto g = generate(t);
  for (const auto& r : g.profile.syscalls) {
    EXPECT_EQ(std::ranges::find(r.names, "syscall_500"), r.names.end());
  }
  ASSERT_NE(test::plain_block(g.profile), nullptr);
  EXPECT_EQ(test::plain_block(g.profile)->names, (std::vector<std::string>{"read", "write"}));
  ASSERT_EQ(g.notes.size(), 1u);
  EXPECT_NE(g.notes[0].find("syscall_500 on SCMP_ARCH_X86_64 (3 calls"), std::string::npos) << g.notes[0];
  EXPECT_NE(g.notes[0].find("SCMP_ACT_ERRNO"), std::string::npos) << g.notes[0];
}

TEST(Generator, UnnamedSyscallOurTablesNameCountsAsThatSyscall) {
  // An older trace may name a number syscap's tables name now: 39 is getpid on x86_64.
  auto t = make_trace({"read"});
  TraceSyscall old = t.syscalls[0];
  old.name = "syscall_39";
  old.nr = 39;
  t.syscalls.push_back(old);
  auto g = generate(t);
  ASSERT_NE(test::plain_block(g.profile), nullptr);
  EXPECT_EQ(test::plain_block(g.profile)->names, (std::vector<std::string>{"getpid", "read"}));
  ASSERT_EQ(g.notes.size(), 1u);
  EXPECT_NE(g.notes[0].find("syscall_39 on SCMP_ARCH_X86_64: syscall 39 is getpid"), std::string::npos) << g.notes[0];
}

TEST(Generator, DockerTieWithAlternativesPrefersTheNarrowCapability) {
  ASSERT_EQ(docker_capability_tie("bpf"), (std::vector<std::string>{"CAP_BPF", "CAP_SYS_ADMIN"}));
  auto g = generate(make_trace({"bpf"}));
  EXPECT_EQ(rules_for(g.profile, "bpf").at(0).includes->caps, (std::vector<std::string>{"CAP_BPF"}));
  EXPECT_EQ(g.docker_ties, (std::vector<DockerTie>{{"CAP_BPF", {"bpf"}}}));
  // ... unless the container gets CAP_SYS_ADMIN anyway.
  auto t = make_trace({"bpf", "sethostname"});
  test::add_evidence(t, "CAP_SYS_ADMIN", "sethostname");
  g = generate(t);
  EXPECT_EQ(g.capabilities, (std::vector<std::string>{"CAP_SYS_ADMIN"}));
  EXPECT_EQ(rules_for(g.profile, "bpf").at(0).includes->caps, (std::vector<std::string>{"CAP_SYS_ADMIN"}));
}

TEST(Generator, TieMovesASyscallUnderAnotherCapability) {
  auto t = test::load_test_trace("chown");
  GenerateOptions o = no_runtime();
  auto ties = parse_tie("@chown=CAP_AUDIT_CONTROL");
  ASSERT_TRUE(ties) << ties.error().message();
  o.ties = *ties;
  auto g = generate(t, o);
  for (const char* name : {"chown", "fchownat"}) {
    auto rules = rules_for(g.profile, name);
    ASSERT_EQ(rules.size(), 1u) << name;
    EXPECT_EQ(rules[0].includes->caps, (std::vector<std::string>{"CAP_AUDIT_CONTROL"})) << name;
    EXPECT_NE(rules[0].comment.find("--tie"), std::string::npos);
  }
  // The kernel still checks CAP_CHOWN, so the container needs both.
  EXPECT_EQ(g.capabilities, (std::vector<std::string>{"CAP_AUDIT_CONTROL", "CAP_CHOWN"}));
  EXPECT_EQ(g.docker_ties, (std::vector<DockerTie>{{"CAP_SYS_CHROOT", {"chroot"}}}));
}

TEST(Generator, TieCapabilityInAnyCaseWithOrWithoutPrefix) {
  // As `enforce --cap-add` takes them.
  for (const char* text : {"write=cap_kill", "write=kill", "write=Kill", "write=CAP_KILL", "write=KILL"}) {
    auto tie = parse_tie(text);
    ASSERT_TRUE(tie) << text << ": " << tie.error().message();
    EXPECT_EQ(*tie, (std::vector<CapabilityTie>{{"write", "CAP_KILL", ""}})) << text;
  }
  auto family = parse_tie("@chown=cap_audit_control");
  ASSERT_TRUE(family) << family.error().message();
  EXPECT_EQ(family->front().capability, "CAP_AUDIT_CONTROL");
  auto typo = parse_tie("write=cap_kil");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().message().find("did you mean CAP_KILL"), std::string::npos) << typo.error().message();
}

TEST(Generator, TieOfOneSyscallAndItsErrors) {
  auto one = parse_tie("getuid=SETUID");
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, (std::vector<CapabilityTie>{{"getuid", "CAP_SETUID", ""}}));
  auto g = generate(make_trace({"read", "getuid"}), [&] {
    auto o = no_runtime();
    o.ties = *one;
    return o;
  }());
  EXPECT_EQ(rules_for(g.profile, "getuid")[0].includes->caps, (std::vector<std::string>{"CAP_SETUID"}));

  EXPECT_FALSE(parse_tie("getuid"));
  EXPECT_FALSE(parse_tie("getuid=CAP_NOPE"));
  auto nope = parse_tie("getuid=cap_nope");
  ASSERT_FALSE(nope);
  EXPECT_NE(nope.error().message().find("unknown capability \"cap_nope\""), std::string::npos) << nope.error().message();
  EXPECT_FALSE(parse_tie("notasyscall=CAP_CHOWN"));
  auto family = parse_tie("@nope=CAP_CHOWN");
  ASSERT_FALSE(family);
  EXPECT_NE(family.error().message().find("@chown"), std::string::npos);
}

TEST(Generator, TieOfAnUnrecordedSyscallIsANote) {
  auto o = no_runtime();
  o.ties = {{"mount", "CAP_SYS_ADMIN", ""}};
  auto g = generate(make_trace({"read"}), o);
  ASSERT_EQ(g.notes.size(), 1u);
  EXPECT_NE(g.notes[0].find("mount was not recorded"), std::string::npos);
  EXPECT_TRUE(rules_for(g.profile, "mount").empty());
}

TEST(Generator, ArchitecturesAreOnlyThoseSeen) {
  auto g = generate(test::load_test_trace("i386"));
  EXPECT_EQ(g.profile.architectures, (std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}));
  EXPECT_TRUE(in_block(*test::plain_block(g.profile), "socketcall"));
  EXPECT_EQ(generate(test::load_test_trace("hello")).profile.architectures,
            (std::vector<std::string>{"SCMP_ARCH_X86_64"}));
}

TEST(Generator, RuntimeBlockHoldsTheRuntimesSyscalls) {
  auto runc = tables::runtime_syscalls("runc");
  if (!runc || runc->empty()) GTEST_SKIP() << "no measured runc syscall set in syscall_tables yet";
  GenerateOptions o;  // runtime runc is the default
  auto g = generate(make_trace({"read"}), o);
  const Rule& last = g.profile.syscalls.back();
  EXPECT_NE(last.comment.find("runc"), std::string::npos) << last.comment;
  for (auto name : *runc) {
    if (name == "read") continue;  // already in the workload's block
    EXPECT_TRUE(in_block(last, std::string(name))) << name;
  }
  EXPECT_FALSE(in_block(last, "read"));
}

TEST(Generator, UnknownRuntimeIsAnError) {
  GenerateOptions o;
  o.runtime = "youki";
  auto g = generate_profile(make_trace({"read"}), o);
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().message().find("--runtime youki"), std::string::npos);
}

TEST(Generator, SameTraceSameProfile) {
  auto t = test::load_test_trace("network");
  EXPECT_EQ(write_profile(generate(t).profile), write_profile(generate(t).profile));
}

}  // namespace
}  // namespace syscap::profilegen
