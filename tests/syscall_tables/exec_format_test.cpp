// The explanation added to an ENOEXEC: the ELF header read from real files, and the sentence
// for each case with the kernel's answer given (a kernel without IA32 cannot be had on demand).
#include <elf.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>

#include "syscap/tables/exec_format.hpp"
#include "syscap/test/ia32.hpp"

namespace syscap::tables {
namespace {

// A file holding only an ELF identification and e_type/e_machine (what elf_arch_of reads).
struct FakeElf {
  FakeElf(unsigned char elf_class, unsigned char data, std::uint16_t machine) {
    char tmpl[] = "/tmp/syscap-exec-format-XXXXXX";
    const int fd = mkstemp(tmpl);
    path = tmpl;
    unsigned char h[64] = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, elf_class, data, EV_CURRENT};
    const bool big = data == ELFDATA2MSB;
    h[EI_NIDENT + 2] = static_cast<unsigned char>(big ? machine >> 8 : machine & 0xff);
    h[EI_NIDENT + 3] = static_cast<unsigned char>(big ? machine & 0xff : machine >> 8);
    EXPECT_EQ(write(fd, h, sizeof h), static_cast<ssize_t>(sizeof h));
    close(fd);
  }
  ~FakeElf() { unlink(path.c_str()); }
  std::string path;
};

std::string_view scmp(const ArchFacts* a) { return a ? a->scmp_name : "(none)"; }

TEST(ExecFormat, ReadsTheArchitectureFromTheElfHeader) {
  EXPECT_EQ(scmp(elf_arch_of("/bin/sh")), facts(native_arch()).scmp_name);
  EXPECT_EQ(scmp(elf_arch_of(FakeElf(ELFCLASS32, ELFDATA2LSB, EM_386).path)), "SCMP_ARCH_X86");
  EXPECT_EQ(scmp(elf_arch_of(FakeElf(ELFCLASS32, ELFDATA2LSB, EM_X86_64).path)), "SCMP_ARCH_X32");
  EXPECT_EQ(scmp(elf_arch_of(FakeElf(ELFCLASS64, ELFDATA2LSB, EM_AARCH64).path)), "SCMP_ARCH_AARCH64");
  EXPECT_EQ(scmp(elf_arch_of(FakeElf(ELFCLASS32, ELFDATA2LSB, EM_ARM).path)), "SCMP_ARCH_ARM");
  EXPECT_EQ(scmp(elf_arch_of(FakeElf(ELFCLASS64, ELFDATA2MSB, EM_S390).path)), "SCMP_ARCH_S390X");
  EXPECT_EQ(scmp(elf_arch_of(FakeElf(ELFCLASS64, ELFDATA2LSB, 0x1234).path)), "(none)");
  EXPECT_EQ(elf_arch_of("/etc/hostname"), nullptr);  // not ELF
  EXPECT_EQ(elf_arch_of("/nonexistent/program"), nullptr);
}

TEST(ExecFormat, I386OnAKernelWithoutIa32SaysTheKernelRunsNo32BitCode) {
  const ArchFacts* i386 = arch_by_scmp_name("SCMP_ARCH_X86");
  const std::string hint = exec_format_hint("/x/prog", i386, false);
  if (native_arch() != Arch::X86_64) GTEST_SKIP() << "i386 is a sub-architecture only of x86_64";
  EXPECT_EQ(hint,
            "/x/prog is a 32-bit x86 (i386) program, and this kernel runs no 32-bit x86 code: IA32 emulation is "
            "not built in or is switched off (boot option ia32_emulation=1 turns it on where it is built in)");
  // Where the kernel does run i386 code, the refusal is the file's fault, not the kernel's.
  EXPECT_EQ(exec_format_hint("/x/prog", i386, true),
            "/x/prog is a 32-bit x86 (i386) program, which this kernel does run: the file itself is damaged "
            "or incomplete");
}

TEST(ExecFormat, OtherArchitecturesAndNoExplanation) {
  if (native_arch() != Arch::X86_64) GTEST_SKIP() << "the sentences below are those of an x86_64 machine";
  EXPECT_EQ(exec_format_hint("/p", arch_by_scmp_name("SCMP_ARCH_X32"), false),
            "/p is an x32 (32-bit pointers on x86_64) program, and this kernel runs no x32 code (it needs a kernel "
            "built with CONFIG_X86_X32_ABI)");
  EXPECT_EQ(exec_format_hint("/p", arch_by_scmp_name("SCMP_ARCH_AARCH64"), false),
            "/p is an arm64 (aarch64) program, and this machine runs x86_64 (a program for another machine needs "
            "binfmt_misc with an emulator such as qemu-user)");
  EXPECT_EQ(exec_format_hint("/p", nullptr, false), "");                            // not ELF: nothing to add
  EXPECT_EQ(exec_format_hint("/p", arch_by_scmp_name("SCMP_ARCH_X86_64"), false), "");  // ours: damaged
  EXPECT_EQ(exec_format_hint("/etc/hostname"), "");
}

// syscap's probe agrees with the tests' own (tests/support), and leaves no core file behind.
TEST(ExecFormat, KernelProbeAgreesWithTheTestProbe) {
  const bool runs = kernel_runs_i386();
  std::printf("this kernel %s 32-bit x86 code\n", runs ? "runs" : "runs no");
  EXPECT_EQ(runs, test::machine_ia32().int80_failure.empty()) << test::machine_ia32().int80_failure;
  EXPECT_EQ(access("core", F_OK), -1);
}

}  // namespace
}  // namespace syscap::tables
