// What every check shares: the findings of one rule row, the generic_permission() model
// (mode bits and the capabilities that override them), and small argument helpers.
#include <sys/stat.h>

#include <algorithm>
#include <fmt/format.h>

#include "checks.hpp"

namespace syscap::capabilities {

using tables::Capability;

bool Credentials::in_group(std::uint32_t gid) const {
  return gid == fsgid || std::ranges::find(groups, gid) != groups.end();
}

namespace detail {

int as_int(std::uint64_t v) { return static_cast<int>(static_cast<std::int32_t>(v)); }

std::optional<Capability> first_effective(const Credentials& c,
                                          std::initializer_list<Capability> caps) {
  for (Capability cap : caps)
    if (c.has(cap)) return cap;
  return std::nullopt;
}

bool dac_denied(const Credentials& c, const FileFacts& f, int mask) {
  unsigned bits = f.mode;
  if (c.fsuid == f.uid) {
    bits >>= 6;
  } else if (c.in_group(f.gid)) {
    bits >>= 3;
  }
  return (static_cast<unsigned>(mask) & ~bits & 7u) != 0;
}

std::optional<Capability> dac_override(const Credentials& c, const FileFacts& f, int mask) {
  mask &= kMayRead | kMayWrite | kMayExec;
  if (S_ISDIR(f.mode)) {
    if (!(mask & kMayWrite) && c.has(Capability::DacReadSearch)) return Capability::DacReadSearch;
    if (c.has(Capability::DacOverride)) return Capability::DacOverride;
    return std::nullopt;
  }
  if (mask == kMayRead && c.has(Capability::DacReadSearch)) return Capability::DacReadSearch;
  if ((!(mask & kMayExec) || (f.mode & 0111)) && c.has(Capability::DacOverride))
    return Capability::DacOverride;
  return std::nullopt;
}

namespace {

std::string mask_name(int mask) {
  std::string s;
  if (mask & kMayRead) s += "read";
  if (mask & kMayWrite) s += s.empty() ? "write" : "+write";
  if (mask & kMayExec) s += s.empty() ? "search/exec" : "+search/exec";
  return s;
}

}  // namespace

std::string describe(const FileFacts& f) {
  return fmt::format("{} (mode {:04o}, uid {}, gid {})", f.path, f.mode & 07777, f.uid, f.gid);
}

void Findings::add(Capability cap, std::string why) {
  for (const CapabilityUse& u : uses)
    if (u.cap == cap) return;
  uses.push_back(CapabilityUse{cap, std::move(why), {}, rule->outcome});
}

bool Findings::permission(const FileFacts& f, int mask, std::string_view what) {
  if (!dac_denied(creds, f, mask)) return false;
  if (auto cap = dac_override(creds, f, mask))
    add(*cap, fmt::format("{} {} denied by mode bits to fsuid {} fsgid {}", mask_name(mask),
                          describe(f), creds.fsuid, creds.fsgid) +
                  (what.empty() ? "" : fmt::format(" ({})", what)));
  return true;
}

}  // namespace detail
}  // namespace syscap::capabilities
