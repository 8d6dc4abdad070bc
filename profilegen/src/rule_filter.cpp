#include "syscap/profilegen/rule_filter.hpp"

#include <algorithm>
#include <string>

namespace syscap::profilegen {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::ranges::find(list, item) != list.end();
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Host kernel >= `min`; an unknown host kernel counts as new enough.
bool at_least(const FilterContext& context, const KernelVersion& min) { return !context.kernel || *context.kernel >= min; }

}  // namespace

Result<KernelVersion> parse_min_kernel(std::string_view text) {
  std::size_t used = 0;
  const auto version = tables::read_kernel_version(text, used);
  if (version && used == text.size()) {
    if (*version == KernelVersion{0, 0})
      return fail("", "", "\"0.0\" is not allowed (moby refuses it); leave minKernel out to match every kernel");
    return *version;
  }
  std::string cause = quoted(text) +
                      " is not a kernel version; expected \"<kernel>.<major>\" such as \"4.8\" (moby refuses "
                      "anything else)";
  if (version) cause += "; write " + quoted(std::to_string(version->major) + "." + std::to_string(version->minor));
  return fail("", "", std::move(cause));
}

Result<bool> keeps_rule(const Rule& rule, const FilterContext& context) {
  auto has_cap = [&](const std::string& cap) { return context.has_capability && context.has_capability(cap); };
  if (rule.excludes) {
    const RuleFilter& ex = *rule.excludes;
    if (contains(ex.arches, context.native_arch)) return false;
    if (std::ranges::any_of(ex.caps, has_cap)) return false;
    if (ex.min_kernel) {
      auto min = parse_min_kernel(*ex.min_kernel);
      if (!min) return fail("", "excludes.minKernel", min.error().cause);
      if (at_least(context, *min)) return false;
    }
  }
  if (rule.includes) {
    const RuleFilter& in = *rule.includes;
    if (!in.arches.empty() && !contains(in.arches, context.native_arch)) return false;
    if (!std::ranges::all_of(in.caps, has_cap)) return false;
    if (in.min_kernel) {
      auto min = parse_min_kernel(*in.min_kernel);
      if (!min) return fail("", "includes.minKernel", min.error().cause);
      if (!at_least(context, *min)) return false;
    }
  }
  return true;
}

}  // namespace syscap::profilegen
