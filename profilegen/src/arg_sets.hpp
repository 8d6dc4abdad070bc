// Argument conditions as sets of values, for `syscap diff`: does one rule's set of allowed values
// for an argument lie inside the union of other rules' sets?
//
//   ArgCondition a{.index = 0, .value = 1, .op = CmpOp::Equal};           // arg0 == 1
//   ArgCondition b{.index = 0, .value = 38, .op = CmpOp::LessThan};       // arg0 < 38
//   arg_coverage(a, 0, {{b}}).kind;                                       // Coverage::Kind::Covered
//
// Values are compared as unsigned 64-bit numbers, as the moby format writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen::detail {

// True if argument value `x` satisfies `c`.
bool matches(const ArgCondition& c, std::uint64_t x);

struct Coverage {
  enum class Kind {
    Covered,  // every value `cond` allows is allowed by some of `others`
    Partly,   // some are, some are not: `uncovered` says which are not
    None,     // none is
    Unknown,  // too complex to decide: `uncovered` says why
  };
  Kind kind = Kind::Unknown;
  std::string uncovered;  // "arg0 == 40", "38 <= arg0 <= 40 or arg0 >= 45", "e.g. arg0 == 0x10000000"
};

// Whether the values of argument `index` that `cond` allows (every value when nullopt) are all
// allowed by the union of `others`, each a single condition on `index`.
Coverage arg_coverage(const std::optional<ArgCondition>& cond, unsigned index,
                      std::span<const ArgCondition> others);

}  // namespace syscap::profilegen::detail
