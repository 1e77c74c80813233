// parseApiTime: Unix seconds or RFC 3339, as Prometheus's HTTP API reads times.
#include "app/pulsectl/api_time.h"

#include <QDateTime>
#include <QString>

#include <charconv>
#include <cmath>

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

} // namespace pulse::cli
