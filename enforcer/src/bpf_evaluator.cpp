// A classic-BPF interpreter restricted to what seccomp accepts: absolute 32-bit loads from
// seccomp_data, scratch memory, ALU and conditional jumps, returns.
#include "syscap/enforcer/bpf_evaluator.hpp"

#include <array>
#include <cstring>
#include <optional>

namespace syscap::enforcer {
namespace {

// A = A op src for a BPF_ALU instruction; nullopt for an op seccomp refuses or a division by 0.
std::optional<std::uint32_t> alu(std::uint32_t op, std::uint32_t a, std::uint32_t src) {
  switch (op) {
    case BPF_ADD: return a + src;
    case BPF_SUB: return a - src;
    case BPF_MUL: return a * src;
    case BPF_DIV: if (src == 0) return std::nullopt; return a / src;
    case BPF_MOD: if (src == 0) return std::nullopt; return a % src;
    case BPF_AND: return a & src;
    case BPF_OR: return a | src;
    case BPF_XOR: return a ^ src;
    case BPF_LSH: return src < 32 ? a << src : 0;
    case BPF_RSH: return src < 32 ? a >> src : 0;
    case BPF_NEG: return 0 - a;
    default: return std::nullopt;
  }
}

// Whether a conditional BPF_JMP is taken; nullopt for a condition seccomp refuses.
std::optional<bool> jump_taken(std::uint32_t op, std::uint32_t a, std::uint32_t src) {
  switch (op) {
    case BPF_JEQ: return a == src;
    case BPF_JGT: return a > src;
    case BPF_JGE: return a >= src;
    case BPF_JSET: return (a & src) != 0;
    default: return std::nullopt;
  }
}

}  // namespace

std::uint32_t evaluate_program(std::span<const sock_filter> program, const seccomp_data& call) {
  constexpr std::uint32_t kBad = SECCOMP_RET_KILL_PROCESS;
  std::uint32_t a = 0, x = 0;
  std::array<std::uint32_t, BPF_MEMWORDS> mem{};
  std::size_t pc = 0;
  while (pc < program.size()) {
    const sock_filter& in = program[pc++];
    std::uint32_t src = BPF_SRC(in.code) == BPF_X ? x : in.k;
    switch (BPF_CLASS(in.code)) {
      case BPF_LD:
        if (BPF_MODE(in.code) == BPF_ABS && BPF_SIZE(in.code) == BPF_W) {
          if (in.k % 4 != 0 || in.k + 4 > sizeof call) return kBad;
          std::memcpy(&a, reinterpret_cast<const char*>(&call) + in.k, 4);
        } else if (BPF_MODE(in.code) == BPF_IMM) {
          a = in.k;
        } else if (BPF_MODE(in.code) == BPF_MEM && in.k < mem.size()) {
          a = mem[in.k];
        } else if (BPF_MODE(in.code) == BPF_LEN) {
          a = sizeof call;
        } else {
          return kBad;
        }
        break;
      case BPF_LDX:
        if (BPF_MODE(in.code) == BPF_IMM) x = in.k;
        else if (BPF_MODE(in.code) == BPF_MEM && in.k < mem.size()) x = mem[in.k];
        else if (BPF_MODE(in.code) == BPF_LEN) x = sizeof call;
        else return kBad;
        break;
      case BPF_ST:
        if (in.k >= mem.size()) return kBad;
        mem[in.k] = a;
        break;
      case BPF_STX:
        if (in.k >= mem.size()) return kBad;
        mem[in.k] = x;
        break;
      case BPF_ALU: {
        auto result = alu(BPF_OP(in.code), a, src);
        if (!result) return kBad;
        a = *result;
        break;
      }
      case BPF_JMP: {
        if (BPF_OP(in.code) == BPF_JA) {
          pc += in.k;
          break;
        }
        auto taken = jump_taken(BPF_OP(in.code), a, src);
        if (!taken) return kBad;
        pc += *taken ? in.jt : in.jf;
        break;
      }
      case BPF_RET:
        return BPF_RVAL(in.code) == BPF_A ? a : in.k;
      case BPF_MISC:
        if (BPF_MISCOP(in.code) == BPF_TAX) x = a;
        else if (BPF_MISCOP(in.code) == BPF_TXA) a = x;
        else return kBad;
        break;
      default:
        return kBad;
    }
  }
  return kBad;
}

bool would_refuse(std::uint32_t ret) {
  std::uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
  return action != SECCOMP_RET_ALLOW && action != SECCOMP_RET_LOG;
}

}  // namespace syscap::enforcer
