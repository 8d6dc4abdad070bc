// The permissive seccomp filter the workload runs under: every syscall stops in the tracer.
//
// Every path of the program returns SECCOMP_RET_TRACE, with the architecture of the call in
// SECCOMP_RET_DATA, so the tracer knows at once whether a stop is an x86_64, i386 or x32 call.
//
//   auto program = syscap::tracer::build_trace_all_filter();
//   sock_fprog prog{static_cast<unsigned short>(program.size()), program.data()};
//   prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
//   syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
//   ...
//   auto arch = syscap::tracer::decode_ret_data(info.seccomp.ret_data);   // Arch::X86 for int $0x80
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "syscap/tables/arch.hpp"

namespace syscap::tracer {

// SECCOMP_RET_DATA for a call on an architecture we have no table for.
inline constexpr std::uint16_t kRetDataUnknownArch = 0;

// SECCOMP_RET_DATA value the filter returns for calls on `arch` (never kRetDataUnknownArch).
constexpr std::uint16_t ret_data_for(tables::Arch arch) {
  return static_cast<std::uint16_t>(1 + static_cast<unsigned>(arch));
}

// The architecture encoded in a SECCOMP_RET_DATA value, or nullopt (unknown arch / bad value).
std::optional<tables::Arch> decode_ret_data(std::uint32_t ret_data);


// The classic-BPF program: trace everything, arch in SECCOMP_RET_DATA.
std::vector<sock_filter> build_trace_all_filter();

}  // namespace syscap::tracer
