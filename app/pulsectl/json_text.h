// appendJsonString: one JSON string escape for everything pulsectl prints (sample lines, query
// answers, quoted logfmt values), so untrusted text always comes out as one valid, inert string.
#pragma once

#include <string>
#include <string_view>

namespace pulse::cli {

/// appendJsonString appends `text` as a quoted JSON string: `"` and `\` escaped, control characters
/// as \n, \r, \t or \u00XX (backspace and form feed too, as Prometheus's API writes them); other
/// bytes (UTF-8) as they are.
inline void appendJsonString(std::string &out, std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += kHex[(c >> 4) & 0xF];
                out += kHex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

} // namespace pulse::cli
