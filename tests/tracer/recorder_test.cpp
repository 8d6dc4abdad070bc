#include <gtest/gtest.h>
#include <linux/audit.h>
#include <unistd.h>

#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/recorder.hpp"
#include "syscap/tracer/tracer.hpp"

namespace syscap::tracer {
namespace {

using tables::Arch;

SeccompStop stop(Arch arch, std::int64_t nr, std::array<std::uint64_t, 6> args = {}) {
  const std::uint32_t audit = arch == Arch::X86 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
  return SeccompStop{getpid(), arch, audit, nr, args, 0x401000};
}

const SyscallRecord* find(const Trace& t, std::string_view name, std::string_view arch) {
  for (const auto& s : t.syscalls)
    if (s.name == name && s.arch == arch) return &s;
  return nullptr;
}

TEST(Recorder, CountsPerNameAndArch) {
  Recorder r;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(r.on_syscall(stop(Arch::X86_64, 39)), Resume::Continue);
  r.on_syscall(stop(Arch::X86, 20));  // i386 getpid
  Trace t = r.trace({"x"}, RunResult{});
  ASSERT_EQ(t.syscalls.size(), 2u);
  const auto* native = find(t, "getpid", "SCMP_ARCH_X86_64");
  const auto* i386 = find(t, "getpid", "SCMP_ARCH_X86");
  ASSERT_TRUE(native && i386);
  EXPECT_EQ(native->count, 3u);
  EXPECT_EQ(native->nr, 39);
  EXPECT_EQ(i386->count, 1u);
  EXPECT_EQ(i386->nr, 20);
  EXPECT_EQ(r.distinct_syscalls(), 2u);
  EXPECT_EQ(r.total_calls(), 4u);
  EXPECT_EQ(r.newest_syscall(), "getpid");
}

TEST(Recorder, X32NumbersKeepTheirBitAndName) {
  Recorder r;
  r.on_syscall(stop(Arch::X32, tables::kX32SyscallBit | 39));
  r.on_syscall(stop(Arch::X86_64, 39));
  Trace t = r.trace({"x"}, RunResult{});
  const auto* x32 = find(t, "getpid", "SCMP_ARCH_X32");
  ASSERT_TRUE(x32);
  EXPECT_EQ(x32->nr, tables::kX32SyscallBit | 39);
  EXPECT_EQ(x32->count, 1u);
  ASSERT_TRUE(find(t, "getpid", "SCMP_ARCH_X86_64"));
}

TEST(Recorder, KeepsDistinctSortedValuesOfTheArgumentsThatMatter) {
  Recorder r;
  const int socket_nr = *tables::syscall_number(Arch::X86_64, "socket");
  r.on_syscall(stop(Arch::X86_64, socket_nr, {10, 2, 0, 0xdead, 0, 0}));
  r.on_syscall(stop(Arch::X86_64, socket_nr, {1, 524289, 0, 0xbeef, 0, 0}));
  r.on_syscall(stop(Arch::X86_64, socket_nr, {1, 2, 0, 0, 0, 0}));
  Trace t = r.trace({"x"}, RunResult{});
  const auto* s = find(t, "socket", "SCMP_ARCH_X86_64");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->args.size(), 3u);
  EXPECT_EQ(s->args[0].name, "domain");
  EXPECT_EQ(s->args[0].values, (std::vector<std::uint64_t>{1, 10}));
  EXPECT_EQ(s->args[1].values, (std::vector<std::uint64_t>{2, 524289}));
  EXPECT_EQ(s->args[2].values, (std::vector<std::uint64_t>{0}));
  EXPECT_FALSE(s->args[0].truncated);
}

TEST(Recorder, MoreThan64DistinctValuesAreTruncated) {
  Recorder r;
  const int ioctl_nr = *tables::syscall_number(Arch::X86_64, "ioctl");
  for (std::uint64_t v = 0; v < 100; ++v) r.on_syscall(stop(Arch::X86_64, ioctl_nr, {0, 1000 + v}));
  Trace t = r.trace({"x"}, RunResult{});
  const auto* s = find(t, "ioctl", "SCMP_ARCH_X86_64");
  ASSERT_TRUE(s && s->args.size() == 1);
  EXPECT_EQ(s->args[0].values.size(), 64u);
  EXPECT_TRUE(s->args[0].truncated);
  EXPECT_EQ(s->args[0].values.front(), 1000u);  // the first 64 seen are kept
  EXPECT_EQ(s->args[0].values.back(), 1063u);
  EXPECT_EQ(s->count, 100u);
}

TEST(Recorder, FirstSeenIsTheFirstCall) {
  Recorder r;
  auto first = stop(Arch::X86_64, 39);
  first.instruction_pointer = 0x1234;
  r.on_syscall(first);
  auto second = stop(Arch::X86_64, 39);
  second.pid = 1;
  second.instruction_pointer = 0x9999;
  r.on_syscall(second);
  Trace t = r.trace({"x"}, RunResult{});
  const auto* s = find(t, "getpid", "SCMP_ARCH_X86_64");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->first_seen.pid, getpid());
  EXPECT_EQ(s->first_seen.caller, 0x1234u);
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self);
  ASSERT_GT(n, 0);
  EXPECT_EQ(s->first_seen.exe, std::string(self, static_cast<std::size_t>(n)));
}

TEST(Recorder, UnknownNumbersAndArchesAreKeptNotDropped) {
  Recorder r;
  r.on_syscall(stop(Arch::X86_64, 1000));  // no syscall has this number
  r.on_syscall(stop(Arch::X86_64, -1));    // syscall(-1)
  SeccompStop ppc{getpid(), std::nullopt, AUDIT_ARCH_PPC64LE, 5, {}, 0};
  r.on_syscall(ppc);
  Trace t = r.trace({"x"}, RunResult{});
  EXPECT_TRUE(find(t, "syscall_1000", "SCMP_ARCH_X86_64"));
  EXPECT_TRUE(find(t, "syscall_-1", "SCMP_ARCH_X86_64"));
  EXPECT_TRUE(find(t, "syscall_5", "SCMP_ARCH_PPC64LE"));
}

TEST(Recorder, TraceCarriesRunFacts) {
  Recorder r;
  RunResult run;
  run.exit.signo = 9;
  run.processes = 7;
  run.duration_ms = 12.5;
  Trace t = r.trace({"a", "b"}, run);
  EXPECT_EQ(t.command, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.processes, 7u);
  EXPECT_EQ(t.exit.signo, 9);
  EXPECT_EQ(t.machine_arch, "SCMP_ARCH_X86_64");
  EXPECT_FALSE(t.kernel.empty());
}

}  // namespace
}  // namespace syscap::tracer
