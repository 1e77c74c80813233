// alertDrillDown: the range and target an alert's drill-down opens (see alert_drill_down.h).
#include "widgets/alert_drill_down.h"

#include <algorithm>

namespace pulse {

std::optional<AlertDrillDown> alertDrillDown(const Alert &alert, std::int64_t nowMs)
{
    if (!alert.labels.has("job"))
        return std::nullopt;
    // From a while before it started (what led up to it) to a little after it ended, or to now —
    // never past now, where rate panels would drop to zero as if traffic had stopped.
    constexpr std::int64_t kBeforeMs = 15 * 60 * 1000;
    constexpr std::int64_t kAfterMs = 5 * 60 * 1000;
    const std::int64_t end =
        alert.resolvedAtMs > 0 ? std::min(nowMs, alert.resolvedAtMs + kAfterMs) : std::max(nowMs, alert.activeAtMs);
    const std::string_view job = alert.labels.value("job");
    return AlertDrillDown{QString::fromUtf8(job.data(), qsizetype(job.size())), alert.activeAtMs - kBeforeMs, end,
                          alert.activeAtMs};
}

} // namespace pulse
