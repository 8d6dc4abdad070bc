#include "syscap/tables/exec_format.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace syscap::tables {
namespace {

struct ElfMachine {
  std::uint16_t machine;
  unsigned char elf_class;  // ELFCLASS32 / ELFCLASS64
  unsigned char data;       // ELFDATA2LSB / ELFDATA2MSB
  std::string_view scmp_name;
};

// The (machine, class, byte order) triples the moby format names.
constexpr ElfMachine kMachines[] = {
    {EM_X86_64, ELFCLASS64, ELFDATA2LSB, "SCMP_ARCH_X86_64"},
    {EM_X86_64, ELFCLASS32, ELFDATA2LSB, "SCMP_ARCH_X32"},
    {EM_386, ELFCLASS32, ELFDATA2LSB, "SCMP_ARCH_X86"},
    {EM_AARCH64, ELFCLASS64, ELFDATA2LSB, "SCMP_ARCH_AARCH64"},
    {EM_ARM, ELFCLASS32, ELFDATA2LSB, "SCMP_ARCH_ARM"},
    {EM_RISCV, ELFCLASS64, ELFDATA2LSB, "SCMP_ARCH_RISCV64"},
    {EM_PPC64, ELFCLASS64, ELFDATA2LSB, "SCMP_ARCH_PPC64LE"},
    {EM_PPC64, ELFCLASS64, ELFDATA2MSB, "SCMP_ARCH_PPC64"},
    {EM_PPC, ELFCLASS32, ELFDATA2MSB, "SCMP_ARCH_PPC"},
    {EM_S390, ELFCLASS64, ELFDATA2MSB, "SCMP_ARCH_S390X"},
    {EM_S390, ELFCLASS32, ELFDATA2MSB, "SCMP_ARCH_S390"},
    {EM_MIPS, ELFCLASS32, ELFDATA2LSB, "SCMP_ARCH_MIPSEL"},
    {EM_MIPS, ELFCLASS32, ELFDATA2MSB, "SCMP_ARCH_MIPS"},
    {EM_MIPS, ELFCLASS64, ELFDATA2LSB, "SCMP_ARCH_MIPSEL64"},
    {EM_MIPS, ELFCLASS64, ELFDATA2MSB, "SCMP_ARCH_MIPS64"},
    {EM_LOONGARCH, ELFCLASS64, ELFDATA2LSB, "SCMP_ARCH_LOONGARCH64"},
};

// How a user names an architecture in a sentence.
std::string_view spoken(std::string_view scmp_name) {
  if (scmp_name == "SCMP_ARCH_X86") return "32-bit x86 (i386)";
  if (scmp_name == "SCMP_ARCH_X32") return "x32 (32-bit pointers on x86_64)";
  if (scmp_name == "SCMP_ARCH_X86_64") return "x86_64";
  if (scmp_name == "SCMP_ARCH_ARM") return "32-bit ARM";
  if (scmp_name == "SCMP_ARCH_AARCH64") return "arm64 (aarch64)";
  return scmp_name.substr(std::string_view("SCMP_ARCH_").size());
}

}  // namespace

const ArchFacts* elf_arch_of(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return nullptr;
  unsigned char header[EI_NIDENT + 4] = {};
  const ssize_t n = pread(fd, header, sizeof header, 0);
  close(fd);
  if (n != static_cast<ssize_t>(sizeof header) || std::memcmp(header, ELFMAG, SELFMAG) != 0) return nullptr;
  const unsigned char elf_class = header[EI_CLASS], data = header[EI_DATA];
  // e_type (2 bytes) follows e_ident, then e_machine in the file's byte order.
  const std::uint16_t machine = data == ELFDATA2MSB ? static_cast<std::uint16_t>(header[EI_NIDENT + 2] << 8 | header[EI_NIDENT + 3])
                                                    : static_cast<std::uint16_t>(header[EI_NIDENT + 3] << 8 | header[EI_NIDENT + 2]);
  for (const auto& m : kMachines)
    if (m.machine == machine && m.elf_class == elf_class && m.data == data) return arch_by_scmp_name(m.scmp_name);
  return nullptr;
}

bool kernel_runs_i386() {
#if defined(__x86_64__)
  const pid_t pid = fork();
  if (pid == 0) {
    // A kernel without IA32 kills us with SIGSEGV: leave no core file behind.
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");  // i386 getpid
    _exit(ret == getpid() ? 0 : 1);
  }
  if (pid < 0) return false;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return false;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
#else
  return false;
#endif
}

std::string exec_format_hint(std::string_view path, const ArchFacts* file_arch, bool runs_i386) {
  if (!file_arch) return "";
  const std::string_view native = facts(native_arch()).scmp_name;
  const std::string_view name = spoken(file_arch->scmp_name);
  const bool vowel = std::string_view("aeiox").find(name.front()) != std::string_view::npos;  // "an x32", "an arm64"
  const std::string what = std::string(path) + (vowel ? " is an " : " is a ") + std::string(name) + " program";
  if (file_arch->scmp_name == native) return "";  // the format is ours: the file itself is damaged
  if (file_arch->scmp_name == "SCMP_ARCH_X86" && native == "SCMP_ARCH_X86_64") {
    if (runs_i386) return what + ", which this kernel does run: the file itself is damaged or incomplete";
    return what + ", and this kernel runs no 32-bit x86 code: IA32 emulation is not built in or is switched off "
                  "(boot option ia32_emulation=1 turns it on where it is built in)";
  }
  if (file_arch->scmp_name == "SCMP_ARCH_X32" && native == "SCMP_ARCH_X86_64")
    return what + ", and this kernel runs no x32 code (it needs a kernel built with CONFIG_X86_X32_ABI)";
  if (file_arch->scmp_name == "SCMP_ARCH_ARM" && native == "SCMP_ARCH_AARCH64")
    return what + ", and this kernel runs no 32-bit ARM code (it needs CONFIG_COMPAT and a CPU with AArch32)";
  return what + ", and this machine runs " + std::string(spoken(native)) +
         " (a program for another machine needs binfmt_misc with an emulator such as qemu-user)";
}

std::string exec_format_hint(const std::string& path) {
  const ArchFacts* arch = elf_arch_of(path);
  if (!arch) return "";
  const bool probe = arch->scmp_name == "SCMP_ARCH_X86" && native_arch() == Arch::X86_64;
  return exec_format_hint(path, arch, probe && kernel_runs_i386());
}

}  // namespace syscap::tables
