// Docker's default archMap: which sub-architectures a native architecture's filter also
// covers. Copied as data from moby/profiles seccomp/default.json (archMap), where a daemon
// expands the entry of its own native arch into the profile's `architectures`.
#include <algorithm>
#include <array>
#include <span>
#include <string_view>

#include "syscap/tables/arch.hpp"

namespace syscap::tables {
namespace {

constexpr std::array<std::string_view, 2> kX86_64Subs{"SCMP_ARCH_X86", "SCMP_ARCH_X32"};
constexpr std::array<std::string_view, 1> kAarch64Subs{"SCMP_ARCH_ARM"};
constexpr std::array<std::string_view, 2> kMips64Subs{"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"};
constexpr std::array<std::string_view, 2> kMips64N32Subs{"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"};
constexpr std::array<std::string_view, 2> kMipsel64Subs{"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"};
constexpr std::array<std::string_view, 2> kMipsel64N32Subs{"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"};
constexpr std::array<std::string_view, 1> kS390xSubs{"SCMP_ARCH_S390"};

struct ArchMapEntry {
  std::string_view architecture;
  std::span<const std::string_view> sub_architectures;
};

// In the order of default.json; RISCV64 and LOONGARCH64 are listed there with no sub-arches.
constexpr std::array<ArchMapEntry, 9> kDockerArchMap{{
    {"SCMP_ARCH_X86_64", kX86_64Subs},
    {"SCMP_ARCH_AARCH64", kAarch64Subs},
    {"SCMP_ARCH_MIPS64", kMips64Subs},
    {"SCMP_ARCH_MIPS64N32", kMips64N32Subs},
    {"SCMP_ARCH_MIPSEL64", kMipsel64Subs},
    {"SCMP_ARCH_MIPSEL64N32", kMipsel64N32Subs},
    {"SCMP_ARCH_S390X", kS390xSubs},
    {"SCMP_ARCH_RISCV64", {}},
    {"SCMP_ARCH_LOONGARCH64", {}},
}};

}  // namespace

std::span<const std::string_view> sub_architectures(std::string_view native_scmp_name) {
  auto it = std::ranges::find(kDockerArchMap, native_scmp_name, &ArchMapEntry::architecture);
  return it == kDockerArchMap.end() ? std::span<const std::string_view>{} : it->sub_architectures;
}

}  // namespace syscap::tables
