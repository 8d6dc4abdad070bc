// Compiled programs checked without loading them: the user-space evaluator answers as the
// kernel would (and the kernel-loaded tests elsewhere check the same programs for real).
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/capability.h>

#include <fstream>

#include "syscap/enforcer/bpf_evaluator.hpp"
#include "syscap/enforcer/seccomp_program.hpp"
#include "test_support.hpp"

namespace syscap::enforcer {
namespace {

std::string docker_default() {
  std::ifstream in(test::data_file("docker-default.json"));
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

SeccompProgram program(const std::string& json, CapSet caps = test::all_caps()) {
  auto p = build_program(test::plan(json, caps));
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message());
  return p ? *p : SeccompProgram{};
}

std::uint32_t run(const SeccompProgram& p, std::uint32_t arch, int nr, std::uint64_t a0 = 0) {
  seccomp_data call{};
  call.nr = nr;
  call.arch = arch;
  call.args[0] = a0;
  return evaluate_program(p.instructions, call);
}

constexpr std::uint32_t kErrno(std::uint32_t e) { return SECCOMP_RET_ERRNO | e; }

TEST(BpfEvaluator, DockerDefaultAnswers) {
  // Every capability the kernel headers name, whatever this process holds: the program is only
  // evaluated, never installed.
  const CapSet every{(std::uint64_t{1} << (CAP_LAST_CAP + 1)) - 1};
  SeccompProgram all = program(docker_default(), every), fourteen = program(docker_default(), docker_default_caps());
  EXPECT_EQ(run(all, AUDIT_ARCH_X86_64, 110), SECCOMP_RET_ALLOW);          // getppid
  EXPECT_EQ(run(all, AUDIT_ARCH_X86_64, 272), SECCOMP_RET_ALLOW);          // unshare
  EXPECT_EQ(run(fourteen, AUDIT_ARCH_X86_64, 272), kErrno(1));
  EXPECT_EQ(run(fourteen, AUDIT_ARCH_X86_64, 435), kErrno(38));            // clone3
  EXPECT_EQ(run(fourteen, AUDIT_ARCH_X86_64, 135, 0), SECCOMP_RET_ALLOW);   // personality(0)
  EXPECT_EQ(run(fourteen, AUDIT_ARCH_X86_64, 135, 1), kErrno(1));
  EXPECT_EQ(run(fourteen, AUDIT_ARCH_X86_64, 56, 0x11), SECCOMP_RET_ALLOW);  // clone(SIGCHLD)
  EXPECT_EQ(run(fourteen, AUDIT_ARCH_X86_64, 56, 0x10000000), kErrno(1));    // CLONE_NEWUSER
  EXPECT_EQ(run(all, AUDIT_ARCH_I386, 20), SECCOMP_RET_ALLOW);             // i386 getpid
  EXPECT_EQ(run(all, AUDIT_ARCH_I386, 462), SECCOMP_RET_ALLOW);            // i386 mseal (prefix)
  EXPECT_EQ(run(all, AUDIT_ARCH_X86_64, 0x40000000), SECCOMP_RET_ALLOW);   // x32 read
  EXPECT_EQ(run(all, AUDIT_ARCH_X86_64, 9999), kErrno(1));
  EXPECT_EQ(run(all, AUDIT_ARCH_AARCH64, 63), SECCOMP_RET_KILL_THREAD);    // not in the filter
}

TEST(BpfEvaluator, X86_64OnlyKillsOtherArches) {
  SeccompProgram p = program(R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"]})");
  EXPECT_EQ(run(p, AUDIT_ARCH_X86_64, 110), SECCOMP_RET_ALLOW);
  EXPECT_EQ(run(p, AUDIT_ARCH_I386, 20), SECCOMP_RET_KILL_THREAD);
  EXPECT_EQ(run(p, AUDIT_ARCH_X86_64, 0x40000000), SECCOMP_RET_KILL_THREAD);  // x32
}

TEST(BpfEvaluator, RefusalMeansNotAllowOrLog) {
  EXPECT_FALSE(would_refuse(SECCOMP_RET_ALLOW));
  EXPECT_FALSE(would_refuse(SECCOMP_RET_LOG));
  EXPECT_TRUE(would_refuse(kErrno(1)));
  EXPECT_TRUE(would_refuse(SECCOMP_RET_TRACE | 5));
  EXPECT_TRUE(would_refuse(SECCOMP_RET_KILL_PROCESS));
  EXPECT_TRUE(would_refuse(SECCOMP_RET_KILL_THREAD));
}

TEST(BpfEvaluator, MalformedProgramsKill) {
  seccomp_data call{};
  std::vector<sock_filter> off_end = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0)};
  EXPECT_EQ(evaluate_program(off_end, call), SECCOMP_RET_KILL_PROCESS);
  std::vector<sock_filter> bad_load = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4096),
                                       BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  EXPECT_EQ(evaluate_program(bad_load, call), SECCOMP_RET_KILL_PROCESS);
}

}  // namespace
}  // namespace syscap::enforcer
