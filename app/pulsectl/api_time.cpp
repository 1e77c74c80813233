// parseApiTime: Unix seconds or RFC 3339, as Prometheus's HTTP API reads times.
#include "app/pulsectl/api_time.h"

#include "core/base/duration.h"

#include <QDateTime>
#include <QString>

#include <charconv>
#include <cmath>
#include <utility>

namespace pulse::cli {

std::optional<std::int64_t> parseApiTime(const std::string &text)
{
    double seconds = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(seconds)) {
        const double whole = std::trunc(seconds);
        return static_cast<std::int64_t>(whole) * 1000 +
               static_cast<std::int64_t>(std::round((seconds - whole) * 1000));
    }
    const QDateTime parsed = QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toMSecsSinceEpoch();
}

std::optional<std::string> applyTimeRange(const TimeRangeText &text, std::int64_t nowMs, std::int64_t &fromMs,
                                          std::int64_t &toMs)
{
    if (text.since && (text.start || text.end))
        return "use --since or --start/--end, not both";
    if (text.since) {
        auto d = parseDuration(*text.since);
        if (!d)
            return "--since: " + d.error().message;
        fromMs = nowMs - d->count();
    }
    for (auto [given, target] : {std::pair{&text.start, &fromMs}, std::pair{&text.end, &toMs}}) {
        if (!*given)
            continue;
        auto t = parseApiTime(**given);
        if (!t)
            return "bad time '" + **given + "' (Unix seconds or RFC 3339)";
        *target = *t;
    }
    return std::nullopt;
}

} // namespace pulse::cli
