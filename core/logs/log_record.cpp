// Level names and spellings for LogRecord.
#include "core/logs/log_record.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace pulse {
namespace {

struct LevelSpelling {
    std::string_view text;
    LogLevel level;
};

// Spellings seen in the wild: log4j/logback, Python logging, Go's zap/slog, syslog severities.
constexpr std::array<LevelSpelling, 22> kSpellings{{
    {"trace", LogLevel::Trace},      {"finest", LogLevel::Trace},   {"debug", LogLevel::Debug},
    {"dbg", LogLevel::Debug},        {"fine", LogLevel::Debug},     {"info", LogLevel::Info},
    {"information", LogLevel::Info}, {"notice", LogLevel::Info},    {"inf", LogLevel::Info},
    {"warn", LogLevel::Warn},        {"warning", LogLevel::Warn},   {"wrn", LogLevel::Warn},
    {"error", LogLevel::Error},      {"err", LogLevel::Error},      {"severe", LogLevel::Error},
    {"fatal", LogLevel::Fatal},      {"critical", LogLevel::Fatal}, {"crit", LogLevel::Fatal},
    {"alert", LogLevel::Fatal},      {"emerg", LogLevel::Fatal},    {"panic", LogLevel::Fatal},
    {"emergency", LogLevel::Fatal},
}};

bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

std::string_view logLevelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Unknown:
        return "unknown";
    case LogLevel::Trace:
        return "trace";
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warn:
        return "warn";
    case LogLevel::Error:
        return "error";
    case LogLevel::Fatal:
        return "fatal";
    }
    return "unknown";
}

LogLevel parseLogLevel(std::string_view text)
{
    for (const LevelSpelling &spelling : kSpellings) {
        if (equalsIgnoringAsciiCase(text, spelling.text))
            return spelling.level;
    }
    // Bunyan and pino write numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
    int number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
        switch (number) {
        case 10:
            return LogLevel::Trace;
        case 20:
            return LogLevel::Debug;
        case 30:
            return LogLevel::Info;
        case 40:
            return LogLevel::Warn;
        case 50:
            return LogLevel::Error;
        case 60:
            return LogLevel::Fatal;
        default:
            break;
        }
    }
    return LogLevel::Unknown;
}

std::string_view LogRecord::field(std::string_view key) const
{
    for (const LogField &f : fields) {
        if (f.first == key)
            return f.second;
    }
    return {};
}

} // namespace pulse
