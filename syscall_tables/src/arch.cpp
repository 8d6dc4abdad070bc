// The architectures the moby profile format can name, with their AUDIT_ARCH values and the
// names moby compares includes/excludes `arches` against.
#include "syscap/tables/arch.hpp"

#include <linux/audit.h>

#include <algorithm>
#include <array>

// Older <linux/audit.h> lack these (LoongArch arrived in Linux 5.19); the values are the
// kernel's: EM_LOONGARCH (258) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE.
#ifndef AUDIT_ARCH_LOONGARCH64
#define AUDIT_ARCH_LOONGARCH64 (258U | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif

namespace syscap::tables {
namespace {

// Native names follow moby's profiles/seccomp: the name a daemon compares includes/excludes
// `arches` with is goToNative[GOARCH] ("amd64", "mips3l64n32", "mipsel", "loongarch64").
// Arches moby has no GOARCH for (x32, mips, parisc, m68k, sh) use libseccomp's names, as
// Docker's default profile does for "x32".
//
// x32 calls reach seccomp with seccomp_data.arch == AUDIT_ARCH_X86_64 and kX32SyscallBit set
// in the number, so X32 shares AUDIT_ARCH_X86_64 (libseccomp's SCMP_ARCH_X32 token, EM_X86_64
// | __AUDIT_ARCH_LE, is a libseccomp-internal value the kernel never reports).
// SCMP_ARCH_SH is little-endian SuperH (AUDIT_ARCH_SHEL), SCMP_ARCH_SHEB big-endian (AUDIT_ARCH_SH).
constexpr std::array<ArchFacts, 23> kArches{{
    {"SCMP_ARCH_X86_64", "amd64", AUDIT_ARCH_X86_64, Arch::X86_64},
    {"SCMP_ARCH_X86", "x86", AUDIT_ARCH_I386, Arch::X86},
    {"SCMP_ARCH_X32", "x32", AUDIT_ARCH_X86_64, Arch::X32},
    {"SCMP_ARCH_ARM", "arm", AUDIT_ARCH_ARM, std::nullopt},
    {"SCMP_ARCH_AARCH64", "arm64", AUDIT_ARCH_AARCH64, Arch::AARCH64},
    {"SCMP_ARCH_MIPS", "mips", AUDIT_ARCH_MIPS, std::nullopt},
    {"SCMP_ARCH_MIPS64", "mips64", AUDIT_ARCH_MIPS64, std::nullopt},
    {"SCMP_ARCH_MIPS64N32", "mips64n32", AUDIT_ARCH_MIPS64N32, std::nullopt},
    {"SCMP_ARCH_MIPSEL", "mipsel", AUDIT_ARCH_MIPSEL, std::nullopt},
    {"SCMP_ARCH_MIPSEL64", "mipsel64", AUDIT_ARCH_MIPSEL64, std::nullopt},
    {"SCMP_ARCH_MIPSEL64N32", "mips3l64n32", AUDIT_ARCH_MIPSEL64N32, std::nullopt},
    {"SCMP_ARCH_PPC", "ppc", AUDIT_ARCH_PPC, std::nullopt},
    {"SCMP_ARCH_PPC64", "ppc64", AUDIT_ARCH_PPC64, std::nullopt},
    {"SCMP_ARCH_PPC64LE", "ppc64le", AUDIT_ARCH_PPC64LE, std::nullopt},
    {"SCMP_ARCH_S390", "s390", AUDIT_ARCH_S390, std::nullopt},
    {"SCMP_ARCH_S390X", "s390x", AUDIT_ARCH_S390X, std::nullopt},
    {"SCMP_ARCH_PARISC", "parisc", AUDIT_ARCH_PARISC, std::nullopt},
    {"SCMP_ARCH_PARISC64", "parisc64", AUDIT_ARCH_PARISC64, std::nullopt},
    {"SCMP_ARCH_RISCV64", "riscv64", AUDIT_ARCH_RISCV64, std::nullopt},
    {"SCMP_ARCH_LOONGARCH64", "loongarch64", AUDIT_ARCH_LOONGARCH64, std::nullopt},
    {"SCMP_ARCH_M68K", "m68k", AUDIT_ARCH_M68K, std::nullopt},
    {"SCMP_ARCH_SH", "sh", AUDIT_ARCH_SHEL, std::nullopt},
    {"SCMP_ARCH_SHEB", "sheb", AUDIT_ARCH_SH, std::nullopt},
}};

// The other spellings moby has for three arches: the keys of its nativeToSeccomp map
// ("mipsle", "loong64") and libseccomp's own name for MIPSEL64N32.
struct NativeAlias {
  std::string_view alias;
  std::string_view scmp_name;
};
constexpr std::array<NativeAlias, 3> kNativeAliases{{
    {"mipsle", "SCMP_ARCH_MIPSEL"},
    {"loong64", "SCMP_ARCH_LOONGARCH64"},
    {"mipsel64n32", "SCMP_ARCH_MIPSEL64N32"},
}};

const ArchFacts* find_arch(auto pred) {
  auto it = std::ranges::find_if(kArches, pred);
  return it == kArches.end() ? nullptr : &*it;
}

}  // namespace

std::span<const ArchFacts> all_arches() { return kArches; }

const ArchFacts* arch_by_scmp_name(std::string_view scmp_name) {
  return find_arch([&](const ArchFacts& a) { return a.scmp_name == scmp_name; });
}

const ArchFacts* arch_by_native_name(std::string_view native_name) {
  if (const ArchFacts* a = find_arch([&](const ArchFacts& f) { return f.native_name == native_name; }))
    return a;
  auto alias = std::ranges::find(kNativeAliases, native_name, &NativeAlias::alias);
  return alias == kNativeAliases.end() ? nullptr : arch_by_scmp_name(alias->scmp_name);
}

// X86_64 comes before X32 in kArches, so AUDIT_ARCH_X86_64 finds X86_64.
const ArchFacts* arch_by_audit(std::uint32_t audit_arch) {
  return find_arch([&](const ArchFacts& a) { return a.audit_arch == audit_arch; });
}

const ArchFacts& facts(Arch arch) {
  return *find_arch([&](const ArchFacts& a) { return a.table == arch; });
}

Arch native_arch() {
#if defined(__x86_64__) && defined(__ILP32__)
  return Arch::X32;
#elif defined(__x86_64__)
  return Arch::X86_64;
#elif defined(__i386__)
  return Arch::X86;
#elif defined(__aarch64__)
  return Arch::AARCH64;
#else
#error "syscap runs on x86_64, i386, x32 and aarch64 only: no syscall table for this architecture"
#endif
}

}  // namespace syscap::tables
