// The BPF engine's call keys (tracer/src/bpf_maps.hpp): the program counts calls by (arch,
// number below 1024) with x32's kX32SyscallBit cleared, so the tables user space fills must
// use the same keys, and the numbers it reports must get x32's bit back: else x32's exec calls,
// watched arguments and probes were never marked (their table numbers are above 1024).
#include <gtest/gtest.h>

#include "bpf_maps.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::tracer::detail {
namespace {

using tables::Arch;

// syscap_call_key() (tracer/bpf/record_shared.h): arch * 1024 + number, the arch as
// tables::Arch numbers it (bpf_maps.cpp asserts they agree).
__u32 call_key(Arch arch, std::int64_t number) { return static_cast<__u32>(arch) * 1024 + static_cast<__u32>(number); }

TEST(BpfCallKeys, X32CallsAreKeyedWithoutTheirBitAndReportedWithIt) {
  for (const char* name : {"execve", "execveat", "openat", "mmap"}) {
    const auto number = tables::syscall_number(Arch::X32, name);
    ASSERT_TRUE(number) << name;
    ASSERT_NE(*number & tables::kX32SyscallBit, 0) << name;
    const std::int64_t index = *number & ~static_cast<std::int64_t>(tables::kX32SyscallBit);
    const auto key = program_key(Arch::X32, name);
    ASSERT_TRUE(key) << name << ": an x32 call the program counts has no key";
    EXPECT_EQ(*key, call_key(Arch::X32, index)) << name;
    EXPECT_EQ(table_number(Arch::X32, index), *number) << name;
  }
}

TEST(BpfCallKeys, OtherArchesAreKeyedByTheirNumbers) {
  for (Arch arch : {Arch::X86_64, Arch::X86, Arch::AARCH64}) {
    const auto number = tables::syscall_number(arch, "openat");
    ASSERT_TRUE(number);
    const auto key = program_key(arch, "openat");
    ASSERT_TRUE(key);
    EXPECT_EQ(*key, call_key(arch, *number));
    EXPECT_EQ(table_number(arch, *number), *number);
  }
  EXPECT_FALSE(program_key(Arch::X86_64, "no_such_call"));
  EXPECT_FALSE(program_key(Arch::AARCH64, "open"));  // not on aarch64
}

}  // namespace
}  // namespace syscap::tracer::detail
