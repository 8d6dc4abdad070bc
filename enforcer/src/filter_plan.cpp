// Profile + context -> FilterPlan, following moby's setupSeccomp and runc's translation.
#include "syscap/enforcer/filter_plan.hpp"

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "syscap/profilegen/rule_filter.hpp"
#include "syscap/tables/capabilities.hpp"
#include "syscap/tables/syscalls.hpp"

namespace syscap::enforcer {
namespace {

using profilegen::Action;

Error plan_error(const PlanOptions& options, std::string path, std::string cause) {
  return Error{"enforce profile", options.source + ": " + path, std::move(cause)};
}

bool has_cap(const PlanContext& context, std::string_view name) {
  // Exact "CAP_*" names only, as moby compares them: "SYS_ADMIN" never matches.
  for (int cap = 0; cap < tables::kCapabilityCount; ++cap)
    if (context.bounding.has(cap) && tables::capability_name(static_cast<tables::Capability>(cap)) == name)
      return true;
  return false;
}

// Whether moby keeps rule `rule` (profilegen::keeps_rule), with the rule's path in errors.
Result<bool> rule_applies(const profilegen::Rule& rule, const PlanContext& context,
                          const PlanOptions& options, const std::string& path) {
  const profilegen::FilterContext filter{
      .native_arch = tables::facts(context.native).native_name,
      .has_capability = [&](std::string_view cap) { return has_cap(context, cap); },
      .kernel = context.kernel};
  auto keep = profilegen::keeps_rule(rule, filter);
  if (!keep) return std::unexpected(plan_error(options, path + "." + keep.error().object, keep.error().cause));
  return *keep;
}

// The errno (or trace data) an action carries: errnoRet, or EPERM as runc defaults it.
unsigned action_data(Action action, std::optional<unsigned> errno_ret) {
  if (action != Action::Errno && action != Action::Trace) return 0;
  return errno_ret.value_or(EPERM);
}

Result<std::vector<tables::Arch>> plan_arches(const profilegen::Profile& p, const PlanContext& context,
                                              const PlanOptions& options,
                                              std::vector<std::string>& warnings) {
  if (!p.architectures.empty() && !p.arch_map.empty())
    return std::unexpected(plan_error(options, "architectures",
                                      "'architectures' and 'archMap' cannot both be set"));
  std::string_view native_scmp = tables::facts(context.native).scmp_name;
  std::vector<std::string> names = p.architectures;
  std::string where = "architectures";
  for (std::size_t i = 0; i < p.arch_map.size(); ++i) {
    if (p.arch_map[i].architecture != native_scmp) continue;
    names = {p.arch_map[i].architecture};
    names.insert(names.end(), p.arch_map[i].sub_architectures.begin(),
                 p.arch_map[i].sub_architectures.end());
    where = fmt::format("archMap[{}]", i);
    break;
  }
  std::vector<tables::Arch> arches{context.native};
  for (const auto& name : names) {
    const tables::ArchFacts* facts = tables::arch_by_scmp_name(name);
    if (!facts)
      return std::unexpected(plan_error(options, where, fmt::format("unknown architecture {}", name)));
    if (!facts->table) {
      warnings.push_back(fmt::format("{}: {}: {} has no syscall table in syscap; calls from it are killed",
                                     options.source, where, name));
      continue;
    }
    if (std::ranges::find(arches, *facts->table) == arches.end()) arches.push_back(*facts->table);
  }
  return arches;
}

Result<FilterFlags> plan_flags(const profilegen::Profile& p, const PlanOptions& options,
                               std::vector<std::string>& warnings) {
  FilterFlags flags;
  for (std::size_t i = 0; i < p.flags.size(); ++i) {
    const std::string& f = p.flags[i];
    if (f == "SECCOMP_FILTER_FLAG_LOG") flags.log = true;
    else if (f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") flags.spec_allow = true;
    else if (f == "SECCOMP_FILTER_FLAG_TSYNC") flags.tsync = true;
    else if (f == "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV")
      warnings.push_back(fmt::format("{}: flags[{}]: {} has no effect without SCMP_ACT_NOTIFY",
                                     options.source, i, f));
    else
      return std::unexpected(plan_error(options, fmt::format("flags[{}]", i),
                                        fmt::format("unsupported flag {}", f)));
  }
  return flags;
}

// One rule per condition when an argument index is used twice (runc, crun): libseccomp
// cannot AND two conditions on one argument, so they are ORed instead.
std::vector<std::vector<profilegen::ArgCondition>> condition_sets(const profilegen::Rule& rule) {
  unsigned counts[6] = {};
  bool repeated = false;
  for (const auto& c : rule.args)
    if (c.index < 6 && ++counts[c.index] > 1) repeated = true;
  if (!repeated) return {rule.args};
  std::vector<std::vector<profilegen::ArgCondition>> sets;
  for (const auto& c : rule.args) sets.push_back({c});
  return sets;
}

}  // namespace

Result<FilterPlan> compile_plan(const profilegen::Profile& p, const PlanContext& context,
                                const PlanOptions& options) {
  FilterPlan plan;
  if (!p.default_action)
    return std::unexpected(plan_error(options, "defaultAction",
                                      "missing (Docker would run the command unconfined)"));
  if (*p.default_action == Action::Notify)
    return std::unexpected(plan_error(options, "defaultAction", "SCMP_ACT_NOTIFY is not supported"));
  plan.default_action = *p.default_action;
  plan.default_data = action_data(plan.default_action, p.default_errno_ret);

  auto arches = plan_arches(p, context, options, plan.warnings);
  if (!arches) return std::unexpected(arches.error());
  plan.arches = *arches;
  auto flags = plan_flags(p, options, plan.warnings);
  if (!flags) return std::unexpected(flags.error());
  plan.flags = *flags;

  for (std::size_t i = 0; i < p.syscalls.size(); ++i) {
    const profilegen::Rule& rule = p.syscalls[i];
    std::string path = fmt::format("syscalls[{}]", i);
    if (rule.action == Action::Notify)
      return std::unexpected(plan_error(options, path + ".action", "SCMP_ACT_NOTIFY is not supported"));
    for (std::size_t k = 0; k < rule.args.size(); ++k) {
      const auto& c = rule.args[k];
      if (c.index > 5)
        return std::unexpected(plan_error(options, fmt::format("{}.args[{}].index", path, k),
                                          fmt::format("{} is not an argument index 0-5", c.index)));
    }
    auto applies = rule_applies(rule, context, options, path);
    if (!applies) return std::unexpected(applies.error());
    if (!*applies) continue;
    unsigned data = action_data(rule.action, rule.errno_ret);
    if (rule.action == plan.default_action && data == plan.default_data) continue;
    auto sets = condition_sets(rule);
    for (std::size_t n = 0; n < rule.names.size(); ++n) {
      const std::string& name = rule.names[n];
      bool planned = false;
      for (tables::Arch arch : plan.arches) {
        auto nr = tables::syscall_number(arch, name);
        if (!nr) continue;  // not a syscall on this arch (e.g. open on aarch64)
        planned = true;
        for (const auto& conditions : sets)
          plan.rules.push_back({arch, *nr, name, rule.action, data, conditions});
      }
      if (planned) continue;
      // On none of the filter's arches: a typo is an error with --strict; another machine's
      // syscall (Docker's default lists arm's recv and riscv64's riscv_hwprobe) never is.
      std::string where =
          rule.legacy_name ? path + ".name" : fmt::format("{}.names[{}]", path, rule.name_positions.of(n));
      if (!tables::is_syscall_on_any_arch(name)) {
        if (options.strict)
          return std::unexpected(plan_error(options, where, fmt::format("unknown syscall \"{}\"", name)));
        plan.warnings.push_back(fmt::format("{}: {}: unknown syscall \"{}\" skipped", options.source,
                                            where, name));
        continue;
      }
      std::vector<std::string_view> arches;
      for (tables::Arch arch : plan.arches) arches.push_back(tables::facts(arch).scmp_name);
      // A multi-arch profile lists them on purpose, and runc skips them silently: a note.
      plan.notes.push_back(fmt::format(
          "{}: {}: \"{}\" is not a syscall on {}; known on other architectures, skipped",
          options.source, where, name, fmt::join(arches, ", ")));
    }
  }
  return plan;
}

}  // namespace syscap::enforcer
