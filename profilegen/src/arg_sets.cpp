// Value sets of argument conditions. EQ/NE/LT/LE/GT/GE are unions of intervals and compared
// exactly; MASKED_EQ sets are compared by enumerating the mask bits that matter (at most 2^16
// cases), and mixtures are decided where a witness or a containment can be shown, else "unknown".
#include "arg_sets.hpp"

#include <algorithm>
#include <bit>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace syscap::profilegen::detail {
namespace {

constexpr std::uint64_t kMax = UINT64_MAX;
// Enumerations (points of a range, assignments of mask bits) stop at this many cases.
constexpr std::uint64_t kMaxCases = 1u << 16;

struct Interval {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;  // inclusive
};
using IntervalSet = std::vector<Interval>;  // sorted, disjoint, not adjacent

IntervalSet normalize(IntervalSet s) {
  std::ranges::sort(s, {}, &Interval::lo);
  IntervalSet out;
  for (const auto& iv : s) {
    if (!out.empty() && (out.back().hi == kMax || iv.lo <= out.back().hi + 1)) {
      out.back().hi = std::max(out.back().hi, iv.hi);
    } else {
      out.push_back(iv);
    }
  }
  return out;
}

IntervalSet complement(const IntervalSet& s) {
  IntervalSet out;
  std::uint64_t next = 0;
  for (const auto& iv : s) {
    if (iv.lo > next) out.push_back({next, iv.lo - 1});
    if (iv.hi == kMax) return out;
    next = iv.hi + 1;
  }
  out.push_back({next, kMax});
  return out;
}

IntervalSet intersect(const IntervalSet& a, const IntervalSet& b) {
  IntervalSet out;
  for (const auto& x : a) {
    for (const auto& y : b) {
      std::uint64_t lo = std::max(x.lo, y.lo);
      std::uint64_t hi = std::min(x.hi, y.hi);
      if (lo <= hi) out.push_back({lo, hi});
    }
  }
  return normalize(std::move(out));
}

IntervalSet subtract(const IntervalSet& a, const IntervalSet& b) { return intersect(a, complement(b)); }

bool contains(const IntervalSet& s, std::uint64_t x) {
  return std::ranges::any_of(s, [x](const Interval& iv) { return iv.lo <= x && x <= iv.hi; });
}

// How many values, saturated at kMaxCases + 1.
std::uint64_t count(const IntervalSet& s) {
  std::uint64_t n = 0;
  for (const auto& iv : s) {
    std::uint64_t width = iv.hi - iv.lo;  // +1 could overflow
    if (width >= kMaxCases) return kMaxCases + 1;
    n += width + 1;
    if (n > kMaxCases) return kMaxCases + 1;
  }
  return n;
}

// The condition as intervals; nullopt for a MASKED_EQ that is not one.
std::optional<IntervalSet> as_intervals(const ArgCondition& c) {
  const std::uint64_t v = c.value;
  switch (c.op) {
    case CmpOp::Equal: return IntervalSet{{v, v}};
    case CmpOp::NotEqual: return complement({{v, v}});
    case CmpOp::LessThan: return v == 0 ? IntervalSet{} : IntervalSet{{0, v - 1}};
    case CmpOp::LessEqual: return IntervalSet{{0, v}};
    case CmpOp::GreaterThan: return v == kMax ? IntervalSet{} : IntervalSet{{v + 1, kMax}};
    case CmpOp::GreaterEqual: return IntervalSet{{v, kMax}};
    case CmpOp::MaskedEqual: {
      const std::uint64_t want = c.value_two.value_or(0);
      if ((want & ~v) != 0) return IntervalSet{};  // never matches
      if (v == 0) return IntervalSet{{0, kMax}};
      if (v == kMax) return IntervalSet{{want, want}};
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string number(std::uint64_t v) { return v < 0x10000 ? std::to_string(v) : fmt::format("{:#x}", v); }

// "arg0 == 5 or 38 <= arg0 <= 40 or arg0 >= 45".
std::string describe(const IntervalSet& s, unsigned index) {
  const std::string a = fmt::format("arg{}", index);
  if (s.size() == 2 && s[0].lo == 0 && s[1].hi == kMax && s[0].hi + 2 == s[1].lo) {
    return fmt::format("{} != {}", a, number(s[0].hi + 1));
  }
  std::vector<std::string> parts;
  for (const auto& iv : s) {
    if (parts.size() == 3) {
      parts.push_back(fmt::format("{} more range{}", s.size() - 3, s.size() == 4 ? "" : "s"));
      break;
    }
    if (iv.lo == iv.hi) parts.push_back(fmt::format("{} == {}", a, number(iv.lo)));
    else if (iv.lo == 0) parts.push_back(fmt::format("{} <= {}", a, number(iv.hi)));
    else if (iv.hi == kMax) parts.push_back(fmt::format("{} >= {}", a, number(iv.lo)));
    else parts.push_back(fmt::format("{} <= {} <= {}", number(iv.lo), a, number(iv.hi)));
  }
  return fmt::format("{}", fmt::join(parts, " or "));
}

bool any_matches(std::span<const ArgCondition> conditions, std::uint64_t x) {
  return std::ranges::any_of(conditions, [x](const ArgCondition& c) { return matches(c, x); });
}

bool same(const IntervalSet& a, const IntervalSet& b) {
  return std::ranges::equal(a, b, [](const Interval& x, const Interval& y) { return x.lo == y.lo && x.hi == y.hi; });
}

// `wanted` (a set of intervals) against interval rules `covered` and mask rules `masks`.
Coverage interval_coverage(const IntervalSet& wanted, const IntervalSet& covered,
                           std::span<const ArgCondition> masks, unsigned index) {
  IntervalSet rest = subtract(wanted, covered);
  if (!masks.empty() && !rest.empty()) {
    if (count(rest) > kMaxCases) {
      return {Coverage::Kind::Unknown, "SCMP_CMP_MASKED_EQ rules against a wide range of values"};
    }
    IntervalSet left;
    for (const auto& iv : rest) {
      for (std::uint64_t x = iv.lo;; ++x) {
        if (!any_matches(masks, x)) left.push_back({x, x});
        if (x == iv.hi) break;
      }
    }
    rest = normalize(std::move(left));
  }
  if (rest.empty()) return {Coverage::Kind::Covered, ""};
  return {same(rest, wanted) ? Coverage::Kind::None : Coverage::Kind::Partly, describe(rest, index)};
}

// {x : (x & mask) == want} against interval rules `covered` and mask rules `masks`. The set
// falls into pieces, one per assignment of the mask bits the other rules look at beyond `mask`
// (`free`); a mask rule matches a whole piece or none of it, and a piece no mask rule matches
// must lie inside the intervals: shown when its whole span does, refuted by a value of the piece
// outside them, else undecided.
Coverage mask_coverage(std::uint64_t mask, std::uint64_t want, const IntervalSet& covered,
                       std::span<const ArgCondition> masks, unsigned index) {
  if ((want & ~mask) != 0) return {Coverage::Kind::Covered, ""};  // allows nothing
  std::uint64_t free = 0;
  for (const auto& m : masks) free |= m.value;
  free &= ~mask;
  if (std::popcount(free) > 16) {
    return {Coverage::Kind::Unknown, "SCMP_CMP_MASKED_EQ rules with too many different mask bits"};
  }
  const std::uint64_t fixed = mask | free;
  std::optional<std::uint64_t> witness;
  bool some_matched = false;
  bool undecided = false;
  // Every subset of `free`, by the submask walk (ends after 0).
  for (std::uint64_t a = free;; a = (a - 1) & free) {
    const std::uint64_t low = want | a;     // the piece's smallest value
    const std::uint64_t high = low | ~fixed;  // and its largest
    if (any_matches(masks, low)) {
      some_matched = true;
    } else if (!same(intersect({{low, high}}, covered), {{low, high}})) {
      if (!contains(covered, low)) witness = witness.value_or(low);
      else if (!contains(covered, high)) witness = witness.value_or(high);
      else undecided = true;
    }
    if (a == 0) break;
  }
  if (witness) {
    bool none = !some_matched && intersect({{want, want | ~mask}}, covered).empty();
    return {none ? Coverage::Kind::None : Coverage::Kind::Partly,
            fmt::format("e.g. arg{} == {}", index, number(*witness))};
  }
  if (undecided) return {Coverage::Kind::Unknown, "SCMP_CMP_MASKED_EQ rule against ranges"};
  return {Coverage::Kind::Covered, ""};
}

}  // namespace

bool matches(const ArgCondition& c, std::uint64_t x) {
  const std::uint64_t v = c.value;
  switch (c.op) {
    case CmpOp::NotEqual: return x != v;
    case CmpOp::LessThan: return x < v;
    case CmpOp::LessEqual: return x <= v;
    case CmpOp::Equal: return x == v;
    case CmpOp::GreaterEqual: return x >= v;
    case CmpOp::GreaterThan: return x > v;
    case CmpOp::MaskedEqual: return (x & v) == c.value_two.value_or(0);
  }
  return false;
}

Coverage arg_coverage(const std::optional<ArgCondition>& cond, unsigned index, std::span<const ArgCondition> others) {
  IntervalSet covered;
  std::vector<ArgCondition> masks;
  for (const auto& o : others) {
    if (auto s = as_intervals(o)) {
      covered.insert(covered.end(), s->begin(), s->end());
    } else {
      masks.push_back(o);
    }
  }
  covered = normalize(std::move(covered));
  if (!cond) {
    // Every value: the mask walk handles mask rules exactly, intervals alone are exact too.
    if (masks.empty()) return interval_coverage({{0, kMax}}, covered, masks, index);
    return mask_coverage(0, 0, covered, masks, index);
  }
  if (auto wanted = as_intervals(*cond)) {
    Coverage c = interval_coverage(*wanted, covered, masks, index);
    if (c.kind != Coverage::Kind::Unknown) return c;
    // A wide range against mask rules: only the mask walk of the whole range can say more.
    if (wanted->size() == 1 && (*wanted)[0].lo == 0 && (*wanted)[0].hi == kMax) {
      return mask_coverage(0, 0, covered, masks, index);
    }
    return c;
  }
  return mask_coverage(cond->value, cond->value_two.value_or(0), covered, masks, index);
}

}  // namespace syscap::profilegen::detail
