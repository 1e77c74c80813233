// builtinAlertRules: the built-in rules' expressions, durations and texts.
#include "core/config/builtin_rules.h"

#include "core/alerting/alert_rule.h"

#include <chrono>

namespace pulse {
namespace {

using namespace std::chrono_literals;

AlertRuleConfig rule(std::string name, std::string expr, Duration forDuration, std::string severity,
                     std::string summary)
{
    AlertRuleConfig r;
    r.name = std::move(name);
    r.expr = std::move(expr);
    r.forDuration = forDuration;
    r.severity = severity;
    r.labels = Labels{{"severity", severity}, {"builtin", "true"}};
    r.annotations = {{"summary", std::move(summary)}};
    if (auto compiled = AlertRule::precompile(r))
        r.compiled = std::move(*compiled);
    return r;
}

std::vector<AlertRuleConfig> make()
{
    return {
        rule("TargetDown", "up == 0", 1min, "critical",
             "{{ $labels.job }} ({{ $labels.instance }}) has not answered for a minute"),
        rule("ScrapeEmpty", "up == 1 and scrape_samples_scraped == 0", 5min, "warning",
             "{{ $labels.job }} ({{ $labels.instance }}) answers with no samples"),
        rule("ProbeFailing", "probe_success == 0", 1min, "critical",
             "the check {{ $labels.job }} ({{ $labels.instance }}) has failed for a minute"),
        rule("CertificateExpiringSoon", "probe_ssl_earliest_cert_expiry - time() < 14 * 86400", 10min, "warning",
             "the TLS certificate of {{ $labels.instance }} expires in {{ $value | humanizeDuration }}"),
        rule("DiskFillingWithin24h",
             "predict_linear(node_filesystem_avail_bytes{fstype!~\"tmpfs|ramfs|squashfs|overlay\"}[6h], 86400) < 0",
             30min, "warning", "{{ $labels.mountpoint }} on {{ $labels.instance }} fills up within a day at this rate"),
        rule("HistoryDroppingSamples", "rate(pulse_writer_dropped_samples_total[5m]) > 0", 1min, "warning",
             "the history writer is dropping samples (its queue is full): charts and alerts miss data"),
        rule("NotificationsFailing",
             "rate(pulse_notifications_failed_total[5m]) > 0 and pulse_notifications_queued > 0", 10min, "warning",
             "notifications to {{ $labels.receiver }} keep failing; {{ $value }} attempts a second"),
    };
}

} // namespace

const std::vector<AlertRuleConfig> &builtinAlertRules()
{
    static const std::vector<AlertRuleConfig> rules = make();
    return rules;
}

} // namespace pulse
