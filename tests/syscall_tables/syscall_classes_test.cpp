// The syscall classes are data about real syscalls: every name is one of our tables'.
#include <gtest/gtest.h>

#include "syscap/tables/syscall_classes.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::tables {
namespace {

TEST(SyscallClasses, EveryNameIsASyscall) {
  for (SyscallClass cls : {SyscallClass::ChangesProcess, SyscallClass::AltersDirectories,
                           SyscallClass::CreatesDirectoryEntries, SyscallClass::ChangesRootOrMounts}) {
    EXPECT_FALSE(syscalls_in(cls).empty());
    for (std::string_view name : syscalls_in(cls)) EXPECT_TRUE(is_known_syscall(name)) << name;
  }
}

TEST(SyscallClasses, Membership) {
  EXPECT_TRUE(has_class("setuid", SyscallClass::ChangesProcess));
  EXPECT_TRUE(has_class("setresuid32", SyscallClass::ChangesProcess));
  EXPECT_FALSE(has_class("read", SyscallClass::ChangesProcess));
  EXPECT_TRUE(has_class("renameat2", SyscallClass::AltersDirectories));
  EXPECT_TRUE(has_class("symlinkat", SyscallClass::CreatesDirectoryEntries));
  EXPECT_TRUE(has_class("io_uring_setup", SyscallClass::ChangesRootOrMounts));
  EXPECT_FALSE(has_class("openat", SyscallClass::AltersDirectories));
}

}  // namespace
}  // namespace syscap::tables
