// Unsigned LEB128 varints, as series keys and catalogue blobs (series_key.h) and the storage's head log
// rows store lengths, ids and timestamp deltas.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pulse {

inline void appendVarint(std::string &out, std::uint64_t n)
{
    while (n >= 0x80) {
        out.push_back(static_cast<char>((n & 0x7f) | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
}

/// readVarint reads one varint at `pos` and moves `pos` past it; false when the bytes end first or it
/// runs longer than 64 bits.
inline bool readVarint(std::string_view in, std::size_t &pos, std::uint64_t &out)
{
    out = 0;
    for (int shift = 0; shift < 64 && pos < in.size(); shift += 7) {
        const auto byte = static_cast<unsigned char>(in[pos++]);
        out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return true;
    }
    return false;
}

} // namespace pulse
