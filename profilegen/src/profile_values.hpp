// Checks of single profile values: actions, architecture names, capability names, minKernel.
// Each records its error in the JsonReader at the value's path, with a hint where one helps.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "json_reader.hpp"
#include "syscap/profilegen/profile.hpp"

namespace syscap::profilegen::detail {

// "\"text\"": how values are quoted in messages.
std::string in_quotes(std::string_view s);

// "unknown operator \"SCMP_CMP_FOO\"; expected one of SCMP_CMP_NE, ..." (with a guess if close).
std::string unknown_word(std::string_view what, std::string_view word,
                         std::span<const std::string_view> known);

// An action string; nullopt (error recorded unless `value` is nullptr) when it is not one.
std::optional<Action> read_action(JsonReader& r, const Json* value, const std::string& path);

// An `architectures` / `archMap` name, SCMP_ARCH_*; a native name here gets "write SCMP_ARCH_...".
std::string read_scmp_arch(JsonReader& r, const Json* value, const std::string& path);

// An includes/excludes `arches` name ("amd64"); SCMP_ARCH_X86_64 here gets "write amd64".
void check_native_arch(JsonReader& r, const std::string& name, const std::string& path);

// A capability as moby compares it with the bounding set: "CAP_SYS_ADMIN", exactly, and one
// that Linux has (a misspelled cap never matches, so an includes rule would silently vanish).
void check_cap(JsonReader& r, const std::string& cap, const std::string& path);

// minKernel: exactly "<kernel>.<major>", not "0.0", as moby parses it.
void check_min_kernel(JsonReader& r, const std::string& text, const std::string& path);

}  // namespace syscap::profilegen::detail
