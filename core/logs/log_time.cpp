// Timestamp parsers for log lines. Each reads fixed-width digits by hand: no locale, no allocation,
// no exceptions, and a wrong byte anywhere means "no timestamp here" rather than a guess.
#include "core/logs/log_time.h"

#include <array>
#include <cmath>

namespace pulse {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::int64_t kDayMs = 86'400'000;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// readDigits parses exactly count digits at text[pos]; -1 when any is missing.
int readDigits(std::string_view text, std::size_t pos, std::size_t count)
{
    if (pos + count > text.size())
        return -1;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (!isDigit(c))
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

int monthFromName(std::string_view text, std::size_t pos)
{
    if (pos + 3 > text.size())
        return -1;
    const std::string_view name = text.substr(pos, 3);
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (kMonths[i] == name)
            return int(i) + 1;
    }
    return -1;
}

bool validCivil(int month, int day, int hour, int minute, int second)
{
    // Second 60 is a leap second; it is kept and lands on the next minute's first second.
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 &&
           minute <= 59 && second >= 0 && second <= 60;
}

// readZone parses "Z", "+HH:MM", "+HHMM" or "+HH" at text[pos]; offset in minutes east of UTC.
std::optional<std::pair<int, std::size_t>> readZone(std::string_view text, std::size_t pos)
{
    if (pos >= text.size())
        return std::nullopt;
    if (text[pos] == 'Z' || text[pos] == 'z')
        return std::pair{0, std::size_t(1)};
    if (text[pos] != '+' && text[pos] != '-')
        return std::nullopt;
    const int sign = text[pos] == '-' ? -1 : 1;
    const int hours = readDigits(text, pos + 1, 2);
    if (hours < 0 || hours > 23)
        return std::nullopt;
    std::size_t length = 3;
    int minutes = 0;
    if (pos + 3 < text.size() && text[pos + 3] == ':') {
        minutes = readDigits(text, pos + 4, 2);
        length = 6;
    } else if (const int packed = readDigits(text, pos + 3, 2); packed >= 0) {
        minutes = packed;
        length = 5;
    }
    if (minutes < 0 || minutes > 59)
        return std::nullopt;
    return std::pair{sign * (hours * 60 + minutes), length};
}

} // namespace

std::int64_t utcMs(int year, int month, int day, int hour, int minute, int second, int millisecond)
{
    // Howard Hinnant's days_from_civil.
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int mp = (month + 9) % 12;
    const int doy = (153 * mp + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = std::int64_t(era) * 146097 + doe - 719468;
    return days * kDayMs + ((std::int64_t(hour) * 60 + minute) * 60 + second) * 1000 + millisecond;
}

namespace {

struct Civil {
    int year, month, day, hour, minute, second;
};

// readYmdHms reads "YYYY<d>MM<d>DD<t>hh:mm:ss" (19 bytes) with date separator `dateSep` and any of
// `timeSeps` between date and time.
std::optional<Civil> readYmdHms(std::string_view text, char dateSep, std::string_view timeSeps)
{
    const Civil c{readDigits(text, 0, 4),  readDigits(text, 5, 2),  readDigits(text, 8, 2),
                  readDigits(text, 11, 2), readDigits(text, 14, 2), readDigits(text, 17, 2)};
    if (c.year < 0 || c.month < 0 || c.day < 0 || c.hour < 0 || c.minute < 0 || c.second < 0)
        return std::nullopt;
    if (text[4] != dateSep || text[7] != dateSep || timeSeps.find(text[10]) == std::string_view::npos ||
        text[13] != ':' || text[16] != ':' || !validCivil(c.month, c.day, c.hour, c.minute, c.second))
        return std::nullopt;
    return c;
}

} // namespace

std::optional<LogTimeMatch> parseIsoTime(std::string_view text)
{
    const auto c = readYmdHms(text, '-', "Tt ");
    if (!c)
        return std::nullopt;
    const auto [year, month, day, hour, minute, second] = *c;
    std::size_t pos = 19;
    int millisecond = 0;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',') && pos + 1 < text.size() &&
        isDigit(text[pos + 1])) {
        ++pos;
        int scale = 100;
        while (pos < text.size() && isDigit(text[pos])) {
            millisecond += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
    }
    std::int64_t ms = utcMs(year, month, day, hour, minute, second, millisecond);
    if (const auto zone = readZone(text, pos)) {
        ms -= std::int64_t(zone->first) * 60'000;
        pos += zone->second;
    }
    return LogTimeMatch{ms, pos};
}

std::optional<LogTimeMatch> parseNginxTime(std::string_view text)
{
    const int day = readDigits(text, 0, 2);
    const int month = monthFromName(text, 3);
    const int year = readDigits(text, 7, 4);
    const int hour = readDigits(text, 12, 2);
    const int minute = readDigits(text, 15, 2);
    const int second = readDigits(text, 18, 2);
    if (day < 0 || month < 0 || year < 0 || hour < 0 || minute < 0 || second < 0)
        return std::nullopt;
    if (text[2] != '/' || text[6] != '/' || text[11] != ':' || text[14] != ':' || text[17] != ':' ||
        !validCivil(month, day, hour, minute, second))
        return std::nullopt;
    std::int64_t ms = utcMs(year, month, day, hour, minute, second, 0);
    std::size_t length = 20;
    if (text.size() > 20 && text[20] == ' ') {
        if (const auto zone = readZone(text, 21)) {
            ms -= std::int64_t(zone->first) * 60'000;
            length = 21 + zone->second;
        }
    }
    return LogTimeMatch{ms, length};
}

std::optional<LogTimeMatch> parseSlashTime(std::string_view text)
{
    const auto c = readYmdHms(text, '/', " ");
    if (!c)
        return std::nullopt;
    return LogTimeMatch{utcMs(c->year, c->month, c->day, c->hour, c->minute, c->second, 0), 19};
}

std::optional<LogTimeMatch> parseBsdSyslogTime(std::string_view text, std::int64_t referenceMs)
{
    const int month = monthFromName(text, 0);
    if (month < 0 || text.size() < 15 || text[3] != ' ')
        return std::nullopt;
    // The day is space-padded: "Nov  9".
    const int day = text[4] == ' ' ? readDigits(text, 5, 1) : readDigits(text, 4, 2);
    const int hour = readDigits(text, 7, 2);
    const int minute = readDigits(text, 10, 2);
    const int second = readDigits(text, 13, 2);
    if (day < 0 || hour < 0 || minute < 0 || second < 0 || text[6] != ' ' || text[9] != ':' || text[12] != ':' ||
        !validCivil(month, day, hour, minute, second))
        return std::nullopt;
    // Civil year of the reference instant: step through the candidate years around it.
    const int referenceYear = int(1970 + referenceMs / (kDayMs * 36524 / 100));
    std::int64_t best = 0;
    bool found = false;
    for (int year = referenceYear + 1; year >= referenceYear - 2; --year) {
        const std::int64_t candidate = utcMs(year, month, day, hour, minute, second, 0);
        if (candidate <= referenceMs + kDayMs) {
            best = candidate;
            found = true;
            break;
        }
    }
    if (!found)
        return std::nullopt;
    return LogTimeMatch{best, 15};
}

std::optional<std::int64_t> epochNumberToMs(double value)
{
    if (!std::isfinite(value) || value < 0)
        return std::nullopt;
    if (value < 1e11)
        return std::int64_t(std::llround(value * 1000.0));
    if (value < 1e14)
        return std::int64_t(std::llround(value));
    if (value < 1e17)
        return std::int64_t(std::llround(value / 1000.0));
    if (value < 1e20)
        return std::int64_t(std::llround(value / 1e6));
    return std::nullopt;
}

std::optional<std::int64_t> parseLogTimeText(std::string_view text, std::int64_t referenceMs)
{
    const auto blankOrBracket = [](char c) { return c == ' ' || c == '\t' || c == '[' || c == ']'; };
    while (!text.empty() && blankOrBracket(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blankOrBracket(text.back()))
        text.remove_suffix(1);
    if (text.empty())
        return std::nullopt;
    for (auto parse : {parseIsoTime, parseSlashTime, parseNginxTime}) {
        if (const auto match = parse(text); match && match->length == text.size())
            return match->ms;
    }
    if (const auto match = parseBsdSyslogTime(text, referenceMs); match && match->length == text.size())
        return match->ms;
    // Epoch seconds or milliseconds: digits, at most one '.', nothing else (no sign, no exponent).
    std::size_t dots = 0;
    for (const char c : text) {
        if (c == '.')
            ++dots;
        else if (!isDigit(c))
            return std::nullopt;
    }
    if (dots > 1 || text.front() == '.' || text.back() == '.' || text.size() > 24)
        return std::nullopt;
    double value = 0;
    double scale = 0;
    for (const char c : text) {
        if (c == '.') {
            scale = 1;
            continue;
        }
        if (scale == 0) {
            value = value * 10 + (c - '0');
        } else {
            scale /= 10;
            value += (c - '0') * scale;
        }
    }
    return epochNumberToMs(value);
}

} // namespace pulse
