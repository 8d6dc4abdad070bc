#include "syscap/capabilities/report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "syscap/tables/capabilities.hpp"

namespace syscap::capabilities {

std::string format_call(const tracer::CapabilityEvidence& e) {
  std::string args;
  for (auto it = e.args.begin(); it != e.args.end(); ++it) {
    if (!args.empty()) args += ", ";
    args += fmt::format("{}={}", it.key(), it.value().dump());
  }
  return fmt::format("{}({})", e.syscall, args);
}

std::string format_capability_table(const std::vector<tracer::CapabilityRecord>& caps) {
  if (caps.empty()) return "No capabilities needed.\n";
  std::size_t width = 10;  // "CAPABILITY"
  for (const auto& c : caps) width = std::max(width, c.name.size());
  std::string out = fmt::format("{:<{}}  {:<14}  {}\n", "CAPABILITY", width, "DOCKER DEFAULT", "EVIDENCE");
  const std::string indent(width + 2 + 14 + 2, ' ');
  for (const auto& c : caps) {
    auto cap = tables::capability_by_name(c.name);
    const char* in_default = cap ? (tables::facts(*cap).docker_default ? "yes" : "no") : "?";
    bool first = true;
    for (const auto& e : c.evidence) {
      const std::string head = first ? fmt::format("{:<{}}  {:<14}  ", c.name, width, in_default) : indent;
      out += fmt::format("{}{}  pid {} {}\n", head, format_call(e), e.pid, e.exe);
      out += fmt::format("{}  why: {}\n", indent, e.why);
      first = false;
    }
    if (first) out += fmt::format("{:<{}}  {:<14}  (no evidence)\n", c.name, width, in_default);
  }
  return out;
}

std::string format_kernel_confirmation(const std::vector<tracer::CapabilityRecord>& caps,
                                       const std::vector<tracer::KernelCheck>& checks) {
  std::string out;
  for (const auto& c : caps) {
    std::set<std::string> granted_in, refused_in;
    for (const auto& k : checks)
      if (k.capability == c.name) (k.granted ? granted_in : refused_in).insert(k.syscall.empty() ? "(no call)" : k.syscall);
    if (granted_in.empty() && refused_in.empty()) {
      out += fmt::format("{}: the kernel never checked it (a finding of the rule model alone)\n", c.name);
      continue;
    }
    out += fmt::format("{}: the kernel checked it", c.name);
    if (!granted_in.empty()) out += fmt::format(" in {} (granted)", fmt::join(granted_in, ", "));
    if (!refused_in.empty()) out += fmt::format("{} in {} (refused)", granted_in.empty() ? "" : ";", fmt::join(refused_in, ", "));
    out += "\n";
  }
  return out;
}

std::string docker_cap_flags(const std::vector<tracer::CapabilityRecord>& caps) {
  std::string out = "--cap-drop ALL";
  for (const auto& c : caps) {
    auto cap = tables::capability_by_name(c.name);
    out += " --cap-add " + (cap ? std::string(tables::facts(*cap).docker_name) : c.name);
  }
  return out;
}

}  // namespace syscap::capabilities
