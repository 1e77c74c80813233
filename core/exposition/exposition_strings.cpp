// String helpers of the exposition parser (see exposition_strings.h).
#include "core/exposition/exposition_strings.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace pulse::expo {

void unescapeHelp(std::string_view raw, ExpositionFormat format, std::string &out)
{
    // Most help texts have no escapes at all.
    const std::size_t firstEscape = raw.find('\\');
    out.assign(raw.substr(0, firstEscape));
    if (firstEscape == std::string_view::npos)
        return;
    for (std::size_t i = firstEscape; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '\\' || i + 1 == raw.size()) {
            out.push_back(c);
            continue;
        }
        const char e = raw[++i];
        if (e == 'n')
            out.push_back('\n');
        else if (e == '\\' || (e == '"' && format == ExpositionFormat::OpenMetrics))
            out.push_back(e);
        else {
            out.push_back('\\');
            out.push_back(e);
        }
    }
}

bool isValidUtf8(std::string_view bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    const auto asciiWord = [](const unsigned char *at) {
        std::uint64_t word;
        std::memcpy(&word, at, 8);
        return (word & 0x8080808080808080ull) == 0;
    };
    while (p < end) {
        // ASCII fast path, eight bytes at a time; the last 1-7 bytes as the input's last eight, which
        // is fine to look at again: if they are all ASCII, so is what is left of them.
        if (end - p >= 8) {
            if (asciiWord(p)) {
                p += 8;
                continue;
            }
        } else if (bytes.size() >= 8 && asciiWord(end - 8)) {
            return true;
        }
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        std::size_t length;
        unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF)
            length = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0)
                low = 0xA0; // no overlong forms
            if (c == 0xED)
                high = 0x9F; // no UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0)
                low = 0x90;
            if (c == 0xF4)
                high = 0x8F; // nothing above U+10FFFF
        } else
            return false;
        if (end - p < static_cast<std::ptrdiff_t>(length) || p[1] < low || p[1] > high)
            return false;
        for (std::size_t i = 2; i < length; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
        }
        p += length;
    }
    return true;
}

std::string quoteForMessage(std::string_view text)
{
    constexpr std::size_t kMax = 40;
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c >= 0x7F) {
            char hex[5] = {'\\', 'x', "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15], 0};
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += text.size() > kMax ? "\"..." : "\"";
    return out;
}

std::string renderSeries(std::string_view name, std::span<const LabelView> labels)
{
    std::string out(name);
    if (labels.empty())
        return out;
    out += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0)
            out += ',';
        out += labels[i].name;
        out += '=';
        out += quoteForMessage(labels[i].value);
    }
    out += '}';
    return out;
}

std::size_t lineNumberAt(std::string_view text, std::size_t offset)
{
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::unexpected<Error> failAt(std::size_t lineNumber, std::string_view message)
{
    std::string text = "line ";
    text += std::to_string(lineNumber);
    text += ": ";
    text += message;
    return fail(std::move(text));
}

} // namespace pulse::expo
