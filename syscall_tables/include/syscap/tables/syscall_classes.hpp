// Classes of syscalls by what they may change, as data: the capability observer uses them to
// know when what it learnt about a process or a directory may be stale.
//
//   using namespace syscap::tables;
//   has_class("setuid", SyscallClass::ChangesProcess);      // true: credentials may change
//   has_class("rename", SyscallClass::AltersDirectories);   // true
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace syscap::tables {

enum class SyscallClass : std::uint8_t {
  // May change the caller's credentials, limits, nice value, locked memory, process group or
  // namespaces (what a capability check reads of a process).
  ChangesProcess = 1,
  // May rename, remove, re-own or re-mode a directory entry, set an attribute that rewrites a
  // mode (POSIX ACLs), or mount over one.
  AltersDirectories = 2,
  // May create a directory or a symlink where a walk found nothing (link hard-links a symlink).
  CreatesDirectoryEntries = 4,
  // May give the caller another root or mount table (clone, clone3 and unshare only with
  // CLONE_NEWNS), or change files with no syscall to see (io_uring_setup).
  ChangesRootOrMounts = 8,
};

// Every syscall name in `cls`, sorted.
std::span<const std::string_view> syscalls_in(SyscallClass cls);

// True if `syscall` (a table name, any architecture) is in `cls`.
bool has_class(std::string_view syscall, SyscallClass cls);

}  // namespace syscap::tables
