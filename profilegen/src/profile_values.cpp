#include "profile_values.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "did_you_mean.hpp"
#include "syscap/profilegen/rule_filter.hpp"
#include "syscap/tables/arch.hpp"
#include "syscap/tables/capabilities.hpp"

namespace syscap::profilegen::detail {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> scmp_arch_names() {
  std::vector<std::string_view> names;
  for (const auto& a : tables::all_arches()) names.push_back(a.scmp_name);
  return names;
}

std::vector<std::string_view> native_arch_names() {
  std::vector<std::string_view> names;
  for (const auto& a : tables::all_arches()) {
    if (!a.native_name.empty()) names.push_back(a.native_name);
  }
  return names;
}

}  // namespace

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// "unknown operator "SCMP_CMP_FOO"; expected one of SCMP_CMP_NE, ..."
std::string unknown_word(std::string_view what, std::string_view word,
                         std::span<const std::string_view> known) {
  std::string cause = "unknown " + std::string(what) + " " + in_quotes(word);
  if (auto guess = detail::closest_match(word, known)) cause += " (did you mean " + in_quotes(*guess) + "?)";
  return cause + "; expected one of " + detail::join(known);
}

std::optional<Action> read_action(JsonReader& r, const Json* value, const std::string& path) {
  auto text = r.string(value, path);
  if (!text) return std::nullopt;
  if (auto action = parse_action(*text)) return action;
  r.fail(path, unknown_word("action", *text, known_actions()));
  return std::nullopt;
}

// An `architectures` / `archMap` name: SCMP_ARCH_*.
std::string read_scmp_arch(JsonReader& r, const Json* value, const std::string& path) {
  auto text = r.string(value, path);
  if (!text) return {};
  if (tables::arch_by_scmp_name(*text)) return *text;
  if (const auto* native = tables::arch_by_native_name(*text)) {
    r.fail(path, in_quotes(*text) + " is an includes/excludes architecture name; here seccomp names "
                 "are used: write " + in_quotes(native->scmp_name));
  } else if (const auto* bare = tables::arch_by_scmp_name("SCMP_ARCH_" + upper(*text))) {
    r.fail(path, "unknown architecture " + in_quotes(*text) + "; write " + in_quotes(bare->scmp_name));
  } else {
    r.fail(path, unknown_word("architecture", *text, scmp_arch_names()));
  }
  return *text;
}

// An includes/excludes `arches` name: the native spelling moby compares with ("amd64").
void check_native_arch(JsonReader& r, const std::string& name, const std::string& path) {
  if (tables::arch_by_native_name(name)) return;
  const auto* scmp = tables::arch_by_scmp_name(name);
  if (!scmp) scmp = tables::arch_by_scmp_name("SCMP_ARCH_" + upper(name));
  if (scmp && !scmp->native_name.empty()) {
    r.fail(path, in_quotes(name) + " is not an includes/excludes architecture name; these use "
                 "native names: write " + in_quotes(scmp->native_name) +
                 " (moby compares exact strings, so this would never match)");
  } else {
    r.fail(path, unknown_word("architecture", name, native_arch_names()));
  }
}

// moby compares caps as exact strings with the bounding set, which spells them "CAP_SYS_ADMIN".
void check_cap(JsonReader& r, const std::string& cap, const std::string& path) {
  const auto caps = tables::all_capabilities();
  if (std::ranges::find(caps, cap, &tables::CapabilityFacts::name) != caps.end()) return;
  if (auto known = tables::capability_by_name(cap)) {  // "SYS_ADMIN", "cap_sys_admin", ...
    r.fail(path, in_quotes(cap) + " is not a capability name; write " +
                     in_quotes(tables::capability_name(*known)) +
                     " (moby compares caps as exact strings with the bounding set, so this would "
                     "never match)");
    return;
  }
  std::vector<std::string_view> names;
  for (const auto& c : caps) names.push_back(c.name);
  std::string cause = "unknown capability " + in_quotes(cap);
  if (auto guess = closest_match(cap, names)) cause += " (did you mean " + in_quotes(*guess) + "?)";
  r.fail(path, cause + "; expected a Linux capability, " + std::string(names.front()) + " to " +
                   std::string(names.back()) + " (it would never be in the bounding set)");
}

// moby accepts exactly "<kernel>.<major>" with both parts numbers, and refuses "0.0".
void check_min_kernel(JsonReader& r, const std::string& text, const std::string& path) {
  if (auto version = parse_min_kernel(text); !version) r.fail(path, version.error().cause);
}

}  // namespace syscap::profilegen::detail
