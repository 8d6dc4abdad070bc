// Architecture facts: seccomp/Docker names, AUDIT_ARCH values, Docker's archMap.
//
//   using namespace syscap::tables;
//   const ArchFacts* a = arch_by_audit(AUDIT_ARCH_I386);   // a->scmp_name == "SCMP_ARCH_X86"
//   auto subs = sub_architectures("SCMP_ARCH_X86_64");     // {"SCMP_ARCH_X86", "SCMP_ARCH_X32"}
//   Arch native = native_arch();                           // Arch::X86_64 on this build
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace syscap::tables {

// The architectures for which syscap carries syscall tables.
enum class Arch : std::uint8_t { X86_64, X86, X32, AARCH64 };

inline constexpr Arch kTableArches[] = {Arch::X86_64, Arch::X86, Arch::X32, Arch::AARCH64};

// One architecture that the moby profile format can name.
struct ArchFacts {
  std::string_view scmp_name;    // "SCMP_ARCH_X86_64": the profile's `architectures` spelling
  std::string_view native_name;  // "amd64": the spelling of includes/excludes `arches`
  std::uint32_t audit_arch;      // AUDIT_ARCH_X86_64, as seccomp_data.arch reports it
  std::optional<Arch> table;     // our syscall table for it, if we carry one
};

// Every architecture the moby format accepts in `architectures` (SCMP_ARCH_X86 ... SCMP_ARCH_SHEB).
std::span<const ArchFacts> all_arches();

// The architecture with this SCMP_ARCH_* name, or nullptr.
const ArchFacts* arch_by_scmp_name(std::string_view scmp_name);

// The architecture with this includes/excludes `arches` name ("amd64", "arm64", ...), or nullptr.
// native_name is the name moby compares `arches` with (goToNative: "mipsel", "mips3l64n32",
// "loongarch64"); moby's other spellings "mipsle", "loong64" and "mipsel64n32" resolve too.
const ArchFacts* arch_by_native_name(std::string_view native_name);

// The architecture with this AUDIT_ARCH value (seccomp_data.arch), or nullptr. x32 calls
// report AUDIT_ARCH_X86_64, which gives SCMP_ARCH_X86_64: see arch_of_syscall() for x32.
const ArchFacts* arch_by_audit(std::uint32_t audit_arch);

// The facts of one of our table architectures.
const ArchFacts& facts(Arch arch);

// The sub-architectures a native architecture also runs, as Docker's default archMap lists them
// (SCMP_ARCH_X86_64 -> X86, X32; SCMP_ARCH_AARCH64 -> ARM; ...). Empty for unknown names.
std::span<const std::string_view> sub_architectures(std::string_view native_scmp_name);

// The architecture this binary was built for (the tracer's and enforcer's native arch).
Arch native_arch();

}  // namespace syscap::tables
