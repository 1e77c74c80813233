// "Did you mean" suggestions for misspelt keys and names, by edit distance.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace pulse {

/// editDistance counts the insertions, deletions, substitutions and swaps of two adjacent characters
/// that turn `a` into `b` (optimal string alignment distance). A swap counts once because "intreval"
/// is one slip of the fingers from "interval", not two.
std::size_t editDistance(std::string_view a, std::string_view b);

/// closestMatch returns the candidate nearest to `word`, or nothing when none is close enough to be a
/// plausible typo (at most one edit per three characters, at least one). Case differences alone always
/// match. Ties go to the earlier candidate, so list candidates in order of importance.
std::optional<std::string_view> closestMatch(std::string_view word, std::span<const std::string_view> candidates);

} // namespace pulse
