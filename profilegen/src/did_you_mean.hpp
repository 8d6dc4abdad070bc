// Spelling help for error messages: the closest known word, and a list of the known ones.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace syscap::profilegen::detail {

// The candidate `word` was most likely meant to be (case-insensitive edit distance of at most 2,
// less for short words), or nullopt when none is close.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// "a, b, c": the candidates joined for "expected one of ..." messages.
std::string join(std::span<const std::string_view> words, std::string_view separator = ", ");

}  // namespace syscap::profilegen::detail
