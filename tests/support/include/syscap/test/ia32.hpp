// Whether this kernel runs 32-bit x86 code, probed at run time in both of the forms tests use:
// exec of a static i386 binary, and `int $0x80` from a 64-bit process. A kernel built without
// IA32 emulation, or with it switched off (ia32_emulation=0, or
// CONFIG_IA32_EMULATION_DEFAULT_DISABLED), refuses the first with ENOEXEC and kills the second
// with SIGSEGV. Tests that run 32-bit code skip with the probe's reason there:
//
//   TEST(Record, I386StaticBinary) {
//     SYSCAP_SKIP_WITHOUT_IA32(syscap::test::Ia32Form::Exec);
//     ...
//   }
#pragma once

#include <optional>
#include <string>

namespace syscap::test {

enum class Ia32Form {
  Exec,   // execve of an i386 ELF binary
  Int80,  // int $0x80 from a 64-bit process
};

// What the probe saw: for each form, why it failed ("" when it worked).
struct Ia32Probe {
  std::string exec_failure;
  std::string int80_failure;
};

// Runs both probes now (each in a forked child): `i386_binary` is a static i386 program that
// exits 0.
Ia32Probe probe_ia32(const std::string& i386_binary);

// This machine's probe, run once per test process (with the probe binary built for the tests).
const Ia32Probe& machine_ia32();

// Why a test that needs `form` cannot run with probe result `probe`, or nullopt if it can.
std::optional<std::string> ia32_skip_reason(const Ia32Probe& probe, Ia32Form form);

}  // namespace syscap::test

// Skips the current test, with the probe's reason, where this kernel cannot run 32-bit code in
// `form`. Use at the top of a test body or in SetUp().
#define SYSCAP_SKIP_WITHOUT_IA32(form) SYSCAP_SKIP_UNLESS_PROBE_RUNS(::syscap::test::machine_ia32(), (form))

// The same for a given probe result (the probe's own tests drive it with made-up results).
#define SYSCAP_SKIP_UNLESS_PROBE_RUNS(probe, form)                                           \
  do {                                                                                     \
    if (auto syscap_ia32_why = ::syscap::test::ia32_skip_reason((probe), (form)))           \
      GTEST_SKIP() << *syscap_ia32_why;                                                    \
  } while (0)
