#include "syscap/profilegen/diff.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "arg_sets.hpp"
#include "syscap/profilegen/container_view.hpp"
#include "syscap/tables/arch.hpp"

namespace syscap::profilegen {
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

namespace {

// `wider` applies wherever `narrower` does, arguments aside.
bool applies_as_widely(const Permission& wider, const Permission& narrower) {
  if (wider.syscall != narrower.syscall) return false;
  if (!subset(wider.caps, narrower.caps)) return false;
  if (!wider.arches.empty() && wider.arches != narrower.arches) return false;
  if (wider.min_kernel && wider.min_kernel != narrower.min_kernel) return false;
  if (!subset(wider.excluded_caps, narrower.excluded_caps)) return false;
  if (!subset(wider.excluded_arches, narrower.excluded_arches)) return false;
  return true;
}

// `p` has several conditions (all must hold). Decided only through one of them: if the other
// side's single-condition rules on its argument allow every value it allows, they cover `p`; if
// they allow none and the other side has no other rules, none of `p` is covered.
std::optional<Difference> several_conditions(const Permission& p, const std::vector<const Permission*>& candidates) {
  for (const auto& c : p.args) {
    std::vector<ArgCondition> others;
    for (const Permission* q : candidates) {
      if (q->args.size() == 1 && q->args[0].index == c.index) others.push_back(q->args[0]);
    }
    auto coverage = detail::arg_coverage(c, c.index, others);
    if (coverage.kind == detail::Coverage::Kind::Covered) return std::nullopt;
    if (coverage.kind == detail::Coverage::Kind::None && others.size() == candidates.size()) {
      return Difference{p, "", ""};
    }
  }
  return Difference{p, "", "conditions on several arguments"};
}

// How much of `p` the permissions `theirs` let through; nullopt when all of it.
std::optional<Difference> uncovered_part(const Permission& p, const std::vector<Permission>& theirs) {
  std::vector<const Permission*> candidates;
  for (const auto& q : theirs) {
    if (!applies_as_widely(q, p)) continue;
    if (subset(q.args, p.args)) return std::nullopt;  // no more conditions than p: covers it
    candidates.push_back(&q);
  }
  if (candidates.empty()) return Difference{p, "", ""};
  if (p.args.size() > 1) return several_conditions(p, candidates);
  // The argument p's rule looks at, or (p allows every call) the one the other side's rules do.
  unsigned index = 0;
  if (!p.args.empty()) {
    index = p.args[0].index;
  } else {
    auto single = std::ranges::find_if(candidates, [](const Permission* q) { return q->args.size() == 1; });
    if (single == candidates.end()) return Difference{p, "", "conditions on several arguments"};
    index = (*single)->args[0].index;
  }
  std::vector<ArgCondition> others;
  bool complex = false;
  for (const Permission* q : candidates) {
    if (q->args.size() == 1 && q->args[0].index == index) others.push_back(q->args[0]);
    else complex = true;
  }
  std::optional<ArgCondition> cond;
  if (!p.args.empty()) cond = p.args[0];
  auto c = detail::arg_coverage(cond, index, others);
  using Kind = detail::Coverage::Kind;
  if (c.kind == Kind::Covered) return std::nullopt;
  if (c.kind == Kind::Unknown) return Difference{p, "", c.uncovered};
  // Rules on other arguments (or on several) might still allow the values these do not.
  if (complex) return Difference{p, "", "the other side's rules look at other or several arguments"};
  return Difference{p, c.kind == Kind::Partly ? c.uncovered : "", ""};
}

// The permissions as they apply on a host whose native arch is `host` ("amd64"): includes/excludes
// arches evaluated as moby does (and then dropped); those for other hosts only counted.
std::vector<Permission> on_host(std::vector<Permission> perms, std::string_view host,
                                std::vector<Permission>& elsewhere) {
  std::vector<Permission> out;
  for (auto& p : perms) {
    bool applies = (p.arches.empty() || std::ranges::find(p.arches, host) != p.arches.end()) &&
                   std::ranges::find(p.excluded_arches, host) == p.excluded_arches.end();
    if (!applies) {
      elsewhere.push_back(std::move(p));
      continue;
    }
    p.arches.clear();
    p.excluded_arches.clear();
    if (std::ranges::find(out, p) == out.end()) out.push_back(std::move(p));
  }
  return out;
}

std::string arch_list(const std::vector<std::string>& arches) {
  return arches.empty() ? std::string("(none)") : join(arches, ", ");
}

// The architectures the two filters take on the native host (architectures plus its archMap
// entry), and on which other hosts of their archMaps they would differ.
void diff_architectures(const Profile& a, const Profile& b, const tables::ArchFacts& native, ProfileDiff& d) {
  auto arches_a = effective_architectures(a, native.native_name);
  auto arches_b = effective_architectures(b, native.native_name);
  for (const auto& x : arches_a) {
    if (std::ranges::find(arches_b, x) == arches_b.end()) d.architectures_only_a.push_back(x);
  }
  for (const auto& x : arches_b) {
    if (std::ranges::find(arches_a, x) == arches_a.end()) d.architectures_only_b.push_back(x);
  }
  // archMap entries for other hosts: one line naming the hosts where the two would differ.
  std::set<std::string> hosts;
  for (const auto* p : {&a, &b}) {
    for (const auto& e : p->arch_map) {
      if (e.architecture != native.scmp_name) hosts.insert(e.architecture);
    }
  }
  std::vector<std::string> differing;  // "on HOST: A's vs B's"
  std::vector<std::string> differing_hosts;
  for (const auto& host : hosts) {
    const auto* facts = tables::arch_by_scmp_name(host);
    if (facts == nullptr) continue;
    auto x = effective_architectures(a, facts->native_name);
    auto y = effective_architectures(b, facts->native_name);
    std::ranges::sort(x);
    std::ranges::sort(y);
    if (x == y) continue;
    differing.push_back(fmt::format("on {}: {} vs {}", host, arch_list(x), arch_list(y)));
    differing_hosts.push_back(host);
  }
  // Details for one or two hosts; against Docker's default (ten hosts) just their names.
  if (!differing.empty()) {
    d.other.push_back(differing.size() <= 2
                          ? fmt::format("architectures on other hosts (archMap): {}", join(differing, "; "))
                          : fmt::format("architectures on other hosts (archMap) differ on {}", join(differing_hosts, ", ")));
  }
}

}  // namespace

bool covers(const Permission& wider, const Permission& narrower) {
  return applies_as_widely(wider, narrower) && subset(wider.args, narrower.args);
}

ProfileDiff diff_profiles(const Profile& a, const Profile& b, const DiffOptions& options) {
  ProfileDiff d;
  const tables::ArchFacts* native = options.native_arch.empty() ? &tables::facts(tables::native_arch())
                                                                : tables::arch_by_scmp_name(options.native_arch);
  if (native == nullptr) native = &tables::facts(tables::native_arch());
  d.native_arch = std::string(native->scmp_name);
  std::vector<Permission> elsewhere_a;
  std::vector<Permission> elsewhere_b;
  auto pa = on_host(permissions(a), native->native_name, elsewhere_a);
  auto pb = on_host(permissions(b), native->native_name, elsewhere_b);
  auto compare = [](const std::vector<Permission>& mine, const std::vector<Permission>& theirs,
                    std::vector<Difference>& only, std::vector<Difference>& uncompared) {
    for (const auto& p : mine) {
      auto part = uncovered_part(p, theirs);
      if (!part) continue;
      (part->cannot_compare.empty() ? only : uncompared).push_back(std::move(*part));
    }
    auto by_syscall = [](const Difference& x) -> const std::string& { return x.permission.syscall; };
    std::ranges::stable_sort(only, {}, by_syscall);
    std::ranges::stable_sort(uncompared, {}, by_syscall);
  };
  compare(pa, pb, d.only_a, d.uncompared_a);
  compare(pb, pa, d.only_b, d.uncompared_b);

  diff_architectures(a, b, *native, d);

  // Rules only other hosts apply: not compared value by value, but said when they differ.
  auto only_in = [](const std::vector<Permission>& x, const std::vector<Permission>& y) {
    return std::ranges::count_if(x, [&](const Permission& p) { return std::ranges::find(y, p) == y.end(); });
  };
  if (auto na = only_in(elsewhere_a, elsewhere_b), nb = only_in(elsewhere_b, elsewhere_a); na + nb > 0) {
    d.other.push_back(fmt::format("permissions for other hosts only (includes/excludes arches; not compared): {} vs {}",
                                  na, nb));
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
  return d;
}

std::string format_diff(const ProfileDiff& diff, std::string_view name_a, std::string_view name_b) {
  if (diff.empty()) return fmt::format("no differences: {} and {} allow the same\n", name_a, name_b);
  std::string out;
  auto section = [&](std::string_view name, const std::vector<Difference>& perms,
                     const std::vector<std::string>& arches) {
    if (perms.empty() && arches.empty()) return;
    out += fmt::format("only in {}:\n", name);
    for (const auto& arch : arches) out += fmt::format("  architecture {}\n", arch);
    for (const auto& p : perms) {
      out += fmt::format("  {}", p.permission.describe());
      if (!p.allows_more.empty()) out += fmt::format(" allows more: {}", p.allows_more);
      out += "\n";
    }
  };
  section(name_a, diff.only_a, diff.architectures_only_a);
  section(name_b, diff.only_b, diff.architectures_only_b);
  if (!diff.uncompared_a.empty() || !diff.uncompared_b.empty()) {
    out += "cannot compare (argument rules; either side may allow more):\n";
    auto uncompared = [&](std::string_view name, std::string_view other, const std::vector<Difference>& list) {
      for (const auto& p : list) {
        out += fmt::format("  {}: {} against {}'s {} rules: {}\n", name, p.permission.describe(), other,
                           p.permission.syscall, p.cannot_compare);
      }
    };
    uncompared(name_a, name_b, diff.uncompared_a);
    uncompared(name_b, name_a, diff.uncompared_b);
  }
  if (!diff.other.empty()) {
    out += "also different:\n";
    for (const auto& line : diff.other) out += fmt::format("  {}\n", line);
  }
  return out;
}

}  // namespace syscap::profilegen
