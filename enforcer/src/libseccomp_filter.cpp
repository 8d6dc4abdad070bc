// FilterPlan -> libseccomp filter. libseccomp reads every syscall number as a *native* number
// and translates it to the target arch by name, so a non-native number goes in as the native
// number of libseccomp's name for it; one single-arch context per arch keeps each arch's
// rules its own, and seccomp_merge joins them.
#include "libseccomp_filter.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <fmt/format.h>

namespace syscap::enforcer::detail {
namespace {

using profilegen::Action;

std::uint32_t scmp_arch(tables::Arch arch) {
  switch (arch) {
    case tables::Arch::X86_64: return SCMP_ARCH_X86_64;
    case tables::Arch::X86: return SCMP_ARCH_X86;
    case tables::Arch::X32: return SCMP_ARCH_X32;
    case tables::Arch::AARCH64: return SCMP_ARCH_AARCH64;
  }
  return 0;
}

scmp_compare scmp_op(profilegen::CmpOp op) {
  switch (op) {
    case profilegen::CmpOp::NotEqual: return SCMP_CMP_NE;
    case profilegen::CmpOp::LessThan: return SCMP_CMP_LT;
    case profilegen::CmpOp::LessEqual: return SCMP_CMP_LE;
    case profilegen::CmpOp::Equal: return SCMP_CMP_EQ;
    case profilegen::CmpOp::GreaterEqual: return SCMP_CMP_GE;
    case profilegen::CmpOp::GreaterThan: return SCMP_CMP_GT;
    case profilegen::CmpOp::MaskedEqual: return SCMP_CMP_MASKED_EQ;
  }
  return SCMP_CMP_EQ;
}

std::string arch_name(tables::Arch arch) { return std::string(tables::facts(arch).scmp_name); }

Result<void> check(int rc, std::string action, std::string object) {
  if (rc < 0) return fail_errno(std::move(action), std::move(object), -rc);
  return {};
}

Result<Context> new_context(const FilterPlan& plan, tables::Arch arch) {
  Context ctx(seccomp_init(scmp_action(plan.default_action, plan.default_data)));
  if (!ctx) return fail("seccomp_init", arch_name(arch), "libseccomp refused the default action");
  std::uint32_t token = scmp_arch(arch);
  if (token != seccomp_arch_native()) {
    if (auto r = check(seccomp_arch_add(ctx.get(), token), "seccomp_arch_add", arch_name(arch)); !r)
      return std::unexpected(r.error());
    if (auto r = check(seccomp_arch_remove(ctx.get(), SCMP_ARCH_NATIVE), "seccomp_arch_remove",
                       "native");
        !r)
      return std::unexpected(r.error());
  }
  // Attributes must be equal on every context for seccomp_merge. NNP and loading are ours.
  const std::pair<scmp_filter_attr, std::uint32_t> attrs[] = {
      {SCMP_FLTATR_CTL_NNP, 0},
      {SCMP_FLTATR_CTL_OPTIMIZE, 2},  // binary tree of syscall numbers
      {SCMP_FLTATR_CTL_LOG, plan.flags.log ? 1U : 0U},
      {SCMP_FLTATR_CTL_SSB, plan.flags.spec_allow ? 1U : 0U},
      {SCMP_FLTATR_CTL_TSYNC, plan.flags.tsync ? 1U : 0U},
  };
  for (auto [attr, value] : attrs)
    if (auto r = check(seccomp_attr_set(ctx.get(), attr, value), "seccomp_attr_set",
                       fmt::format("attribute {} = {}", static_cast<int>(attr), value));
        !r)
      return std::unexpected(r.error());
  return ctx;
}

// The number to hand libseccomp so that it lands as `rule.nr` on `rule.arch`, or nullopt when
// libseccomp has no name for that number there.
std::optional<int> libseccomp_number(const PlannedRule& rule) {
  std::uint32_t token = scmp_arch(rule.arch);
  if (token == seccomp_arch_native()) return rule.nr;
  std::unique_ptr<char, decltype(&free)> name(seccomp_syscall_resolve_num_arch(token, rule.nr), &free);
  if (!name) return std::nullopt;
  // i386 socket and ipc calls resolve to libseccomp's multiplexer pseudo numbers here; its
  // x86 rule_add then covers both the direct call and socketcall/ipc, as runc's rules do.
  int native = seccomp_syscall_resolve_name(name.get());
  if (native == __NR_SCMP_ERROR) return std::nullopt;
  return native;
}

Result<void> add_rule(const Context& ctx, const PlannedRule& rule, int number) {
  std::vector<scmp_arg_cmp> args;
  for (const auto& c : rule.conditions) {
    if (c.op == profilegen::CmpOp::MaskedEqual)
      args.push_back({c.index, SCMP_CMP_MASKED_EQ, c.value, c.value_two.value_or(0)});
    else
      args.push_back({c.index, scmp_op(c.op), c.value, 0});
  }
  int rc = seccomp_rule_add_array(ctx.get(), scmp_action(rule.action, rule.data), number,
                                  static_cast<unsigned>(args.size()), args.data());
  return check(rc, "seccomp_rule_add",
               fmt::format("{} ({}) on {}", rule.name, rule.nr, arch_name(rule.arch)));
}

}  // namespace

std::uint32_t scmp_action(Action action, unsigned data) {
  switch (action) {
    case Action::Allow: return SCMP_ACT_ALLOW;
    case Action::Errno: return SCMP_ACT_ERRNO(data);
    case Action::Kill: return SCMP_ACT_KILL;
    case Action::KillThread: return SCMP_ACT_KILL_THREAD;
    case Action::KillProcess: return SCMP_ACT_KILL_PROCESS;
    case Action::Trap: return SCMP_ACT_TRAP;
    case Action::Trace: return SCMP_ACT_TRACE(data);
    case Action::Log: return SCMP_ACT_LOG;
    case Action::Notify: return SCMP_ACT_NOTIFY;
  }
  return SCMP_ACT_KILL_PROCESS;
}

Result<Context> build_libseccomp_filter(const FilterPlan& plan, std::vector<PlannedRule>& unnamed) {
  Context merged;
  for (tables::Arch arch : plan.arches) {
    auto ctx = new_context(plan, arch);
    if (!ctx) return std::unexpected(ctx.error());
    for (const PlannedRule& rule : plan.rules) {
      if (rule.arch != arch) continue;
      auto number = libseccomp_number(rule);
      if (!number) {
        unnamed.push_back(rule);
        continue;
      }
      if (auto r = add_rule(*ctx, rule, *number); !r) return std::unexpected(r.error());
    }
    if (!merged) {
      merged = std::move(*ctx);
    } else {
      if (auto r = check(seccomp_merge(merged.get(), ctx->get()), "seccomp_merge", arch_name(arch)); !r)
        return std::unexpected(r.error());
      ctx->release();  // seccomp_merge consumed it
    }
  }
  if (!merged) return fail("build filter", "", "no architectures");
  return merged;
}

Result<std::string> export_text(const char* what, int (*exporter)(const scmp_filter_ctx, int),
                                const Context& ctx) {
  int fd = memfd_create("syscap-export", MFD_CLOEXEC);
  if (fd < 0) return fail_errno("memfd_create", what, errno);
  int rc = exporter(ctx.get(), fd);
  if (rc < 0) {
    close(fd);
    return fail_errno(what, "", -rc);
  }
  std::string out;
  char buf[8192];
  ssize_t n;
  lseek(fd, 0, SEEK_SET);
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  int err = errno;
  close(fd);
  if (n < 0) return fail_errno("read", what, err);
  return out;
}

}  // namespace syscap::enforcer::detail
