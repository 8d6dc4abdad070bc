// generate_profile()'s first step: what the trace says per syscall name, after renaming the
// entries the tracer could not name and that our tables name now.
#include <fmt/format.h>

#include "generator_steps.hpp"
#include "syscap/profilegen/trace_input.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::profilegen::detail {

// The trace's syscalls a profile can name. The tracer writes "syscall_<nr>" for a number its
// tables could not name (reserved or unknown); when our tables name that number now, the entry
// counts as that syscall, else it is left out with a note (a profile cannot name it, so the
// default action applies to it).
std::vector<TraceSyscall> nameable_syscalls(const Trace& trace, std::string_view default_action,
                                            std::vector<std::string>& notes) {
  std::vector<TraceSyscall> out;
  std::vector<std::string> skipped;
  for (const auto& s : trace.syscalls) {
    auto nr = unnamed_syscall_number(s.name);
    if (!nr) {
      out.push_back(s);
      continue;
    }
    const auto* facts = tables::arch_by_scmp_name(s.arch);
    std::optional<std::string_view> name;
    if (facts != nullptr && facts->table && *nr >= 0 && *nr <= 0x7fffffff) {
      name = tables::syscall_name(*facts->table, static_cast<int>(*nr));
    }
    if (!name) {
      skipped.push_back(fmt::format("{} on {} ({} call{}, first by pid {} {})", s.name, s.arch, s.count,
                                    s.count == 1 ? "" : "s", s.first_seen.pid,
                                    s.first_seen.exe.empty() ? "?" : s.first_seen.exe));
      continue;
    }
    notes.push_back(fmt::format("{} on {}: syscall {} is {} in syscap's tables; treated as {}", s.name, s.arch,
                                *nr, *name, *name));
    // An entry also recorded under the name stays a separate entry: the per-name view below then
    // sees an argument one entry did not record, and makes no argument rule from it.
    TraceSyscall renamed = s;
    renamed.name = std::string(*name);
    out.push_back(std::move(renamed));
  }
  if (!skipped.empty()) {
    notes.push_back(fmt::format("left out {} call{} to syscall numbers syscap's tables do not name: {}; a profile "
                                "cannot list them, so the default action ({}) applies to them",
                                skipped.size(), skipped.size() == 1 ? "" : "s", join(skipped, ", "), default_action));
  }
  return out;
}

SyscallUses collect_uses(const std::vector<TraceSyscall>& calls) {
  SyscallUses uses;
  for (const auto& s : calls) {
    SyscallUse& use = uses[s.name];
    use.name = s.name;
    if (use.first == nullptr) use.first = &s;
    ++use.entries;
    for (const auto& a : s.args) {
      ArgUse& arg = use.args[a.index];
      arg.values.insert(a.values.begin(), a.values.end());
      arg.truncated = arg.truncated || a.truncated;
      ++arg.entries;
    }
  }
  return uses;
}

}  // namespace syscap::profilegen::detail
