// Notification values: what Pulseboard sends to a webhook receiver, shaped as Alertmanager's
// dispatcher shapes it (a route's options, the alerts of one group, their fingerprints), so a
// receiver written for Alertmanager works unchanged.
#pragma once

#include "core/base/key_value_list.h"
#include "core/base/labels.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse {

/// NotifyRoute is one receiver and how alerts reach it, with Alertmanager's defaults and meaning:
/// alerts with the same values of groupBy are one group (`...` alone: every label); a new group
/// waits groupWaitMs for more alerts, then is flushed every groupIntervalMs, and a notification
/// that changed nothing is repeated after repeatIntervalMs.
struct NotifyRoute {
    std::string receiver = "webhook";
    /// key is Alertmanager's route key: "{}" for the root route, "{}/{alertname=\"X\"}" for a
    /// rule's own webhook. It begins every group key.
    std::string key = "{}";
    std::vector<std::string> groupBy{"alertname"};
    std::int64_t groupWaitMs = 30'000;
    std::int64_t groupIntervalMs = 300'000;
    std::int64_t repeatIntervalMs = 4LL * 3600 * 1000;
    bool sendResolved = true;
};

/// NotifyAlert is one alert instance as a receiver sees it. Times are Unix milliseconds.
struct NotifyAlert {
    Labels labels;               ///< alertname included
    KeyValueList annotations;    ///< expanded
    std::int64_t startsAtMs = 0; ///< when it started firing
    std::int64_t endsAtMs = 0;   ///< when it resolved; 0 while it fires
    std::string generatorUrl;
    /// silenced: a silence covers it; it stays in its group but no notification names it (as
    /// Alertmanager mutes alerts before deduplication), and it is not resolved by being silenced.
    bool silenced = false;
    bool resolved() const { return endsAtMs != 0; }
};

/// Notification is one message to one receiver: the alerts of one group at one flush.
struct Notification {
    std::string receiver;
    std::string groupKey; ///< routeKey:groupLabels, as Alertmanager writes it
    Labels groupLabels;
    std::vector<NotifyAlert> alerts; ///< sorted by labels
    std::int64_t atMs = 0;
    /// firing is the notification's status: some alert still fires.
    bool firing() const;
};

/// alertFingerprint is Prometheus's label-set fingerprint (FNV-1a over the sorted names and values,
/// each followed by the byte 0xff), as Alertmanager prints it in webhooks.
std::uint64_t alertFingerprint(const Labels &labels);
/// goLabelSetString renders labels as Go's model.LabelSet.String(): `{a="x", b="y"}`, values quoted
/// as Go's %q does. Group keys are made of it.
std::string goLabelSetString(const Labels &labels);

} // namespace pulse
