// Lookups in the generated syscall tables (src/generated/, from scripts/gen-syscall-tables).
#include "syscap/tables/syscalls.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "generated/syscalls_aarch64.inc"
#include "generated/syscalls_other_arches.inc"
#include "generated/syscalls_x32.inc"
#include "generated/syscalls_x86.inc"
#include "generated/syscalls_x86_64.inc"
#include "generated/tables_source.inc"

namespace syscap::tables {
namespace {

using Table = std::span<const SyscallEntry>;

// Strictly increasing: sorted and free of duplicates, as lower_bound lookups need.
constexpr bool strictly_sorted_by_name(Table t) {
  return std::ranges::adjacent_find(t, std::ranges::greater_equal{}, &SyscallEntry::name) == t.end();
}
constexpr bool strictly_sorted_by_number(Table t) {
  return std::ranges::adjacent_find(t, std::ranges::greater_equal{}, &SyscallEntry::nr) == t.end();
}

// The generated tables hold a pointer per name, and a static-pie syscap relocated each of them
// at every start: 3,100 of its 11,000 relocations, and about 25 of the 46 pages it wrote to
// doing so (a fresh page costs 5-10 us on some VMs). So they are used at compile time only,
// packed into tables that hold offsets into one string of names: read-only data, never
// relocated, and touched only where a lookup looks.
struct PackedEntry {
  std::uint16_t name_at;  // offset of the name in the table's names
  std::uint16_t name_size;
  int nr;
};

template <std::size_t N>
constexpr std::size_t names_size(const std::array<SyscallEntry, N>& table) {
  std::size_t size = 0;
  for (const SyscallEntry& e : table) size += e.name.size();
  return size;
}

template <std::size_t N, std::size_t Chars>
struct PackedTable {
  std::array<char, Chars + 1> names{};  // + 1: never empty
  std::array<PackedEntry, N> entries{};
};

template <const auto& kTable>
constexpr auto pack() {
  constexpr std::size_t kChars = names_size(kTable);
  static_assert(kChars < 65536, "names must fit 16-bit offsets");
  PackedTable<kTable.size(), kChars> packed;
  std::size_t at = 0;
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    const SyscallEntry& e = kTable[i];
    std::ranges::copy(e.name, packed.names.begin() + static_cast<std::ptrdiff_t>(at));
    packed.entries[i] = {static_cast<std::uint16_t>(at), static_cast<std::uint16_t>(e.name.size()), e.nr};
    at += e.name.size();
  }
  return packed;
}

// A packed table seen through the names it belongs to.
struct PackedView {
  std::span<const PackedEntry> entries;
  const char* names;
  std::string_view name(const PackedEntry& e) const { return {names + e.name_at, e.name_size}; }
};

template <const auto& kPacked>
constexpr PackedView view_of() {
  return {kPacked.entries, kPacked.names.data()};
}

struct ArchTables {
  PackedView by_name;
  PackedView by_number;
  PackedView reserved;
};

#define SYSCAP_PACKED(arch)                                                                  \
  constexpr auto k##arch##ByName = pack<generated::k##arch##ByName>();                     \
  constexpr auto k##arch##ByNumber = pack<generated::k##arch##ByNumber>();                 \
  constexpr auto k##arch##Reserved = pack<generated::k##arch##Reserved>();                 \
  static_assert(strictly_sorted_by_name(generated::k##arch##ByName) &&                     \
                    strictly_sorted_by_number(generated::k##arch##ByNumber) &&             \
                    strictly_sorted_by_number(generated::k##arch##Reserved) &&             \
                    generated::k##arch##ByName.size() == generated::k##arch##ByNumber.size(), \
                "generated syscall tables must be sorted and duplicate-free: rerun scripts/gen-syscall-tables")
SYSCAP_PACKED(X86_64);
SYSCAP_PACKED(X86);
SYSCAP_PACKED(X32);
SYSCAP_PACKED(Aarch64);
#undef SYSCAP_PACKED

constinit const std::array<ArchTables, 4> kTables{{
    {view_of<kX86_64ByName>(), view_of<kX86_64ByNumber>(), view_of<kX86_64Reserved>()},
    {view_of<kX86ByName>(), view_of<kX86ByNumber>(), view_of<kX86Reserved>()},
    {view_of<kX32ByName>(), view_of<kX32ByNumber>(), view_of<kX32Reserved>()},
    {view_of<kAarch64ByName>(), view_of<kAarch64ByNumber>(), view_of<kAarch64Reserved>()},
}};

static_assert(std::ranges::adjacent_find(generated::kOtherArchSyscalls, std::ranges::greater_equal{}) ==
                  generated::kOtherArchSyscalls.end(),
              "kOtherArchSyscalls must be sorted and duplicate-free: rerun scripts/gen-syscall-tables");

// kTables is in Arch order.
static_assert(static_cast<int>(Arch::X86_64) == 0 && static_cast<int>(Arch::X86) == 1 &&
              static_cast<int>(Arch::X32) == 2 && static_cast<int>(Arch::AARCH64) == 3);

const ArchTables& tables(Arch arch) { return kTables.at(static_cast<std::size_t>(arch)); }

// all_syscalls() and reserved_syscalls() hand out SyscallEntry spans: built at their first
// call (few runs make one), from the packed tables.
std::vector<SyscallEntry> unpack(const PackedView& view) {
  std::vector<SyscallEntry> entries;
  entries.reserve(view.entries.size());
  for (const PackedEntry& e : view.entries) entries.push_back({view.name(e), e.nr});
  return entries;
}

template <PackedView ArchTables::*kWhich>
std::span<const SyscallEntry> unpacked(Arch arch) {
  // Never freed: a span handed out stays valid until the process has gone, static destructors
  // and other threads' last calls included.
  static const auto* const kUnpacked = new std::array<std::vector<SyscallEntry>, 4>{
      unpack(kTables[0].*kWhich), unpack(kTables[1].*kWhich), unpack(kTables[2].*kWhich), unpack(kTables[3].*kWhich)};
  return kUnpacked->at(static_cast<std::size_t>(arch));
}

}  // namespace

std::optional<int> syscall_number(Arch arch, std::string_view name) {
  const PackedView& t = tables(arch).by_name;
  auto it = std::ranges::lower_bound(t.entries, name, {}, [&](const PackedEntry& e) { return t.name(e); });
  if (it != t.entries.end() && t.name(*it) == name) return it->nr;
  // A handful per arch, sorted by number: a linear search is enough.
  const PackedView& reserved = tables(arch).reserved;
  for (const PackedEntry& e : reserved.entries)
    if (reserved.name(e) == name) return e.nr;
  return std::nullopt;
}

std::optional<std::string_view> syscall_name(Arch arch, int nr) {
  for (const PackedView* t : {&tables(arch).by_number, &tables(arch).reserved}) {
    auto it = std::ranges::lower_bound(t->entries, nr, {}, &PackedEntry::nr);
    if (it != t->entries.end() && it->nr == nr) return t->name(*it);
  }
  return std::nullopt;
}

std::span<const SyscallEntry> all_syscalls(Arch arch) { return unpacked<&ArchTables::by_name>(arch); }

std::span<const SyscallEntry> reserved_syscalls(Arch arch) { return unpacked<&ArchTables::reserved>(arch); }

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
