// Another process's /proc/PID entries that the kernel guards with ptrace_may_access() and the
// fs credentials: CAP_SYS_PTRACE where the caller is not allowed to trace the process (another
// user's, or one that is not dumpable).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "checks.hpp"
#include "file_operand.hpp"

namespace syscap::capabilities::detail {

// What the call does with the entry.
enum class ProcEntryUse {
  None,          // O_PATH without following: nothing is opened or followed
  Open,          // opens it, following a link (fs/proc/base.c, fd.c, namespaces.c)
  OpenNoFollow,  // O_NOFOLLOW: a file is opened, a link refused (ELOOP)
  Follow,        // stat(), O_PATH and the like: follows a link, opens no file
  ReadLink,      // readlink(): reads the link itself
};

// The path a call names with its last component unfollowed: as given when absolute, else the
// directory the lookup reached and that name (lsns's fstatat(pid_dir, "ns/net")). nullopt for
// a descriptor operand or an unresolved directory.
std::optional<std::string> named_path(const Operand& op);

// Adds CAP_SYS_PTRACE when `path` is an entry of another process that `use` makes the kernel
// guard (environ, maps' neighbours, the ns/, fd/ and fdinfo/ entries, the exe, cwd and root
// links) and the caller may not trace that process without it.
void proc_pid_entry_access(Findings& f, TraceeView& view, std::string_view path, ProcEntryUse use,
                           std::string_view what);

}  // namespace syscap::capabilities::detail
