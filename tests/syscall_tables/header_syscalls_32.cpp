// The __NR_* numbers of <asm/unistd_32.h>, expanded from the list made at build time.
#include "header_syscalls.hpp"

#include <asm/unistd_32.h>

namespace syscap::tables::test {
namespace {

constexpr HeaderSyscall kHeader[] = {
#define SYSCAP_NR(name) {#name, __NR_##name},
#include "nr_names_32.inc"
#undef SYSCAP_NR
};

}  // namespace

std::span<const HeaderSyscall> header_syscalls_x86() { return kHeader; }

}  // namespace syscap::tables::test
