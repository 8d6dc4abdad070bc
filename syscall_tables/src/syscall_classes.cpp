#include "syscap/tables/syscall_classes.hpp"

#include <algorithm>

namespace syscap::tables {
namespace {

constexpr std::string_view kChangesProcess[] = {
    "capset", "clone", "clone3", "execve", "execveat", "mlock", "mlock2", "mlockall", "munlock", "munlockall", "nice",
    "prctl", "prlimit64", "sched_setattr", "sched_setparam", "sched_setscheduler", "setfsgid", "setfsgid32",
    "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32", "setns", "setpgid", "setpriority",
    "setregid", "setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
    "setrlimit", "setsid", "setuid", "setuid32", "shmat", "shmdt", "unshare"};

constexpr std::string_view kAltersDirectories[] = {
    "chmod", "chown", "chown32", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat",
    "fremovexattr", "fsconfig", "fsetxattr", "lchown", "lchown32", "lremovexattr", "lsetxattr", "mount",
    "mount_setattr", "move_mount", "removexattr", "removexattrat", "rename", "renameat", "renameat2", "rmdir",
    "setxattr", "setxattrat", "umount", "umount2", "unlink", "unlinkat"};

constexpr std::string_view kCreatesDirectoryEntries[] = {"link", "linkat", "mkdir", "mkdirat", "symlink",
                                                         "symlinkat"};

constexpr std::string_view kChangesRootOrMounts[] = {"chroot",     "clone", "clone3", "io_uring_setup",
                                                     "pivot_root", "setns", "unshare"};

constexpr bool sorted(std::span<const std::string_view> names) { return std::ranges::is_sorted(names); }
static_assert(sorted(kChangesProcess) && sorted(kAltersDirectories) && sorted(kCreatesDirectoryEntries) &&
                  sorted(kChangesRootOrMounts),
              "syscall class lists must be sorted");

}  // namespace

std::span<const std::string_view> syscalls_in(SyscallClass cls) {
  switch (cls) {
    case SyscallClass::ChangesProcess: return kChangesProcess;
    case SyscallClass::AltersDirectories: return kAltersDirectories;
    case SyscallClass::CreatesDirectoryEntries: return kCreatesDirectoryEntries;
    case SyscallClass::ChangesRootOrMounts: return kChangesRootOrMounts;
  }
  return {};
}

bool has_class(std::string_view syscall, SyscallClass cls) {
  return std::ranges::binary_search(syscalls_in(cls), syscall);
}

}  // namespace syscap::tables
