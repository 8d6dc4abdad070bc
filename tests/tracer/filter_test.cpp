#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "syscap/enforcer/bpf_evaluator.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/seccomp_filter.hpp"

namespace syscap::tracer {
namespace {

using tables::Arch;
// The one BPF evaluator (the enforcer's, which --learn also uses): the filter runs as the kernel
// would run it, without being loaded.
std::uint32_t run_bpf(const std::vector<sock_filter>& prog, const seccomp_data& data) {
  return enforcer::evaluate_program(prog, data);
}

seccomp_data call(std::uint32_t audit_arch, int nr) {
  seccomp_data d{};
  d.arch = audit_arch;
  d.nr = nr;
  return d;
}

std::uint32_t trace_with(std::uint16_t data) { return SECCOMP_RET_TRACE | data; }

TEST(Filter, EveryArchitectureIsTracedWithItsTag) {
  const auto prog = build_trace_all_filter();
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_X86_64, 39)), trace_with(ret_data_for(Arch::X86_64)));
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_X86_64, 0)), trace_with(ret_data_for(Arch::X86_64)));
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_I386, 20)), trace_with(ret_data_for(Arch::X86)));
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_AARCH64, 172)), trace_with(ret_data_for(Arch::AARCH64)));
}

TEST(Filter, X32IsTheX32BitWithinX86_64) {
  const auto prog = build_trace_all_filter();
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_X86_64, tables::kX32SyscallBit | 39)),
            trace_with(ret_data_for(Arch::X32)));
  // The bit means x32 only within AUDIT_ARCH_X86_64: on i386 it is just a (bad) number.
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_I386, tables::kX32SyscallBit | 20)),
            trace_with(ret_data_for(Arch::X86)));
}

TEST(Filter, UnknownArchitecturesAreStillTraced) {
  const auto prog = build_trace_all_filter();
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_PPC64LE, 1)), trace_with(kRetDataUnknownArch));
  EXPECT_EQ(run_bpf(prog, call(AUDIT_ARCH_ARM, 1)), trace_with(kRetDataUnknownArch));
}

TEST(Filter, EveryReturnInstructionIsTrace) {
  for (const sock_filter& ins : build_trace_all_filter()) {
    if (ins.code == (BPF_RET | BPF_K)) {
      EXPECT_EQ(ins.k & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_TRACE) << "k=" << ins.k;
    }
  }
}

TEST(Filter, RetDataRoundTrips) {
  for (Arch a : tables::kTableArches) {
    EXPECT_NE(ret_data_for(a), kRetDataUnknownArch);
    EXPECT_EQ(decode_ret_data(ret_data_for(a)), a);
  }
  EXPECT_EQ(decode_ret_data(kRetDataUnknownArch), std::nullopt);
  EXPECT_EQ(decode_ret_data(200), std::nullopt);
}

TEST(ArchDecoding, FromAuditArchAndNumber) {
  EXPECT_EQ(tables::arch_of_syscall(AUDIT_ARCH_X86_64, 39), Arch::X86_64);
  EXPECT_EQ(tables::arch_of_syscall(AUDIT_ARCH_X86_64, tables::kX32SyscallBit | 39), Arch::X32);
  EXPECT_EQ(tables::arch_of_syscall(AUDIT_ARCH_X86_64, -1), Arch::X86_64);  // syscall(-1)
  EXPECT_EQ(tables::arch_of_syscall(AUDIT_ARCH_I386, 20), Arch::X86);
  EXPECT_EQ(tables::arch_of_syscall(AUDIT_ARCH_AARCH64, 172), Arch::AARCH64);
  EXPECT_EQ(tables::arch_of_syscall(AUDIT_ARCH_PPC64LE, 1), std::nullopt);
}

// The kernel accepts the program, and without a tracer a SECCOMP_RET_TRACE call fails with
// ENOSYS (seccomp(2)). Everything after installing it fails, even exit, so the child reports
// by the way it dies: SIGSEGV (from a store, no syscall) when getpid failed with ENOSYS,
// SIGILL otherwise.
TEST(Filter, KernelLoadsItAndUntracedCallsFailWithEnosys) {
  auto prog_vec = build_trace_all_filter();
  sock_fprog prog{static_cast<unsigned short>(prog_vec.size()), prog_vec.data()};
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(2);
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) _exit(3);
    long r = syscall(SYS_getpid);
    if (r == -1 && errno == ENOSYS) {
      volatile int* volatile p = nullptr;
      *p = 1;
    }
    __builtin_trap();
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

}  // namespace
}  // namespace syscap::tracer
