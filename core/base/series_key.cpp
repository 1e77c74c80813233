// Length-prefixed series identity encodings.
#include "core/base/series_key.h"

#include "core/base/varint.h"

#include <cstdint>

namespace pulse {

namespace {

void appendField(std::string &out, std::string_view field)
{
    appendVarint(out, field.size());
    out.append(field);
}

bool readField(std::string_view &in, std::string_view &field)
{
    std::size_t pos = 0;
    std::uint64_t n = 0;
    if (!readVarint(in, pos, n) || n > in.size() - pos)
        return false;
    field = in.substr(pos, n);
    in.remove_prefix(pos + n);
    return true;
}

} // namespace

std::string encodeLabels(const Labels &labels)
{
    std::string out;
    for (const Label &l : labels) {
        appendField(out, l.name);
        appendField(out, l.value);
    }
    return out;
}

Result<Labels> decodeLabels(std::string_view blob)
{
    std::vector<Label> items;
    const bool ok = forEachLabel(
        blob, [&](std::string_view name, std::string_view value) { items.push_back(Label{std::string(name), std::string(value)}); });
    if (!ok)
        return fail("corrupt label set in the series catalogue");
    return Labels(std::move(items));
}

bool forEachLabel(std::string_view blob, const std::function<void(std::string_view, std::string_view)> &onLabel)
{
    while (!blob.empty()) {
        std::string_view name, value;
        if (!readField(blob, name) || !readField(blob, value))
            return false;
        onLabel(name, value);
    }
    return true;
}

std::optional<SeriesKeyView> splitSeriesKey(std::string_view key)
{
    std::string_view metric;
    if (!readField(key, metric))
        return std::nullopt;
    return SeriesKeyView{metric, key};
}

void appendSeriesKey(std::string &out, std::string_view metric, const Labels &labels)
{
    appendField(out, metric);
    for (const Label &l : labels) {
        appendField(out, l.name);
        appendField(out, l.value);
    }
}

} // namespace pulse
