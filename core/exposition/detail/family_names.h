// For the exposition reader's .cpp files only: the sample names a metric family owns, by type and format.
#pragma once

#include "core/exposition/exposition_parser.h"

#include <span>
#include <string>
#include <string_view>

namespace pulse::expo {

/// sampleSuffixes are the sample names a family of `type` owns, as suffixes of the family name.
std::span<const std::string_view> sampleSuffixes(MetricType type, ExpositionFormat format);
/// claimedSuffixes are the names an OpenMetrics family claims: its sample names and its bare name, as
/// the reference parser does.
std::span<const std::string_view> claimedSuffixes(MetricType type);
/// quoted is `s` in double quotes, for messages.
std::string quoted(std::string_view s);

} // namespace pulse::expo
