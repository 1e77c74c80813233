// Length-prefixed series identity encodings.
#include "storage/series_key.h"

#include <cstdint>

namespace pulse::storage {

namespace {

void appendVarint(std::string &out, std::uint64_t n)
{
    while (n >= 0x80) {
        out.push_back(static_cast<char>((n & 0x7f) | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
}

void appendField(std::string &out, std::string_view field)
{
    appendVarint(out, field.size());
    out.append(field);
}

bool readField(std::string_view &in, std::string_view &field)
{
    std::uint64_t n = 0;
    for (int shift = 0;; shift += 7) {
        if (in.empty() || shift > 56)
            return false;
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
    }
    if (n > in.size())
        return false;
    field = in.substr(0, n);
    in.remove_prefix(n);
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
