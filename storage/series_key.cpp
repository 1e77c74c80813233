// Length-prefixed series identity encodings.
#include "storage/series_key.h"

#include "storage/varint.h"

#include <cstdint>

namespace pulse::storage {

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
    while (!blob.empty()) {
        std::string_view name, value;
        if (!readField(blob, name) || !readField(blob, value))
            return fail("corrupt label set in the series catalogue");
        items.push_back(Label{std::string(name), std::string(value)});
    }
    return Labels(std::move(items));
}

void appendSeriesKey(std::string &out, std::string_view metric, const Labels &labels)
{
    appendField(out, metric);
    for (const Label &l : labels) {
        appendField(out, l.name);
        appendField(out, l.value);
    }
}

} // namespace pulse::storage
