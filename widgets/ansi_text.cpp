// stripAnsi: a small ECMA-48 scanner, enough for the colours programs write into their logs.
#include "widgets/ansi_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace pulse {
namespace {

constexpr char kEsc = '\x1b';

// The 16 colours as xterm draws them, mid-tones that read on light and dark backgrounds.
constexpr std::array<QRgb, 16> kPalette{0xff555555, 0xffcd3131, 0xff0dbc79, 0xffc8a300, 0xff2472c8, 0xffbc3fbc,
                                        0xff11a8cd, 0xff8a8a8a, 0xff666666, 0xfff14c4c, 0xff23d18b, 0xffd5b300,
                                        0xff3b8eea, 0xffd670d6, 0xff29b8db, 0xffa0a0a0};

QColor xterm256(int n)
{
    if (n < 16)
        return QColor::fromRgb(kPalette[std::size_t(n)]);
    if (n < 232) {
        const int i = n - 16;
        const auto level = [](int v) { return v == 0 ? 0 : 55 + v * 40; };
        return QColor(level(i / 36), level((i / 6) % 6), level(i % 6));
    }
    const int grey = 8 + (n - 232) * 10;
    return QColor(grey, grey, grey);
}

// applySgr reads "1;31" style parameters into the current colour (invalid: no colour).
void applySgr(std::string_view params, QColor &color)
{
    std::vector<int> p;
    std::size_t pos = 0;
    while (pos <= params.size()) {
        const std::size_t end = std::min(params.find(';', pos), params.size());
        int v = 0;
        std::from_chars(params.data() + pos, params.data() + end, v);
        p.push_back(v);
        pos = end + 1;
    }
    for (std::size_t i = 0; i < p.size(); ++i) {
        const int v = p[i];
        if (v == 0 || v == 39)
            color = QColor();
        else if (v >= 30 && v <= 37)
            color = QColor::fromRgb(kPalette[std::size_t(v) - 30]);
        else if (v >= 90 && v <= 97)
            color = QColor::fromRgb(kPalette[std::size_t(v) - 90 + 8]);
        else if (v == 38 && i + 2 < p.size() && p[i + 1] == 5) {
            color = xterm256(std::clamp(p[i + 2], 0, 255));
            i += 2;
        } else if (v == 38 && i + 4 < p.size() && p[i + 1] == 2) {
            color = QColor(std::clamp(p[i + 2], 0, 255), std::clamp(p[i + 3], 0, 255), std::clamp(p[i + 4], 0, 255));
            i += 4;
        } else if (v == 48 && i + 1 < p.size()) {
            i += p[i + 1] == 5 ? 2 : p[i + 1] == 2 ? 4 : 0; // a background: skipped, not misread
        }
    }
}

} // namespace

AnsiText stripAnsi(std::string_view bytes)
{
    AnsiText out;
    if (bytes.find(kEsc) == std::string_view::npos) {
        out.text = std::string(bytes);
        return out;
    }
    out.text.reserve(bytes.size());
    QColor color;
    std::size_t spanStart = 0;
    const auto closeSpan = [&] {
        if (color.isValid() && out.text.size() > spanStart)
            out.spans.push_back({spanStart, out.text.size() - spanStart, color});
        spanStart = out.text.size();
    };
    std::size_t i = 0;
    while (i < bytes.size()) {
        if (bytes[i] != kEsc) {
            out.text += bytes[i++];
            continue;
        }
        if (i + 1 >= bytes.size())
            break; // a lone ESC at the end: dropped
        const char kind = bytes[i + 1];
        if (kind == '[') {
            std::size_t end = i + 2;
            while (end < bytes.size() && !(bytes[end] >= 0x40 && bytes[end] <= 0x7e))
                ++end;
            if (end < bytes.size() && bytes[end] == 'm') {
                closeSpan();
                applySgr(bytes.substr(i + 2, end - i - 2), color);
            }
            i = std::min(end + 1, bytes.size());
        } else if (kind == ']') {
            std::size_t end = i + 2;
            while (end < bytes.size() && bytes[end] != '\x07' &&
                   !(bytes[end] == kEsc && end + 1 < bytes.size() && bytes[end + 1] == '\\'))
                ++end;
            i = end >= bytes.size() ? end : end + (bytes[end] == '\x07' ? 1 : 2);
        } else {
            i += 2;
        }
    }
    closeSpan();
    return out;
}

} // namespace pulse
