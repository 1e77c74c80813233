// Byte-exact encodings of a series' identity: the canonical label blob stored in `series.labels`,
// and the in-memory lookup key. Names and values may hold any bytes (quotes, NUL, 100 KB of text):
// every field is length-prefixed, never escaped or delimited.
#pragma once

#include "core/base/error.h"
#include "core/base/labels.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pulse {

/// encodeLabels writes labels (already sorted by Labels) as varint length + bytes per field.
std::string encodeLabels(const Labels &labels);
/// decodeLabels reads what encodeLabels wrote.
Result<Labels> decodeLabels(std::string_view blob);
/// appendSeriesKey appends the lookup key of (metric, labels) to `out`; equal keys ⇔ equal series.
void appendSeriesKey(std::string &out, std::string_view metric, const Labels &labels);

/// SeriesKeyView is a key split into its metric and the rest, which is the labels' encodeLabels blob.
struct SeriesKeyView {
    std::string_view metric;
    std::string_view labelBlob;
};
/// splitSeriesKey splits what appendSeriesKey wrote; nullopt when the bytes are no key.
std::optional<SeriesKeyView> splitSeriesKey(std::string_view key);
/// forEachLabel calls onLabel(name, value) for every label of an encodeLabels blob, in order; false
/// (after the labels before it) when the blob is corrupt.
bool forEachLabel(std::string_view blob, const std::function<void(std::string_view, std::string_view)> &onLabel);

} // namespace pulse
