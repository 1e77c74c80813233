// webhookPayload: a Notification as the JSON body Alertmanager's webhook receiver POSTs (version
// "4"), so receivers written for Alertmanager (chat bridges, pagers, scripts) accept it unchanged.
#pragma once

#include "core/alerting/notification.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pulse {

/// webhookPayload renders n: receiver, status ("firing" while some alert fires, else "resolved"),
/// alerts (status, labels, annotations, startsAt, endsAt — Go's zero time while firing —,
/// generatorURL, fingerprint as 16 hex digits), groupLabels, commonLabels and commonAnnotations
/// (those every alert shares), externalURL, version, groupKey, truncatedAlerts. Times are RFC 3339
/// UTC as Go prints them (fraction without trailing zeros). Text is escaped, never interpreted.
std::string webhookPayload(const Notification &n, std::string_view externalUrl);

/// goTimeJson writes Unix milliseconds as Go's time.Time marshals to JSON in UTC:
/// "2026-12-07T03:12:00.5Z"; 0 is Go's zero time, "0001-01-01T00:00:00Z".
std::string goTimeJson(std::int64_t ms);

} // namespace pulse
