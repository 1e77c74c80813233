// Text encoding helpers every parser and writer shares: UTF-8 from code points, JSON string escaping,
// and a stable 64-bit hash (FNV-1a) for things that must not change between runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pulse {

/// appendUtf8 appends code point `cp` (at most 0x10FFFF; callers check) as UTF-8.
void appendUtf8(std::string &out, std::uint32_t cp);

/// validUtf8 is bytes with every byte that does not begin a valid UTF-8 sequence replaced by U+FFFD
/// (overlong forms, surrogates, beyond U+10FFFF and cut sequences included), and a leading byte
/// order mark dropped — byte for byte what
/// QString::fromUtf8(bytes).toStdString() gives, without Qt. For text that must be UTF-8 (JSON)
/// when the bytes are untrusted (log lines); the stores keep the bytes themselves.
std::string validUtf8(std::string_view bytes);

/// appendJsonString appends `text` as a quoted JSON string: `"` and `\` escaped, control characters
/// as \n, \r, \t or \u00XX (backspace and form feed too, as Prometheus's API writes them); other
/// bytes (UTF-8) as they are. Untrusted text always comes out as one valid, inert string.
void appendJsonString(std::string &out, std::string_view text);

/// appendJsonObject writes pairs of strings (labels, annotations, a map) as a JSON object,
/// {"a":"x","b":"y"}, in the order given; each pair is anything that binds to [name, value].
template <class Pairs> void appendJsonObject(std::string &out, const Pairs &pairs)
{
    out += '{';
    bool first = true;
    for (const auto &pair : pairs) {
        const auto &[name, value] = pair;
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, name);
        out += ':';
        appendJsonString(out, value);
    }
    out += '}';
}

/// fnv1a is the 64-bit FNV-1a hash: stable across runs and platforms, unlike std::hash.
constexpr std::uint64_t fnv1a(std::string_view bytes)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL; // the offset basis, 14695981039346656037
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

} // namespace pulse
