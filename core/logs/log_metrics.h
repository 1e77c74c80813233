// LogMetrics: one log target's lines counted into series, so its logs can be charted, queried and
// alerted on like any metric:
//   log_lines_total{target,level}                         every line
//   http_requests_total{target,method,status_class}       access-log lines (a 3-digit `status` field;
//                                                         methods other than the nine standard: other)
//   http_response_bytes_total{target}                     their `bytes`
//   log_suspicious_requests_total{target,kind}            access-log lines with an attack signature
//                                                         (suspicious_request.h); the record gets a
//                                                         `suspicious` field naming the kind
//   http_request_duration_seconds{target} (histogram)     access-log lines with a `request_time`
//                                                         (seconds, nginx's name) or `duration_ms`
//   the target's own rules (`metrics:`, log_metric_rule.h) counters, gauges and histograms of
//                                                         what their pattern matched; at most
//                                                         kMaxSeriesPerRule label sets a rule, the
//                                                         lines beyond in
//                                                         log_metric_series_dropped_total{target,metric}
// Counters start at 0 with the collector (rate() and increase() see a restart as Prometheus does).
#pragma once

#include "core/base/metric_batch.h"
#include "core/logs/log_metric_rule.h"
#include "core/logs/log_record.h"

#include <map>
#include <span>
#include <string>

namespace pulse {

/// Not thread-safe: one per tailed file, used on that file's strand.
class LogMetrics {
public:
    /// kMaxSeriesPerRule bounds the label sets one rule may make (its labels may quote the line).
    static constexpr std::size_t kMaxSeriesPerRule = 1000;

    explicit LogMetrics(std::string target, std::vector<CompiledLogMetricRule> rules = {})
        : m_target(std::move(target)), m_rules(std::move(rules))
    {
    }

    /// add counts one record (and marks it when it is a suspicious request).
    void add(LogRecord &record);
    /// batch is every series' value now, stamped timestampMs; a series once seen is always in it.
    MetricBatch batch(std::int64_t timestampMs) const;
    bool empty() const { return m_series.empty(); }

private:
    struct Series {
        std::string metric;
        Labels labels;
        double value = 0;
    };
    using LabelList = std::vector<std::pair<std::string, std::string>>;

    void increment(const char *metric, std::initializer_list<std::pair<const char *, std::string_view>> labels,
                   double by = 1);
    // series finds or makes a series; null when its rule is at kMaxSeriesPerRule (rule non-empty).
    Series *series(const std::string &metric, const LabelList &labels, const std::string &rule = {});
    void observe(const std::string &metric, const LabelList &labels, std::span<const double> buckets, double value,
                 const std::string &rule = {});
    void applyRules(const LogRecord &record);

    std::string m_target;
    std::vector<CompiledLogMetricRule> m_rules;
    std::map<std::string, std::size_t> m_seriesPerRule;
    std::map<std::string, Series> m_series; // by metric and label values
    std::string m_key;                      // scratch
};

} // namespace pulse
