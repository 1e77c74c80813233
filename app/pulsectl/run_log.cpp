// logfmt lines for `pulsectl run` (see run_log.h).
#include "app/pulsectl/run_log.h"

#include "app/pulsectl/log_printer.h"
#include "core/base/text_encoding.h"

#include <chrono>

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
    auto endsUrl = [](char c) { return c == ' ' || c == '"' || c == '\'' || c == '\n' || c == '\t' || c == '\r'; };
    std::string out;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t scheme = text.find("://", pos);
        if (scheme == std::string_view::npos)
            break;
        const std::size_t authority = scheme + 3;
        std::size_t urlEnd = authority;
        while (urlEnd < text.size() && !endsUrl(text[urlEnd]))
            ++urlEnd;
        // The authority ends at the first '/', '?' or '#'; user-info is what precedes its last '@'.
        std::size_t authorityEnd = authority;
        while (authorityEnd < urlEnd && text[authorityEnd] != '/' && text[authorityEnd] != '?' &&
               text[authorityEnd] != '#')
            ++authorityEnd;
        std::size_t at = text.substr(authority, authorityEnd - authority).rfind('@');
        if (at == std::string_view::npos) {
            // No '@' there. But "user:pa/ss@host" (a password with '/', '?' or '#', written unencoded)
            // leaves "user:pa" as a host with a port that is no number: then the user-info runs to the
            // URL's last '@'. A real host:port (and an '@' in a path or query) is left alone.
            const std::string_view hostPort = text.substr(authority, authorityEnd - authority);
            const std::size_t colon = hostPort.rfind(':');
            const bool oddPort = colon != std::string_view::npos && hostPort.find(']') == std::string_view::npos &&
                                 hostPort.substr(colon + 1).find_first_not_of("0123456789") != std::string_view::npos;
            if (oddPort)
                at = text.substr(authority, urlEnd - authority).rfind('@');
        }
        if (at != std::string_view::npos) {
            out.append(text.substr(pos, authority - pos));
            out += "<secret>";
            pos = authority + at;
        } else {
            out.append(text.substr(pos, authority - pos));
            pos = authority;
        }
        // Continue after this URL's authority (or user-info): a later URL in the text is looked at too.
        const std::size_t next = text.find("://", pos);
        const std::size_t stop = next == std::string_view::npos ? text.size() : std::min(next, urlEnd);
        out.append(text.substr(pos, stop - pos));
        pos = stop;
    }
    out.append(text.substr(pos));
    return out;
}

namespace {

std::int64_t systemNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

void RunLog::write(std::string_view level, std::string_view msg, std::initializer_list<Field> fields)
{
    std::string line = "ts=" + rfc3339Ms(m_nowMs ? m_nowMs() : systemNowMs()) + " level=" + std::string(level) +
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
