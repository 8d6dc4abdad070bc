// The capability names come from syscall_tables (syscap/tables/capabilities.hpp); this adapter
// only adds the strict spelling traces and --tie use, and a list for "did you mean".
#include "capability_names.hpp"

#include <vector>

#include "syscap/tables/capabilities.hpp"

namespace syscap::profilegen::detail {

std::span<const std::string_view> capability_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& c : tables::all_capabilities()) out.push_back(c.name);
    return out;
  }();
  return names;
}

bool is_capability_name(std::string_view name) {
  auto cap = tables::capability_by_name(name);
  return cap && tables::capability_name(*cap) == name;
}

}  // namespace syscap::profilegen::detail
