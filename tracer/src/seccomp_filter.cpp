#include "syscap/tracer/seccomp_filter.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cstddef>

#include "syscap/tables/syscalls.hpp"

namespace syscap::tracer {

using tables::Arch;

std::optional<Arch> decode_ret_data(std::uint32_t ret_data) {
  for (Arch a : tables::kTableArches)
    if (ret_data == ret_data_for(a)) return a;
  return std::nullopt;
}

namespace {

constexpr std::uint32_t kArchOffset = offsetof(seccomp_data, arch);
constexpr std::uint32_t kNrOffset = offsetof(seccomp_data, nr);

constexpr sock_filter stmt(std::uint16_t code, std::uint32_t k) { return {code, 0, 0, k}; }
constexpr sock_filter jump(std::uint16_t code, std::uint32_t k, std::uint8_t jt, std::uint8_t jf) {
  return {code, jt, jf, k};
}
constexpr sock_filter trace_ret(std::uint16_t data) {
  return stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE | data);
}

}  // namespace

std::vector<sock_filter> build_trace_all_filter() {
  // One section per architecture; whatever path is taken, the call is traced. Keeping the
  // accumulator holding `arch` on every "not this arch" branch lets the sections chain.
  return {
      /* 0 */ stmt(BPF_LD | BPF_W | BPF_ABS, kArchOffset),
      /* 1 */ jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),  // else -> 6
      /* 2 */ stmt(BPF_LD | BPF_W | BPF_ABS, kNrOffset),
      /* 3 */ jump(BPF_JMP | BPF_JSET | BPF_K, tables::kX32SyscallBit, 0, 1),
      /* 4 */ trace_ret(ret_data_for(Arch::X32)),
      /* 5 */ trace_ret(ret_data_for(Arch::X86_64)),
      /* 6 */ jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 1),
      /* 7 */ trace_ret(ret_data_for(Arch::X86)),
      /* 8 */ jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 0, 1),
      /* 9 */ trace_ret(ret_data_for(Arch::AARCH64)),
      /* 10 */ trace_ret(kRetDataUnknownArch),
  };
}

}  // namespace syscap::tracer
