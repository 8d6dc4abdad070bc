// The __NR_* numbers of <asm/unistd_64.h>, expanded from the list made at build time.
#include "header_syscalls.hpp"

#include <asm/unistd_64.h>

namespace syscap::tables::test {
namespace {

constexpr HeaderSyscall kHeader[] = {
#define SYSCAP_NR(name) {#name, __NR_##name},
#include "nr_names_64.inc"
#undef SYSCAP_NR
};

}  // namespace

std::span<const HeaderSyscall> header_syscalls_x86_64() { return kHeader; }

}  // namespace syscap::tables::test
