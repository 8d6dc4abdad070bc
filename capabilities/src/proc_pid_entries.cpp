#include "proc_pid_entries.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace syscap::capabilities::detail {

using tables::Capability;

namespace {

// Files whose open asks (fs/proc/base.c: __mem_open via mm_access, lock_trace, and
// proc_pid_attr/auxv/personality): PTRACE_MODE_READ or ATTACH, with the fs credentials.
constexpr std::string_view kGuardedFiles[] = {"mem",     "environ", "auxv",        "stack",
                                              "syscall", "pagemap", "personality"};

// Links whose following or reading asks (proc_pid_get_link, proc_fd_link, proc_ns_get_link and
// proc_ns_readlink: PTRACE_MODE_READ_FSCREDS): exe, cwd, root, fd/N and ns/NAME.
bool is_guarded_link(std::string_view entry) {
  return entry == "exe" || entry == "cwd" || entry == "root" || entry.starts_with("fd/") ||
         entry.starts_with("ns/");
}

// fdinfo/N: proc_fdinfo_access_allowed() at open (Linux 5.14+).
bool is_guarded_file(std::string_view entry) {
  return std::ranges::find(kGuardedFiles, entry) != std::end(kGuardedFiles) || entry.starts_with("fdinfo/");
}

struct ProcEntry {
  int pid = 0;
  std::string_view entry;  // what follows /proc/PID/ (or /proc/PID/task/TID/)
};

std::optional<ProcEntry> parse(std::string_view path) {
  if (!path.starts_with("/proc/")) return std::nullopt;
  path.remove_prefix(6);
  const std::size_t slash = path.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  ProcEntry out;
  for (char ch : path.substr(0, slash)) {
    if (ch < '0' || ch > '9') return std::nullopt;  // self, thread-self: the caller's own
    out.pid = out.pid * 10 + (ch - '0');
  }
  out.entry = path.substr(slash + 1);
  if (out.entry.starts_with("task/")) {  // /proc/PID/task/TID/entry
    const std::size_t s2 = out.entry.find('/', 5);
    if (s2 == std::string_view::npos) return std::nullopt;
    out.entry = out.entry.substr(s2 + 1);
  }
  while (out.entry.ends_with('/')) out.entry.remove_suffix(1);
  return out;
}

bool guarded(std::string_view entry, ProcEntryUse use) {
  switch (use) {
    case ProcEntryUse::None: return false;
    case ProcEntryUse::Open: return is_guarded_file(entry) || is_guarded_link(entry);
    case ProcEntryUse::OpenNoFollow: return is_guarded_file(entry);
    case ProcEntryUse::Follow:
    case ProcEntryUse::ReadLink: return is_guarded_link(entry);
  }
  return false;
}

}  // namespace

std::optional<std::string> named_path(const Operand& op) {
  if (!op.path) return std::nullopt;
  if (op.shown.starts_with('/')) return op.shown;
  std::string_view name = op.shown;
  while (name.ends_with('/')) name.remove_suffix(1);
  if (const std::size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (name.empty() || name == "." || name == ".." || !op.path->parent) return std::nullopt;
  return fmt::format("{}/{}", op.path->parent->path, name);
}

void proc_pid_entry_access(Findings& f, TraceeView& view, std::string_view path, ProcEntryUse use,
                           std::string_view what) {
  // A caller in another pid namespace names its processes by numbers the tracer cannot map
  // (unshare -p --mount-proc: its /proc/1 is itself, not the tracer's pid 1).
  if (!f.caller.tracer_pid_ns) return;
  const auto entry = parse(path);
  if (!entry || !guarded(entry->entry, use)) return;
  const ProcessFacts* target = view.process(entry->pid);
  if (!target) return;
  const std::string why = ptrace_denial(f.caller, true, *target);
  if (!why.empty() && f.creds.has(Capability::SysPtrace))
    f.add(Capability::SysPtrace, fmt::format("{}: {}", what, why));
}

}  // namespace syscap::capabilities::detail
