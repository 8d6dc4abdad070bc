// The IA32 probe: its classification of real exec and int $0x80 outcomes, and the skip it
// drives, checked with made-up probe results (a kernel with IA32 off cannot be conjured here).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "syscap/test/ia32.hpp"

namespace syscap::test {
namespace {

const Ia32Probe kOff{"execve: ENOEXEC (Exec format error)", "killed by SIGSEGV"};
const Ia32Probe kOn{"", ""};

// Runs a test body that may skip, and returns the skip message ("" when it did not skip).
template <typename Body>
std::string skip_message_of(Body body) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    body();
  }
  for (int i = 0; i < results.size(); ++i)
    if (results.GetTestPartResult(i).skipped()) return results.GetTestPartResult(i).message();
  return "";
}

TEST(Ia32Probe, KernelWithoutIa32SkipsWithTheReason) {
  const std::string exec_skip = skip_message_of([] { SYSCAP_SKIP_UNLESS_PROBE_RUNS(kOff, Ia32Form::Exec); });
  EXPECT_NE(exec_skip.find("runs no 32-bit x86 code"), std::string::npos) << exec_skip;
  EXPECT_NE(exec_skip.find("exec of a static i386 binary failed: execve: ENOEXEC"), std::string::npos) << exec_skip;

  const std::string int80_skip = skip_message_of([] { SYSCAP_SKIP_UNLESS_PROBE_RUNS(kOff, Ia32Form::Int80); });
  EXPECT_NE(int80_skip.find("int $0x80 from a 64-bit process failed: killed by SIGSEGV"), std::string::npos)
      << int80_skip;
}

TEST(Ia32Probe, KernelWithIa32RunsTheTest) {
  bool ran_on = false;
  EXPECT_EQ(skip_message_of([&] {
              SYSCAP_SKIP_UNLESS_PROBE_RUNS(kOn, Ia32Form::Exec);
              SYSCAP_SKIP_UNLESS_PROBE_RUNS(kOn, Ia32Form::Int80);
              ran_on = true;
            }),
            "");
  EXPECT_TRUE(ran_on);
}

TEST(Ia32Probe, EachFormIsJudgedByItsOwnProbe) {
  const Ia32Probe exec_only{"", "killed by SIGSEGV"};
  EXPECT_FALSE(ia32_skip_reason(exec_only, Ia32Form::Exec));
  ASSERT_TRUE(ia32_skip_reason(exec_only, Ia32Form::Int80));
  const Ia32Probe int80_only{"execve: ENOEXEC (Exec format error)", ""};
  EXPECT_TRUE(ia32_skip_reason(int80_only, Ia32Form::Exec));
  EXPECT_FALSE(ia32_skip_reason(int80_only, Ia32Form::Int80));
}

// The exec probe tells real outcomes apart: a program that runs and exits 0, one that exits
// non-zero, one that does not exist, and one the kernel refuses to load.
TEST(Ia32Probe, ExecProbeClassifiesRealOutcomes) {
  EXPECT_EQ(probe_ia32("/bin/true").exec_failure, "");
  EXPECT_EQ(probe_ia32("/bin/false").exec_failure, "exit status 1");
  EXPECT_EQ(probe_ia32("/nonexistent/ia32-probe").exec_failure, "execve: ENOENT (No such file or directory)");
  // A file with an ELF magic and nothing else is refused as a format the kernel cannot load.
  char path[] = "/tmp/syscap-ia32-probe-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "\177ELF", 4), 4);
  fchmod(fd, 0755);
  close(fd);
  EXPECT_NE(probe_ia32(path).exec_failure.find("execve: ENOEXEC"), std::string::npos) << probe_ia32(path).exec_failure;
  unlink(path);
}

// What this machine can do, in the test log; and the probe binary itself: when the exec probe
// says i386 runs, the binary really ran (exit 0), otherwise the failure names why.
TEST(Ia32Probe, MachineProbeIsConsistent) {
  const Ia32Probe& m = machine_ia32();
  ::testing::Test::RecordProperty("ia32_exec", m.exec_failure.empty() ? "runs" : m.exec_failure);
  ::testing::Test::RecordProperty("ia32_int80", m.int80_failure.empty() ? "runs" : m.int80_failure);
  std::printf("IA32 on this machine: exec of an i386 binary: %s; int $0x80: %s\n",
              m.exec_failure.empty() ? "runs" : m.exec_failure.c_str(),
              m.int80_failure.empty() ? "runs" : m.int80_failure.c_str());
  const Ia32Probe again = probe_ia32(SYSCAP_IA32_PROBE_BINARY);
  EXPECT_EQ(again.exec_failure, m.exec_failure);
  EXPECT_EQ(again.int80_failure, m.int80_failure);
  if (!m.exec_failure.empty()) {
    EXPECT_TRUE(m.exec_failure.starts_with("execve: ")) << m.exec_failure;
  }
}

}  // namespace
}  // namespace syscap::test
