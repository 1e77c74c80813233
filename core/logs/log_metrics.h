// LogMetrics: one log target's lines counted into series, so its logs can be charted, queried and
// alerted on like any metric:
//   log_lines_total{target,level}                         every line
//   http_requests_total{target,method,status_class}       access-log lines (a 3-digit `status` field;
//                                                         methods other than the nine standard: other)
//   http_response_bytes_total{target}                     their `bytes`
//   log_suspicious_requests_total{target,kind}            access-log lines with an attack signature
//                                                         (suspicious_request.h); the record gets a
//                                                         `suspicious` field naming the kind
// Counters start at 0 with the collector (rate() and increase() see a restart as Prometheus does).
#pragma once

#include "core/base/metric_batch.h"
#include "core/logs/log_record.h"

#include <map>
#include <string>

namespace pulse {

/// Not thread-safe: one per tailed file, used on that file's strand.
class LogMetrics {
public:
    explicit LogMetrics(std::string target) : m_target(std::move(target)) {}

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
    void increment(const char *metric, std::initializer_list<std::pair<const char *, std::string_view>> labels,
                   double by = 1);

    std::string m_target;
    std::map<std::string, Series> m_series; // by metric and label values
    std::string m_key;                      // scratch
};

} // namespace pulse
