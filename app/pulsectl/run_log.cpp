// logfmt lines for `pulsectl run` (see run_log.h).
#include "app/pulsectl/run_log.h"

#include "app/pulsectl/json_text.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace pulse::cli {

std::string logfmtValue(std::string_view value)
{
    bool quote = value.empty();
    for (const char c : value)
        if (c == ' ' || c == '=' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            quote = true;
    if (!quote)
        return std::string(value);
    std::string out;
    appendJsonString(out, value);
    return out;
}

std::string redactUrlCredentials(std::string_view text)
{
    std::string out;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t scheme = text.find("://", pos);
        if (scheme == std::string_view::npos)
            break;
        const std::size_t authority = scheme + 3;
        // User-info is what precedes the last '@' before the URL ends (whitespace or a quote). A '/',
        // '?' or '#' before that '@' is taken as part of a password written unencoded: redacting a
        // path that held an '@' too is the lesser harm.
        std::size_t end = authority;
        while (end < text.size() && text[end] != ' ' && text[end] != '"' && text[end] != '\'' && text[end] != '\n' &&
               text[end] != '\t' && text[end] != '\r')
            ++end;
        const std::size_t at = text.substr(authority, end - authority).rfind('@');
        out.append(text.substr(pos, authority - pos));
        if (at != std::string_view::npos) {
            out += "<secret>";
            out.append(text.substr(authority + at, end - authority - at));
        } else {
            out.append(text.substr(authority, end - authority));
        }
        pos = end;
    }
    out.append(text.substr(pos));
    return out;
}

namespace {

std::string isoUtc(std::int64_t ms)
{
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[96]; // room for any int the format could print; a real date takes 24
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

std::int64_t systemNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

void RunLog::write(std::string_view level, std::string_view msg, std::initializer_list<Field> fields)
{
    std::string line = "ts=" + isoUtc(m_nowMs ? m_nowMs() : systemNowMs()) + " level=" + std::string(level) +
                       " msg=" + logfmtValue(msg);
    for (const auto &[key, value] : fields) {
        line += ' ';
        line += key;
        line += '=';
        line += logfmtValue(redactUrlCredentials(value));
    }
    line += '\n';
    std::lock_guard lock(m_mutex);
    m_out << line << std::flush;
}

} // namespace pulse::cli
