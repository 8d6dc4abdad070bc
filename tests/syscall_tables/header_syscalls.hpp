// The syscall numbers the build machine's <asm/unistd_{64,32,x32}.h> define, for comparing
// with our generated tables (strace's ksysent test does the same). Each list is built in its
// own file, because the three headers define the same __NR_* names with different values.
//
//   for (const HeaderSyscall& s : header_syscalls_x86_64()) check(s.name, s.nr);
#pragma once

#include <span>
#include <string_view>

namespace syscap::tables::test {

struct HeaderSyscall {
  std::string_view name;  // "read" for __NR_read
  long nr;
};

// __NR_* of <asm/unistd_64.h>.
std::span<const HeaderSyscall> header_syscalls_x86_64();
// __NR_* of <asm/unistd_32.h>.
std::span<const HeaderSyscall> header_syscalls_x86();
// __NR_* of <asm/unistd_x32.h>, with __X32_SYSCALL_BIT as the kernel reports them.
std::span<const HeaderSyscall> header_syscalls_x32();

}  // namespace syscap::tables::test
