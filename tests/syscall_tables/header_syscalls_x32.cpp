// The __NR_* numbers of <asm/unistd_x32.h>, expanded from the list made at build time.
#include "header_syscalls.hpp"

#include "syscap/tables/syscalls.hpp"

// <asm/unistd_x32.h> uses __X32_SYSCALL_BIT from <asm/unistd.h>, which would also pull in
// the 64-bit numbers; header_agreement_test checks that our constant equals the real one.
#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT (::syscap::tables::kX32SyscallBit)
#endif
#include <asm/unistd_x32.h>

namespace syscap::tables::test {
namespace {

constexpr HeaderSyscall kHeader[] = {
#define SYSCAP_NR(name) {#name, __NR_##name},
#include "nr_names_x32.inc"
#undef SYSCAP_NR
};

}  // namespace

std::span<const HeaderSyscall> header_syscalls_x32() { return kHeader; }

}  // namespace syscap::tables::test
