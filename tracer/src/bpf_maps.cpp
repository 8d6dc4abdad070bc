#include "bpf_maps.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "bpf_map_reader.hpp"
#include "record_skeleton.hpp"
#include "record_shared.h"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/kernel_check_rules.hpp"
#include "syscap/tables/syscalls.hpp"
#include "syscap/tracer/arg_rules.hpp"
#include "syscap/tracer/recorder.hpp"

namespace syscap::tracer::detail {

namespace {

using tables::Arch;

constexpr Arch kArchOfIndex[] = {Arch::X86_64, Arch::X86, Arch::X32, Arch::AARCH64};
static_assert(static_cast<int>(Arch::X86_64) == SYSCAP_ARCH_X86_64 && static_cast<int>(Arch::X86) == SYSCAP_ARCH_I386 &&
              static_cast<int>(Arch::X32) == SYSCAP_ARCH_X32 && static_cast<int>(Arch::AARCH64) == SYSCAP_ARCH_AARCH64);

// The arches a process on this machine can make calls on.
std::vector<Arch> machine_arches() {
#if defined(__x86_64__)
  return {Arch::X86_64, Arch::X86, Arch::X32};
#else
  return {Arch::AARCH64};
#endif
}

std::string name_of(Arch arch, std::int64_t nr) {
  auto name = nr >= 0 && nr <= 0x7fffffff ? tables::syscall_name(arch, static_cast<int>(nr)) : std::nullopt;
  // A number our tables do not know (newer kernel, or garbage like syscall(-1)).
  return name ? std::string(*name) : fmt::format("syscall_{}", nr);
}

constexpr std::size_t kMaxValues = ArgValueSet::kCapacity;
static_assert(SYSCAP_ARG_VALUES_KEPT == kMaxValues + 1, "the program keeps one value more than a trace lists");
static_assert(SYSCAP_MAX_WATCHED_CALLS <= 255, "a row number (1-based) fits syscap_arg_watch.row");

// The losses of `reason` the program counted (it may still be counting: read atomically).
__u64 losses(const record_bpf& skel, __u32 reason) {
  return __atomic_load_n(&skel.bss->lost[reason], __ATOMIC_RELAXED);
}

std::string text_of(const char (&bytes)[SYSCAP_EXE_LEN]) { return std::string(bytes, strnlen(bytes, sizeof bytes)); }

// Whether the program put entries in a spill trie (its flag in global data; set before the
// entry is, so a reader that finds it clear finds the trie empty but for entries made after).
bool spilled(const __u32& flag) { return __atomic_load_n(&flag, __ATOMIC_RELAXED) != 0; }

// Every (key, value) of a small hash map and of its spill trie (read only where the program
// spilled), with the trie's keys unwrapped to the hash's: the two never share a key.
template <typename Key, typename SpillKey, typename Value, typename Unwrap>
std::vector<std::pair<Key, Value>> read_spilled_hash(const bpf_map* hash, const bpf_map* spill, const __u32& flag,
                                                     Unwrap unwrap) {
  auto out = read_hash_map<Key, Value>(bpf_map__fd(hash));
  if (spilled(flag))
    for (const auto& [key, value] : read_hash_map<SpillKey, Value>(bpf_map__fd(spill)))
      out.emplace_back(unwrap(key), value);
  return out;
}

}  // namespace

// The program's key of call `name` on `arch` (syscap_call_key()), if the program counts it in
// its arrays: numbers below SYSCAP_MAX_NR once x32's kX32SyscallBit is off (the program clears
// it, arch_of_current()).
std::optional<__u32> program_key(Arch arch, std::string_view name) {
  auto nr = tables::syscall_number(arch, name);
  if (!nr) return std::nullopt;
  const std::int64_t index = arch == Arch::X32 ? (*nr & ~static_cast<std::int64_t>(tables::kX32SyscallBit)) : *nr;
  if (index < 0 || index >= SYSCAP_MAX_NR) return std::nullopt;
  return syscap_call_key(static_cast<__u32>(arch), static_cast<__u32>(index));
}

// The number our tables (and the ptrace engine's traces) give a call the program saw as `nr` on
// `arch`: x32's with their bit back.
std::int64_t table_number(Arch arch, std::int64_t nr) {
  return arch == Arch::X32 ? (nr | static_cast<std::int64_t>(tables::kX32SyscallBit)) : nr;
}

namespace {

// The checks that only probe (kernel_check_rules()' Probe rows), for the program to key without
// their arguments and credentials, which decide nothing. A capability beyond the program's
// SYSCAP_PROBE_SLOTS is left out: its checks are then kept apart by arguments as any other.
void mark_probes(record_bpf& skel) {
  std::map<tables::Capability, __u8> slots;
  for (Arch arch : machine_arches())
    for (const tables::KernelCheckRule& rule : tables::kernel_check_rules()) {
      if (rule.verdict != tables::CheckVerdict::Probe) continue;
      const auto cap = static_cast<unsigned>(rule.cap);
      auto key = program_key(arch, rule.syscall);
      // A call whose checks read memory is never keyed as a probe: its key keeps the memory.
      if (cap >= SYSCAP_CAPS || !key || skel.bss->mem_watch[*key] != 0) continue;
      auto slot = slots.find(rule.cap);
      if (slot == slots.end()) {
        if (slots.size() == SYSCAP_PROBE_SLOTS) continue;
        slot = slots.emplace(rule.cap, static_cast<__u8>(slots.size())).first;
        skel.bss->probe_slot_of_cap[cap] = static_cast<__u8>(slot->second + 1);
      }
      skel.bss->probe_calls[*key] |= static_cast<__u8>(1u << slot->second);
    }
}

}  // namespace

Result<std::size_t> watch_arguments(record_bpf& skel) {
  auto& watch = skel.bss->arg_watch;
  std::size_t arguments = 0;
  __u32 rows = 0;
  for (Arch arch : machine_arches())
    for (const ArgRule& rule : arg_rules()) {
      if (!(rule.arches & arch_bit(arch))) continue;
      auto key = program_key(arch, rule.syscall);
      if (!key) continue;
      syscap_arg_watch& call = watch[*key];
      if (call.row == 0) {
        if (rows == SYSCAP_MAX_WATCHED_CALLS)
          return fail("load the BPF engine", "", "the argument table has more syscalls than the program's rows", E2BIG);
        call.row = static_cast<__u8>(++rows);
      }
      const auto bit = static_cast<__u8>(1u << rule.index);
      if (!(call.mask & bit)) ++arguments;
      call.mask |= bit;
    }
  // The memory the capability inference reads to judge a check (perf_event_open's attr).
  auto& memory = skel.bss->mem_watch;
  for (Arch arch : machine_arches())
    for (const tables::KernelCheckRule& rule : tables::kernel_check_rules()) {
      if (rule.verdict != tables::CheckVerdict::Model || rule.arg < 0) continue;
      auto key = program_key(arch, rule.syscall);
      if (!key) continue;
      memory[*key] = static_cast<__u8>(rule.arg + 1);
    }
  mark_probes(skel);
  return arguments;
}

void mark_exec_calls(record_bpf& skel) {
  for (Arch arch : machine_arches())
    for (const char* name : {"execve", "execveat"})
      if (auto key = program_key(arch, name)) skel.bss->exec_calls[*key] = 1;
}

namespace {

// Every call counted, by syscap_call_key(), with its count summed over the CPUs: one read per
// arch the program counted calls of, each giving every CPU's copy of that arch's counts. Those
// arches are the ones with first callers (`firsts`' keys: every call counted has one, or a
// loss of one is counted, and then every arch is read). Nothing zeroed that the kernel writes:
// each fresh page costs a fault.
std::vector<std::pair<__u32, __u64>> read_counts(const record_bpf& skel,
                                                  const std::unordered_map<__u32, syscap_first>& firsts) {
  const int possible = libbpf_num_possible_cpus();
  const std::size_t ncpus = static_cast<std::size_t>(possible > 0 ? possible : 1);
  __u32 arches = losses(skel, SYSCAP_LOST_FIRST) > 0 ? ~0u : 0u;
  for (const auto& [call, first] : firsts) arches |= 1u << (call / SYSCAP_MAX_NR);
  std::vector<std::pair<__u32, __u64>> counted;
  auto per_cpu = std::make_unique_for_overwrite<syscap_counts[]>(ncpus);  // as the kernel lays them out
  for (__u32 arch = 0; arch < SYSCAP_ARCHES; ++arch) {
    if (!((arches >> arch) & 1) || bpf_map_lookup_elem(bpf_map__fd(skel.maps.counts), &arch, per_cpu.get()) != 0)
      continue;
    for (__u32 nr = 0; nr < SYSCAP_MAX_NR; ++nr) {
      __u64 total = 0;
      for (std::size_t cpu = 0; cpu < ncpus; ++cpu) total += per_cpu[cpu].n[nr];
      if (total != 0) counted.emplace_back(syscap_call_key(arch, nr), total);
    }
  }
  return counted;
}

}  // namespace

std::vector<SyscallRecord> read_syscalls(const record_bpf& skel) {
  // Argument values by call key and index.
  std::map<std::pair<__u32, __u32>, std::set<__u64>> values;
  for (const auto& [kept, one] : read_spilled_hash<syscap_arg_key, syscap_arg_spill_key, __u8>(
           skel.maps.arg_values, skel.maps.arg_values_spill, skel.bss->arg_values_spilled,
           [](const syscap_arg_spill_key& k) { return k.arg; }))
    values[{kept.call, kept.index}].insert(kept.value);
  // First callers by call key.
  std::unordered_map<__u32, syscap_first> firsts;
  for (const auto& [call, first] : read_spilled_hash<__u32, syscap_first_spill_key, syscap_first>(
           skel.maps.first, skel.maps.first_spill, skel.bss->first_spilled,
           [](const syscap_first_spill_key& k) { return k.call; }))
    firsts.emplace(call, first);

  // Values that could not be kept make every argument list incomplete: no rule may be built
  // on them.
  const bool values_lost = losses(skel, SYSCAP_LOST_ARG_VALUES) > 0;
  std::vector<SyscallRecord> out;
  for (const auto& [call, total] : read_counts(skel, firsts)) {
    const Arch arch = kArchOfIndex[call / SYSCAP_MAX_NR];
    SyscallRecord s;
    s.nr = table_number(arch, call % SYSCAP_MAX_NR);
    s.arch = std::string(tables::facts(arch).scmp_name);
    s.name = name_of(arch, s.nr);
    s.count = total;
    for (const ArgRule& rule : arg_rules_for(s.name, arch)) {
      const auto& seen = values[{call, rule.index}];
      // The program keeps one value more than a list holds: a longer list is a cut one.
      ArgValues a{rule.index, std::string(rule.name), {}, values_lost || seen.size() > kMaxValues};
      for (__u64 v : seen) {
        if (a.values.size() == kMaxValues) break;
        a.values.push_back(v);
      }
      s.args.push_back(std::move(a));
    }
    if (auto first = firsts.find(call); first != firsts.end())
      s.first_seen = FirstSeen{static_cast<pid_t>(first->second.pid), text_of(first->second.exe), std::nullopt};
    out.push_back(std::move(s));
  }
  for (const auto& [key, n] : read_hash_map<__u64, __u64>(bpf_map__fd(skel.maps.other_counts))) {
    const Arch arch = kArchOfIndex[(key >> 32) % SYSCAP_ARCHES];
    SyscallRecord s;
    s.nr = table_number(arch, static_cast<std::int64_t>(key & 0xffffffffu));
    s.arch = std::string(tables::facts(arch).scmp_name);
    s.name = name_of(arch, s.nr);
    s.count = n;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<KernelCheck> read_kernel_checks(const record_bpf& skel) {
  std::vector<KernelCheck> out;
  // The checks first, then the results of every id they hold: the program may still be making
  // checks (the ptrace engine's watch reads them while its workload runs), and a check read
  // after the results would find none of its own.
  const auto checks = read_spilled_hash<syscap_cap_check_key, syscap_check_spill_key, syscap_cap_check>(
      skel.maps.cap_checks, skel.maps.cap_checks_spill, skel.bss->cap_checks_spilled,
      [](const syscap_check_spill_key& k) { return k.check; });
  __u32 ids = 0;
  for (const auto& [key, seen] : checks) ids = std::max(ids, seen.id + 1);
  // cap_results is indexed by id; ids are handed out in order from 0.
  const std::vector<syscap_check_result> results = read_array_prefix<syscap_check_result>(
      bpf_map__fd(skel.maps.cap_results), std::min<__u32>(ids, SYSCAP_MAX_CAP_CHECKS));
  for (const auto& [key, seen] : checks) {
    const Arch arch = kArchOfIndex[key.arch % SYSCAP_ARCHES];
    KernelCheck c;
    c.capability = key.cap < tables::kCapabilityCount
                       ? std::string(tables::capability_name(static_cast<tables::Capability>(key.cap)))
                       : fmt::format("CAP_{}", key.cap);  // newer than our table
    c.granted = key.granted != 0;
    c.arch = std::string(tables::facts(arch).scmp_name);
    if (key.nr != SYSCAP_NO_SYSCALL) c.syscall = name_of(arch, table_number(arch, key.nr));
    c.checks = seen.checks;
    if (seen.id < results.size()) {
      c.returned = results[seen.id].returned;
      c.failed = results[seen.id].failed;
      c.refused = results[seen.id].refused;
    }
    c.initial_user_ns = key.userns_level == 0;
    if (key.mem_arg >= 1 && key.mem_arg <= 6) {
      c.memory_arg = static_cast<int>(key.mem_arg) - 1;
      c.memory.assign(std::begin(key.mem), std::end(key.mem));
    }
    c.pid = static_cast<pid_t>(seen.pid);
    c.exe = text_of(seen.exe);
    std::copy(std::begin(key.args), std::end(key.args), c.args.begin());
    c.creds = {key.uid, key.euid, key.suid, key.fsuid, key.gid, key.egid, key.sgid, key.fsgid};
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> read_losses(const record_bpf& skel) {
  static constexpr const char* kWhat[SYSCAP_LOST_REASONS] = {
      "processes that could not be followed (their syscalls are missing)",
      "first callers that could not be kept",
      "argument values that could not be kept (their syscalls' argument lists are incomplete)",
      "calls with out-of-range numbers that could not be counted",
      "capability checks that could not be kept (the capabilities may be incomplete)",
  };
  std::vector<std::string> out;
  for (__u32 reason = 0; reason < SYSCAP_LOST_REASONS; ++reason)
    if (const __u64 n = losses(skel, reason); n > 0) out.push_back(fmt::format("{} {}", n, kWhat[reason]));
  return out;
}

}  // namespace syscap::tracer::detail
