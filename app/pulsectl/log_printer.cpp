// Printing log records for pulsectl (see log_printer.h).
#include "app/pulsectl/log_printer.h"

#include "core/base/text_encoding.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace pulse::cli {

namespace {

// A JSON string must be UTF-8: invalid sequences become U+FFFD here (the store keeps the bytes).
void appendText(std::string &out, const std::string &text)
{
    appendJsonString(out, validUtf8(text));
}

// isJsonNumber: a value JSON reads as the same number ("200", "-1.5", "3e2"), not "007" or "1.".
bool isJsonNumber(std::string_view v)
{
    std::size_t i = 0;
    if (i < v.size() && v[i] == '-')
        ++i;
    if (i >= v.size() || !std::isdigit(static_cast<unsigned char>(v[i])))
        return false;
    if (v[i] == '0' && i + 1 < v.size() && std::isdigit(static_cast<unsigned char>(v[i + 1])))
        return false;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])))
        ++i;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])))
            ++i;
        return i > start;
    };
    if (i < v.size() && v[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        if (i < v.size() && (v[i] == '+' || v[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == v.size() && v.size() <= 32;
}

} // namespace

std::string rfc3339Ms(std::int64_t ms)
{
    // Floor division: a time before 1970 is the millisecond after the second before it.
    std::int64_t seconds = ms / 1000;
    std::int64_t millis = ms % 1000;
    if (millis < 0) {
        millis += 1000;
        --seconds;
    }
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[96]; // room for any int the format could print; a real date takes 24
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
    return text;
}

void appendLogJson(std::string &out, const LogRecord &r, const LogJsonParts &parts)
{
    out += R"({"time":)";
    appendJsonString(out, rfc3339Ms(r.timestampMs));
    if (parts.target) {
        out += R"(,"target":)";
        appendText(out, r.target);
    }
    if (parts.file) {
        out += R"(,"file":)";
        appendText(out, r.file);
        out += R"(,"offset":)" + std::to_string(r.offset);
    }
    out += R"(,"level":)";
    appendJsonString(out, logLevelName(r.level));
    out += R"(,"message":)";
    appendText(out, r.message);
    out += R"(,"fields":{)";
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
        if (i)
            out += ',';
        appendText(out, r.fields[i].first);
        out += ':';
        if (isJsonNumber(r.fields[i].second))
            out += r.fields[i].second;
        else
            appendText(out, r.fields[i].second);
    }
    out += '}';
    if (r.malformed || parts.rawAlways) {
        out += R"(,"raw":)";
        appendText(out, r.raw);
    }
    if (r.truncated)
        out += R"(,"truncated":true)";
    out += '}';
}

namespace {

// utf8Length is the length of the valid UTF-8 sequence at `at` (its code point in `cp`), or 0.
std::size_t utf8Length(std::string_view s, std::size_t at, std::uint32_t &cp)
{
    const auto b = static_cast<unsigned char>(s[at]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || at + n > s.size())
        return 0;
    cp = n == 1 ? b : n == 2 ? (b & 0x1Fu) : n == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (std::size_t i = 1; i < n; ++i) {
        const auto c = static_cast<unsigned char>(s[at + i]);
        if ((c >> 6) != 0x2)
            return 0;
        cp = (cp << 6) | (c & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0; // overlong, out of range, a surrogate
    return n;
}

} // namespace

// appendTerminalSafe copies text for a terminal: control characters (C0, DEL, C1 such as U+009B,
// which terminals take for CSI), bidirectional controls and bytes that are not UTF-8 are written as
// \xHH or \u{HHHH}; everything else as it is.
void appendTerminalSafe(std::string &out, std::string_view text)
{
    char buf[16];
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        const std::size_t n = utf8Length(text, i, cp);
        if (n == 0) {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(text[i]));
            out += buf;
            ++i;
            continue;
        }
        const bool control = (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
        const bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
                          cp == 0x200F || cp == 0x061C;
        if (control && cp < 0x80) {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
            out += buf;
        } else if (control || bidi) {
            std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
}

void appendLogLine(std::string &out, const LogRecord &r)
{
    out += rfc3339Ms(r.timestampMs);
    out += ' ';
    appendTerminalSafe(out, r.target);
    out += ' ';
    out += logLevelName(r.level);
    out += ' ';
    appendTerminalSafe(out, r.raw);
}

} // namespace pulse::cli
