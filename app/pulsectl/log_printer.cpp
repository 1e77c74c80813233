// Printing log records for pulsectl (see log_printer.h).
#include "app/pulsectl/log_printer.h"

#include "core/base/text_encoding.h"

#include <QDateTime>
#include <QString>

#include <cctype>
#include <cstdio>

namespace pulse::cli {

namespace {

// A JSON string must be UTF-8: invalid sequences become U+FFFD here (the store keeps the bytes).
void appendText(std::string &out, const std::string &text)
{
    appendJsonString(out, QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())).toStdString());
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
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
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

void appendLogLine(std::string &out, const LogRecord &r)
{
    out += rfc3339Ms(r.timestampMs);
    out += ' ';
    for (unsigned char c : r.target)
        out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
    out += ' ';
    out += logLevelName(r.level);
    out += ' ';
    for (unsigned char c : r.raw) {
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
}

} // namespace pulse::cli
