// Fuzzes the --cap-add/--cap-drop value parser (tables::parse_capability_list). A list it
// accepts has no repeats, and its names joined with commas parse to the same list.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "syscap/tables/capabilities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace syscap::tables;
  auto list = parse_capability_list(syscap::fuzz::as_text(data, size));
  if (!list) {
    syscap::fuzz::require(!list.error().message().empty(), "a refused list has a message");
    return 0;
  }
  std::set<Capability> seen(list->caps.begin(), list->caps.end());
  syscap::fuzz::require(seen.size() == list->caps.size(), "an accepted list has no repeats");
  std::string joined = list->all ? "ALL" : "";
  for (Capability cap : list->caps) {
    if (!joined.empty()) joined += ',';
    joined += capability_name(cap);
  }
  if (joined.empty()) return 0;
  auto again = parse_capability_list(joined);
  syscap::fuzz::require(again.has_value(), "the accepted list's names parse again");
  syscap::fuzz::require(again->all == list->all && again->caps == list->caps,
                        "the accepted list's names parse to the same list");
  return 0;
}
