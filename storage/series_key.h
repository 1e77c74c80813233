// Byte-exact encodings of a series' identity: the canonical label blob stored in `series.labels`,
// and the in-memory lookup key. Names and values may hold any bytes (quotes, NUL, 100 KB of text):
// every field is length-prefixed, never escaped or delimited.
#pragma once

#include "core/error.h"
#include "core/labels.h"

#include <string>
#include <string_view>

namespace pulse::storage {

/// encodeLabels writes labels (already sorted by Labels) as varint length + bytes per field.
std::string encodeLabels(const Labels &labels);
/// decodeLabels reads what encodeLabels wrote.
Result<Labels> decodeLabels(std::string_view blob);
/// appendSeriesKey appends the lookup key of (metric, labels) to `out`; equal keys ⇔ equal series.
void appendSeriesKey(std::string &out, std::string_view metric, const Labels &labels);

} // namespace pulse::storage
