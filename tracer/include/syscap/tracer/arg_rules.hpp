// Which scalar arguments of which syscalls matter for least privilege (seccomp argument rules),
// as data. The recorder keeps the distinct values of exactly these arguments.
//
//   for (const ArgRule& r : syscap::tracer::arg_rules_for("socket", Arch::X86_64))
//     fmt::print("{} arg{} {}\n", r.syscall, r.index, r.name);   // socket arg0 domain ...
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "syscap/tables/arch.hpp"

namespace syscap::tracer {

// Bit set of tables::Arch values an argument rule applies to.
using ArchMask = std::uint8_t;
constexpr ArchMask arch_bit(tables::Arch a) { return static_cast<ArchMask>(1u << static_cast<unsigned>(a)); }
inline constexpr ArchMask kAllArches = 0xff;

// One argument worth recording: `index` (0-5) of `syscall`, named as in its man page.
struct ArgRule {
  std::string_view syscall;
  std::uint8_t index;
  std::string_view name;
  ArchMask arches = kAllArches;  // e.g. i386 "mmap" is old_mmap(struct *): no scalar prot there
};

// Every rule, sorted by syscall name then index.
std::span<const ArgRule> arg_rules();

// The rules for `syscall` on `arch`, sorted by index (empty when none of its arguments matter).
std::vector<ArgRule> arg_rules_for(std::string_view syscall, tables::Arch arch);

}  // namespace syscap::tracer
