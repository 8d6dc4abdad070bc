// Lookups in the generated syscall tables (src/generated/, from scripts/gen-syscall-tables).
#include "syscap/tables/syscalls.hpp"

#include <algorithm>
#include <array>

#include "generated/syscalls_aarch64.inc"
#include "generated/syscalls_other_arches.inc"
#include "generated/syscalls_x32.inc"
#include "generated/syscalls_x86.inc"
#include "generated/syscalls_x86_64.inc"
#include "generated/tables_source.inc"

namespace syscap::tables {
namespace {

using Table = std::span<const SyscallEntry>;

struct ArchTables {
  Table by_name;
  Table by_number;
  Table reserved;
};

// Strictly increasing: sorted and free of duplicates, as lower_bound lookups need.
constexpr bool strictly_sorted_by_name(Table t) {
  return std::ranges::adjacent_find(t, std::ranges::greater_equal{}, &SyscallEntry::name) == t.end();
}
constexpr bool strictly_sorted_by_number(Table t) {
  return std::ranges::adjacent_find(t, std::ranges::greater_equal{}, &SyscallEntry::nr) == t.end();
}

constexpr std::array<ArchTables, 4> kTables{{
    {generated::kX86_64ByName, generated::kX86_64ByNumber, generated::kX86_64Reserved},
    {generated::kX86ByName, generated::kX86ByNumber, generated::kX86Reserved},
    {generated::kX32ByName, generated::kX32ByNumber, generated::kX32Reserved},
    {generated::kAarch64ByName, generated::kAarch64ByNumber, generated::kAarch64Reserved},
}};

static_assert(std::ranges::adjacent_find(generated::kOtherArchSyscalls, std::ranges::greater_equal{}) ==
                  generated::kOtherArchSyscalls.end(),
              "kOtherArchSyscalls must be sorted and duplicate-free: rerun scripts/gen-syscall-tables");

static_assert(std::ranges::all_of(kTables, [](const ArchTables& t) {
  return strictly_sorted_by_name(t.by_name) && strictly_sorted_by_number(t.by_number) &&
         strictly_sorted_by_number(t.reserved) && t.by_name.size() == t.by_number.size();
}), "generated syscall tables must be sorted and duplicate-free: rerun scripts/gen-syscall-tables");

// kTables is in Arch order.
static_assert(static_cast<int>(Arch::X86_64) == 0 && static_cast<int>(Arch::X86) == 1 &&
              static_cast<int>(Arch::X32) == 2 && static_cast<int>(Arch::AARCH64) == 3);

const ArchTables& tables(Arch arch) { return kTables.at(static_cast<std::size_t>(arch)); }

}  // namespace

std::optional<int> syscall_number(Arch arch, std::string_view name) {
  Table t = tables(arch).by_name;
  auto it = std::ranges::lower_bound(t, name, {}, &SyscallEntry::name);
  if (it != t.end() && it->name == name) return it->nr;
  // A handful per arch, sorted by number: a linear search is enough.
  Table reserved = tables(arch).reserved;
  auto r = std::ranges::find(reserved, name, &SyscallEntry::name);
  if (r != reserved.end()) return r->nr;
  return std::nullopt;
}

std::optional<std::string_view> syscall_name(Arch arch, int nr) {
  for (Table t : {tables(arch).by_number, tables(arch).reserved}) {
    auto it = std::ranges::lower_bound(t, nr, {}, &SyscallEntry::nr);
    if (it != t.end() && it->nr == nr) return it->name;
  }
  return std::nullopt;
}

std::span<const SyscallEntry> all_syscalls(Arch arch) { return tables(arch).by_name; }

std::span<const SyscallEntry> reserved_syscalls(Arch arch) { return tables(arch).reserved; }

std::optional<Arch> arch_of_syscall(std::uint32_t audit_arch, long nr) {
  const ArchFacts* a = arch_by_audit(audit_arch);
  if (a == nullptr || !a->table) return std::nullopt;
  // syscall(-1) sets every bit: a negative number is no x32 call.
  if (*a->table == Arch::X86_64 && nr >= 0 && (nr & kX32SyscallBit) != 0) return Arch::X32;
  return a->table;
}

bool is_known_syscall(std::string_view name) {
  return std::ranges::any_of(kTableArches, [&](Arch a) { return syscall_number(a, name).has_value(); });
}

bool is_syscall_on_any_arch(std::string_view name) {
  return is_known_syscall(name) || std::ranges::binary_search(generated::kOtherArchSyscalls, name);
}

std::string_view tables_source() { return generated::kTablesSource; }

}  // namespace syscap::tables
