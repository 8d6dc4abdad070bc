// build_program / program_pfc / install_program: libseccomp's filter behind our prefix.
#include "syscap/enforcer/seccomp_program.hpp"

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "bpf_prefix.hpp"
#include "libseccomp_filter.hpp"

namespace syscap::enforcer {
namespace {

constexpr std::size_t kMaxInstructions = 4096;  // BPF_MAXINSNS

unsigned long kernel_flags(const FilterFlags& flags) {
  unsigned long f = 0;
  if (flags.tsync) f |= SECCOMP_FILTER_FLAG_TSYNC;
  if (flags.log) f |= SECCOMP_FILTER_FLAG_LOG;
  if (flags.spec_allow) f |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  return f;
}

std::string describe(const PlannedRule& rule) {
  std::string text = fmt::format("{} {} ({}) -> {}", tables::facts(rule.arch).scmp_name, rule.name,
                                 rule.nr, profilegen::to_string(rule.action));
  if (rule.action == profilegen::Action::Errno || rule.action == profilegen::Action::Trace)
    text += fmt::format("({})", rule.data);
  for (const auto& c : rule.conditions)
    text += fmt::format(" if a{} {} {:#x}{}", c.index, profilegen::to_string(c.op), c.value,
                        c.value_two ? fmt::format(" {:#x}", *c.value_two) : "");
  return text;
}

}  // namespace

Result<SeccompProgram> build_program(const FilterPlan& plan) {
  SeccompProgram program;
  auto ctx = detail::build_libseccomp_filter(plan, program.prefix_rules);
  if (!ctx) return std::unexpected(ctx.error());
  auto bytes = detail::export_text("seccomp_export_bpf", &seccomp_export_bpf, *ctx);
  if (!bytes) return std::unexpected(bytes.error());
  if (bytes->size() % sizeof(sock_filter) != 0)
    return fail("seccomp_export_bpf", "", "output is not a whole number of instructions");
  program.instructions = detail::bpf_prefix(program.prefix_rules);
  std::size_t prefix = program.instructions.size();
  program.instructions.resize(prefix + bytes->size() / sizeof(sock_filter));
  std::memcpy(program.instructions.data() + prefix, bytes->data(), bytes->size());
  if (program.instructions.size() > kMaxInstructions)
    return fail("build filter", "", fmt::format("{} instructions, more than the kernel's limit of {}",
                                                program.instructions.size(), kMaxInstructions));
  program.kernel_flags = kernel_flags(plan.flags);
  return program;
}

Result<std::string> program_pfc(const FilterPlan& plan) {
  std::vector<PlannedRule> prefix_rules;
  auto ctx = detail::build_libseccomp_filter(plan, prefix_rules);
  if (!ctx) return std::unexpected(ctx.error());
  auto pfc = detail::export_text("seccomp_export_pfc", &seccomp_export_pfc, *ctx);
  if (!pfc) return std::unexpected(pfc.error());
  if (prefix_rules.empty()) return pfc;
  std::string head =
      "#\n# syscap prefix: syscalls libseccomp does not know on a non-native arch,\n"
      "# checked by number before the filter below (first match wins)\n#\n";
  for (const auto& rule : prefix_rules) head += "#   " + describe(rule) + "\n";
  return head + *pfc;
}

std::string program_bytes(const SeccompProgram& program) {
  return std::string(reinterpret_cast<const char*>(program.instructions.data()),
                     program.instructions.size() * sizeof(sock_filter));
}

Result<void> install_program(const SeccompProgram& program) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return fail_errno("prctl(PR_SET_NO_NEW_PRIVS)", "", errno);
  sock_fprog fprog{static_cast<unsigned short>(program.instructions.size()),
                   const_cast<sock_filter*>(program.instructions.data())};
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, program.kernel_flags, &fprog);
  if (rc != 0)
    return fail_errno("seccomp(SECCOMP_SET_MODE_FILTER)",
                      fmt::format("{} instructions, flags {:#x}", program.instructions.size(),
                                  program.kernel_flags),
                      errno);
  return {};
}

}  // namespace syscap::enforcer
