// The argument table. Why each entry: these are the arguments seccomp profiles (Docker's default
// among them) put conditions on, or that distinguish a harmless use of a syscall from a
// privileged one. Only scalars: pointer contents are never used for rules.
#include "syscap/tracer/arg_rules.hpp"

#include <algorithm>

namespace syscap::tracer {

namespace {

using tables::Arch;

// i386's "mmap" is old_mmap(struct mmap_arg_struct *): its registers hold no prot.
constexpr ArchMask kNotI386 = kAllArches & ~arch_bit(Arch::X86);

constexpr ArgRule kRules[] = {
    {"arch_prctl", 0, "code"},
    {"bpf", 0, "cmd"},
    {"clone", 0, "flags"},  // arg0 on x86_64, i386, x32 and aarch64 alike
    {"fcntl", 1, "cmd"},
    {"fcntl64", 1, "cmd"},
    {"ioctl", 1, "request"},
    {"ipc", 0, "call"},  // i386 SysV IPC multiplexer
    {"keyctl", 0, "operation"},
    {"kill", 1, "sig"},
    {"madvise", 2, "advice"},
    {"membarrier", 0, "cmd"},
    {"mmap", 2, "prot", kNotI386},
    {"mmap2", 2, "prot"},
    {"mprotect", 2, "prot"},
    {"personality", 0, "persona"},
    {"pidfd_send_signal", 1, "sig"},
    {"pkey_mprotect", 2, "prot"},
    {"prctl", 0, "option"},
    {"ptrace", 0, "request"},
    {"rt_sigqueueinfo", 1, "sig"},
    {"rt_tgsigqueueinfo", 2, "sig"},
    {"sched_setscheduler", 1, "policy"},
    {"seccomp", 0, "operation"},
    {"seccomp", 1, "flags"},
    {"setns", 1, "nstype"},
    {"setsockopt", 1, "level"},
    {"setsockopt", 2, "optname"},
    {"socket", 0, "domain"},
    {"socket", 1, "type"},
    {"socket", 2, "protocol"},
    {"socketcall", 0, "call"},  // i386 socket multiplexer
    {"socketpair", 0, "domain"},
    {"socketpair", 1, "type"},
    {"tgkill", 2, "sig"},
    {"tkill", 1, "sig"},
    {"unshare", 0, "flags"},
};

constexpr bool rule_less(const ArgRule& a, const ArgRule& b) {
  return a.syscall != b.syscall ? a.syscall < b.syscall : a.index < b.index;
}
static_assert(std::is_sorted(std::begin(kRules), std::end(kRules), rule_less),
              "kRules must stay sorted by syscall then index");

}  // namespace

std::span<const ArgRule> arg_rules() { return kRules; }

std::vector<ArgRule> arg_rules_for(std::string_view syscall, Arch arch) {
  auto [first, last] = std::equal_range(
      std::begin(kRules), std::end(kRules), ArgRule{syscall, 0, {}},
      [](const ArgRule& a, const ArgRule& b) { return a.syscall < b.syscall; });
  std::vector<ArgRule> out;
  for (auto it = first; it != last; ++it)
    if (it->arches & arch_bit(arch)) out.push_back(*it);
  return out;
}

}  // namespace syscap::tracer
