#include "syscap/profilegen/merge.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace syscap::profilegen {
namespace {

// Folds `from` into `into` (same name and arch).
void merge_syscall(TraceSyscall& into, const TraceSyscall& from) {
  into.count += from.count;
  std::set<unsigned> indexes;
  for (const auto& a : into.args) indexes.insert(a.index);
  for (const auto& a : from.args) indexes.insert(a.index);
  std::vector<TraceArg> merged;
  for (unsigned index : indexes) {
    auto find = [index](const std::vector<TraceArg>& args) -> const TraceArg* {
      auto it = std::ranges::find(args, index, &TraceArg::index);
      return it == args.end() ? nullptr : &*it;
    };
    const TraceArg* a = find(into.args);
    const TraceArg* b = find(from.args);
    TraceArg out;
    out.index = index;
    out.name = a != nullptr ? a->name : b->name;
    std::set<std::uint64_t> values;
    for (const TraceArg* x : {a, b}) {
      if (x != nullptr) values.insert(x->values.begin(), x->values.end());
    }
    out.values.assign(values.begin(), values.end());
    // Missing on one side means that side's values are unknown: the union is incomplete.
    out.truncated = a == nullptr || b == nullptr || a->truncated || b->truncated;
    merged.push_back(std::move(out));
  }
  into.args = std::move(merged);
}

}  // namespace

Trace merge_traces(std::span<const Trace> traces) {
  Trace out;
  if (traces.empty()) return out;
  out.command = traces.front().command;
  out.kernel = traces.front().kernel;
  out.arch = traces.front().arch;
  out.exit = traces.front().exit;
  // A recording of the start (not an attached window) gives the exit; the merge is a window
  // (its start-up unseen) only when every trace is one.
  for (const Trace& t : traces) {
    if (t.window) continue;
    out.exit = t.exit;
    break;
  }
  bool all_windows = true;
  for (const Trace& t : traces) all_windows = all_windows && t.window.has_value();
  if (all_windows) out.window = traces.front().window;

  std::map<std::pair<std::string, std::string>, TraceSyscall> syscalls;  // (arch, name)
  std::map<std::string, TraceCapability> caps;
  for (const Trace& t : traces) {
    out.processes += t.processes;
    out.duration_ms += t.duration_ms;
    for (const auto& s : t.syscalls) {
      auto [it, inserted] = syscalls.try_emplace({s.arch, s.name}, s);
      if (!inserted) merge_syscall(it->second, s);
    }
    for (const auto& c : t.capabilities) {
      auto [it, inserted] = caps.try_emplace(c.name, c);
      if (inserted) continue;
      for (const auto& e : c.evidence) {
        if (std::ranges::find(it->second.evidence, e) == it->second.evidence.end()) {
          it->second.evidence.push_back(e);
        }
      }
    }
  }
  for (auto& [key, s] : syscalls) out.syscalls.push_back(std::move(s));
  for (auto& [name, c] : caps) out.capabilities.push_back(std::move(c));
  return out;
}

}  // namespace syscap::profilegen
