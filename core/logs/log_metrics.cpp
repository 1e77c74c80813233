// Counting log lines into series (see log_metrics.h).
#include "core/logs/log_metrics.h"

#include "core/logs/suspicious_request.h"

#include <array>
#include <charconv>
#include <cmath>

namespace pulse {

void LogMetrics::increment(const char *metric, std::initializer_list<std::pair<const char *, std::string_view>> labels,
                           double by)
{
    m_key.assign(metric);
    for (const auto &[name, value] : labels) {
        m_key += '\0';
        m_key += value;
    }
    auto it = m_series.find(m_key);
    if (it == m_series.end()) {
        Series s;
        s.metric = metric;
        s.labels.set("target", m_target);
        for (const auto &[name, value] : labels)
            s.labels.set(name, std::string(value));
        it = m_series.emplace(m_key, std::move(s)).first;
    }
    it->second.value += by;
}

namespace {

// The method label takes the request line's method only when it is a standard one: the client
// writes that word, and every invented one would otherwise be a series of its own for ever.
std::string_view methodLabel(std::string_view method)
{
    static constexpr std::array<std::string_view, 9> kMethods{"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                              "CONNECT", "OPTIONS", "TRACE", "PATCH"};
    for (std::string_view m : kMethods)
        if (method == m)
            return m;
    return "other";
}

} // namespace

void LogMetrics::add(LogRecord &record)
{
    increment("log_lines_total", {{"level", logLevelName(record.level)}});
    const std::string_view status = record.field("status");
    if (status.size() != 3 || status[0] < '1' || status[0] > '5')
        return;
    const char statusClass[] = {status[0], 'x', 'x', '\0'};
    const std::string_view method = record.field("method");
    increment("http_requests_total", {{"method", methodLabel(method)},
                                      {"status_class", std::string_view(statusClass, 3)}});
    const std::string_view bytes = record.field("bytes");
    double n = 0;
    if (const auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), n);
        ec == std::errc() && end == bytes.data() + bytes.size() && std::isfinite(n) && n >= 0)
        increment("http_response_bytes_total", {}, n);
    else
        increment("http_response_bytes_total", {}, 0); // the series exists for every access log
    const std::string_view kind = suspiciousRequestKind(record.field("path"), record.field("user_agent"));
    if (!kind.empty()) {
        increment("log_suspicious_requests_total", {{"kind", kind}});
        record.fields.emplace_back("suspicious", std::string(kind));
    }
}

MetricBatch LogMetrics::batch(std::int64_t timestampMs) const
{
    MetricBatch b;
    b.target = m_target;
    b.scrapeStartMs = timestampMs;
    b.samples.reserve(m_series.size());
    for (const auto &[key, s] : m_series)
        b.samples.push_back(Sample{s.metric, s.labels, timestampMs, s.value});
    return b;
}

} // namespace pulse
