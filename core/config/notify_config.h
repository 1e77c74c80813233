// NotifyConfig: where alerts go when they fire and resolve (`notify:` in the config file, and an
// alert's own `webhook:`), with Alertmanager's grouping options and defaults.
#pragma once

#include "core/base/duration.h"
#include "core/config/target_config.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

/// ReceiverConfig is an HTTP endpoint notifications are POSTed to: a webhook receiver, or an
/// Alertmanager (its base URL). Auth and TLS are a target's (headers, bearer_token, basic_auth, tls).
struct ReceiverConfig {
    HttpTargetOptions http;
    /// sendResolved: a webhook also hears when a group's alerts resolve (Alertmanager's send_resolved).
    bool sendResolved = true;
    Duration timeout = std::chrono::seconds(10);
    friend bool operator==(const ReceiverConfig &, const ReceiverConfig &) = default;
};

struct NotifyConfig {
    std::optional<ReceiverConfig> webhook;         ///< every alert's notifications
    std::optional<ReceiverConfig> alertmanager;    ///< alerts POSTed to its /api/v2/alerts
    bool desktop = true;                           ///< the GUI's tray notifications
    std::vector<std::string> groupBy{"alertname"}; ///< `...` alone: every label
    Duration groupWait = std::chrono::seconds(30);
    Duration groupInterval = std::chrono::minutes(5);
    Duration repeatInterval = std::chrono::hours(4);
    /// externalUrl is where receivers are told Pulseboard is (a webhook's externalURL, alerts'
    /// generatorURL); empty: none.
    std::string externalUrl;
    /// RuleWebhook is an alert's own `webhook:`: that rule's notifications go there (grouped on
    /// their own) as well as to the global webhook.
    struct RuleWebhook {
        std::size_t alertIndex = 0; ///< in Config::alerts
        std::string rule;           ///< its name
        ReceiverConfig receiver;
        friend bool operator==(const RuleWebhook &, const RuleWebhook &) = default;
    };
    std::vector<RuleWebhook> ruleWebhooks;
    friend bool operator==(const NotifyConfig &, const NotifyConfig &) = default;
};

} // namespace pulse
