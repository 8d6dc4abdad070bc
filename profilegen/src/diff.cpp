#include "syscap/profile/diff.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "syscap/profile/container_view.hpp"

namespace syscap::profile {
namespace {

std::string_view op_symbol(CmpOp op) {
  switch (op) {
    case CmpOp::NotEqual: return "!=";
    case CmpOp::LessThan: return "<";
    case CmpOp::LessEqual: return "<=";
    case CmpOp::Equal: return "==";
    case CmpOp::GreaterEqual: return ">=";
    case CmpOp::GreaterThan: return ">";
    case CmpOp::MaskedEqual: return "&";
  }
  return "?";
}

std::string condition_text(const ArgCondition& c) {
  if (c.op == CmpOp::MaskedEqual) {
    return fmt::format("arg{} & {:#x} == {:#x}", c.index, c.value, c.value_two.value_or(0));
  }
  return fmt::format("arg{} {} {}", c.index, op_symbol(c.op), c.value);
}

template <typename T>
bool subset(const std::vector<T>& small, const std::vector<T>& big) {
  return std::ranges::all_of(small, [&](const T& x) { return std::ranges::find(big, x) != big.end(); });
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : std::string(sep)) + w;
  return out;
}

}  // namespace

std::string Permission::describe() const {
  std::string text = syscall;
  if (!caps.empty()) text += " with " + join(caps, " and ");
  if (!args.empty()) {
    std::vector<std::string> parts;
    for (const auto& c : args) parts.push_back(condition_text(c));
    text += " (args: " + join(parts, ", ") + ")";
  }
  if (!arches.empty()) text += " on " + join(arches, ", ");
  if (min_kernel) text += " from kernel " + *min_kernel;
  if (!excluded_caps.empty()) text += " unless " + join(excluded_caps, " or ");
  if (!excluded_arches.empty()) text += " except on " + join(excluded_arches, ", ");
  return text;
}

std::vector<Permission> permissions(const Profile& profile) {
  std::vector<Permission> out;
  for (const Rule& rule : profile.syscalls) {
    if (!allows(rule.action)) continue;
    for (const auto& name : rule.names) {
      Permission p;
      p.syscall = name;
      p.args = rule.args;
      if (rule.includes) {
        p.caps = rule.includes->caps;
        p.arches = rule.includes->arches;
        p.min_kernel = rule.includes->min_kernel;
      }
      if (rule.excludes) {
        p.excluded_caps = rule.excludes->caps;
        p.excluded_arches = rule.excludes->arches;
      }
      std::ranges::sort(p.caps);
      if (std::ranges::find(out, p) == out.end()) out.push_back(std::move(p));
    }
  }
  return out;
}

bool covers(const Permission& wider, const Permission& narrower) {
  if (wider.syscall != narrower.syscall) return false;
  if (!subset(wider.caps, narrower.caps)) return false;
  if (!subset(wider.args, narrower.args)) return false;
  if (!wider.arches.empty() && wider.arches != narrower.arches) return false;
  if (wider.min_kernel && wider.min_kernel != narrower.min_kernel) return false;
  if (!subset(wider.excluded_caps, narrower.excluded_caps)) return false;
  if (!subset(wider.excluded_arches, narrower.excluded_arches)) return false;
  return true;
}

ProfileDiff diff_profiles(const Profile& a, const Profile& b) {
  ProfileDiff d;
  auto pa = permissions(a);
  auto pb = permissions(b);
  auto uncovered = [](const std::vector<Permission>& mine, const std::vector<Permission>& theirs) {
    std::vector<Permission> out;
    for (const auto& p : mine) {
      bool covered = std::ranges::any_of(theirs, [&](const Permission& q) { return covers(q, p); });
      if (!covered) out.push_back(p);
    }
    std::ranges::stable_sort(out, {}, &Permission::syscall);
    return out;
  };
  d.only_a = uncovered(pa, pb);
  d.only_b = uncovered(pb, pa);
  for (const auto& x : a.architectures) {
    if (std::ranges::find(b.architectures, x) == b.architectures.end()) d.architectures_only_a.push_back(x);
  }
  for (const auto& x : b.architectures) {
    if (std::ranges::find(a.architectures, x) == a.architectures.end()) d.architectures_only_b.push_back(x);
  }
  auto action_text = [](const std::optional<Action>& x) {
    return x ? std::string(to_string(*x)) : std::string("(none)");
  };
  if (a.default_action != b.default_action) {
    d.other.push_back(fmt::format("defaultAction: {} vs {}", action_text(a.default_action),
                                  action_text(b.default_action)));
  }
  if (a.default_errno_ret != b.default_errno_ret) {
    auto errno_text = [](const std::optional<unsigned>& x) { return x ? std::to_string(*x) : std::string("(none)"); };
    d.other.push_back(fmt::format("defaultErrnoRet: {} vs {}", errno_text(a.default_errno_ret),
                                  errno_text(b.default_errno_ret)));
  }
  if (!a.arch_map.empty() || !b.arch_map.empty()) {
    if (a.arch_map != b.arch_map) d.other.push_back("archMap differs");
  }
  return d;
}

std::string format_diff(const ProfileDiff& diff, std::string_view name_a, std::string_view name_b) {
  if (diff.empty()) return fmt::format("no differences: {} and {} allow the same\n", name_a, name_b);
  std::string out;
  auto section = [&](std::string_view name, const std::vector<Permission>& perms,
                     const std::vector<std::string>& arches) {
    if (perms.empty() && arches.empty()) return;
    out += fmt::format("only in {}:\n", name);
    for (const auto& arch : arches) out += fmt::format("  architecture {}\n", arch);
    for (const auto& p : perms) out += fmt::format("  {}\n", p.describe());
  };
  section(name_a, diff.only_a, diff.architectures_only_a);
  section(name_b, diff.only_b, diff.architectures_only_b);
  if (!diff.other.empty()) {
    out += "also different:\n";
    for (const auto& line : diff.other) out += fmt::format("  {}\n", line);
  }
  return out;
}

}  // namespace syscap::profile
