// A tiny classic-BPF evaluator for the instructions seccomp filters use, so the filter's
// decisions can be checked for any (arch, nr) without loading it.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace syscap::tracer::testing {

// The filter's return value for `data`, or nullopt if the program misbehaves (bad jump,
// unsupported instruction, falls off the end).
inline std::optional<std::uint32_t> run_bpf(const std::vector<sock_filter>& prog,
                                            const seccomp_data& data) {
  std::uint32_t acc = 0;
  std::size_t pc = 0;
  for (std::size_t steps = 0; steps < 4096 && pc < prog.size(); ++steps) {
    const sock_filter& ins = prog[pc];
    switch (ins.code) {
      case BPF_LD | BPF_W | BPF_ABS: {
        if (ins.k + 4 > sizeof data || ins.k % 4) return std::nullopt;
        std::memcpy(&acc, reinterpret_cast<const char*>(&data) + ins.k, 4);
        ++pc;
        break;
      }
      case BPF_JMP | BPF_JA:
        pc += 1 + ins.k;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += 1 + (acc == ins.k ? ins.jt : ins.jf);
        break;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += 1 + ((acc & ins.k) ? ins.jt : ins.jf);
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += 1 + (acc >= ins.k ? ins.jt : ins.jf);
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += 1 + (acc > ins.k ? ins.jt : ins.jf);
        break;
      case BPF_RET | BPF_K:
        return ins.k;
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace syscap::tracer::testing
