// Prefix code generation. Each rule is one block:
//   ld nr; jeq NR else skip-block; <conditions, each jumping past the block if false>; ret ACTION
// and each arch's blocks sit behind `ld arch; jeq ARCH; ja past-the-arch`. 64-bit argument
// comparisons work on the high then the low word; on 32-bit i386 only the low word counts,
// as in libseccomp.
#include "bpf_prefix.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cstddef>
#include <cstdint>

#include "libseccomp_filter.hpp"

namespace syscap::enforcer::detail {
namespace {

enum class Target { Next, Pass, Fail };

struct Insn {
  std::uint16_t code;
  std::uint32_t k;
  Target jt = Target::Next;
  Target jf = Target::Next;
};

constexpr std::uint32_t kNrOffset = offsetof(seccomp_data, nr);
constexpr std::uint32_t kArchOffset = offsetof(seccomp_data, arch);

std::uint32_t arg_lo(unsigned index) { return offsetof(seccomp_data, args) + 8 * index; }
std::uint32_t arg_hi(unsigned index) { return arg_lo(index) + 4; }

Insn load(std::uint32_t offset) { return {BPF_LD | BPF_W | BPF_ABS, offset}; }
Insn jump(std::uint16_t op, std::uint32_t k, Target jt, Target jf) {
  return {static_cast<std::uint16_t>(BPF_JMP | op | BPF_K), k, jt, jf};
}
Insn and_k(std::uint32_t k) { return {BPF_ALU | BPF_AND | BPF_K, k}; }

// One word comparison; `last` says whether a "maybe" result on the high word is final.
void compare_word(std::vector<Insn>& out, profilegen::CmpOp op, std::uint32_t v, bool last) {
  using profilegen::CmpOp;
  switch (op) {
    case CmpOp::Equal:
    case CmpOp::MaskedEqual:
      out.push_back(jump(BPF_JEQ, v, last ? Target::Pass : Target::Next, Target::Fail));
      break;
    case CmpOp::NotEqual:  // differs in any word
      out.push_back(jump(BPF_JEQ, v, last ? Target::Fail : Target::Next, Target::Pass));
      break;
    case CmpOp::GreaterThan:
    case CmpOp::GreaterEqual:
      if (!last) {
        out.push_back(jump(BPF_JGT, v, Target::Pass, Target::Next));
        out.push_back(jump(BPF_JEQ, v, Target::Next, Target::Fail));
      } else {
        out.push_back(jump(op == CmpOp::GreaterThan ? BPF_JGT : BPF_JGE, v, Target::Pass, Target::Fail));
      }
      break;
    case CmpOp::LessThan:
    case CmpOp::LessEqual:  // a < v  ==  !(a >= v);  a <= v  ==  !(a > v)
      if (!last) {
        out.push_back(jump(BPF_JGT, v, Target::Fail, Target::Next));
        out.push_back(jump(BPF_JEQ, v, Target::Next, Target::Pass));
      } else {
        out.push_back(jump(op == CmpOp::LessThan ? BPF_JGE : BPF_JGT, v, Target::Fail, Target::Pass));
      }
      break;
  }
}

std::vector<Insn> condition_code(const profilegen::ArgCondition& c, bool wide) {
  std::vector<Insn> out;
  bool masked = c.op == profilegen::CmpOp::MaskedEqual;
  std::uint64_t value = masked ? c.value_two.value_or(0) & c.value : c.value;
  if (wide) {
    out.push_back(load(arg_hi(c.index)));
    if (masked) out.push_back(and_k(static_cast<std::uint32_t>(c.value >> 32)));
    compare_word(out, c.op, static_cast<std::uint32_t>(value >> 32), false);
  }
  out.push_back(load(arg_lo(c.index)));
  if (masked) out.push_back(and_k(static_cast<std::uint32_t>(c.value)));
  compare_word(out, c.op, static_cast<std::uint32_t>(value), true);
  return out;
}

std::uint8_t offset(std::size_t from, std::size_t to) { return static_cast<std::uint8_t>(to - from - 1); }

// One rule block, resolved to real jump offsets (blocks are far shorter than 256).
std::vector<sock_filter> rule_block(const PlannedRule& rule) {
  bool wide = rule.arch != tables::Arch::X86;
  std::vector<std::vector<Insn>> conds;
  std::size_t length = 2 + 1;
  for (const auto& c : rule.conditions) {
    conds.push_back(condition_code(c, wide));
    length += conds.back().size();
  }
  std::vector<sock_filter> out;
  out.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kNrOffset));
  out.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(rule.nr), 0,
                         offset(1, length)));
  for (const auto& code : conds) {
    std::size_t pass = out.size() + code.size();
    for (const Insn& insn : code) {
      std::size_t at = out.size();
      auto resolve = [&](Target t) -> std::uint8_t {
        return t == Target::Next ? 0 : offset(at, t == Target::Pass ? pass : length);
      };
      out.push_back({insn.code, resolve(insn.jt), resolve(insn.jf), insn.k});
    }
  }
  out.push_back(BPF_STMT(BPF_RET | BPF_K, scmp_action(rule.action, rule.data)));
  return out;
}

}  // namespace

std::vector<sock_filter> bpf_prefix(const std::vector<PlannedRule>& rules) {
  std::vector<sock_filter> out;
  for (tables::Arch arch : tables::kTableArches) {
    std::vector<sock_filter> body;
    for (const PlannedRule& rule : rules) {
      if (rule.arch != arch) continue;
      auto block = rule_block(rule);
      body.insert(body.end(), block.begin(), block.end());
    }
    if (body.empty()) continue;
    std::uint32_t audit = tables::facts(arch).audit_arch;
    out.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArchOffset));
    out.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, audit, 1, 0));
    out.push_back(BPF_STMT(BPF_JMP | BPF_JA, static_cast<std::uint32_t>(body.size())));
    out.insert(out.end(), body.begin(), body.end());
  }
  return out;
}

}  // namespace syscap::enforcer::detail
