// Counting log lines into series (see log_metrics.h).
#include "core/logs/log_metrics.h"

#include "core/logs/suspicious_request.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

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

LogMetrics::Series *LogMetrics::series(const std::string &metric, const LabelList &labels, const std::string &rule)
{
    m_key = metric;
    for (const auto &[name, value] : labels) {
        m_key += '\0';
        m_key += name;
        m_key += '=';
        m_key += value;
    }
    auto it = m_series.find(m_key);
    if (it != m_series.end())
        return &it->second;
    if (!rule.empty()) {
        std::size_t &made = m_seriesPerRule[rule];
        if (made >= kMaxSeriesPerRule) {
            increment("log_metric_series_dropped_total", {{"metric", rule}});
            return nullptr;
        }
        ++made;
    }
    Series s;
    s.metric = metric;
    s.labels.set("target", m_target);
    for (const auto &[name, value] : labels)
        s.labels.set(name, value);
    return &m_series.emplace(m_key, std::move(s)).first->second;
}

void LogMetrics::observe(const std::string &metric, const LabelList &labels, std::span<const double> buckets,
                         double value, const std::string &rule)
{
    // A new label set takes one place in the rule's budget (not one a bucket), before any of its
    // series exists: its buckets, sum and count always appear together.
    if (!rule.empty() && !series(metric + "_count", labels, rule))
        return;
    // Every bucket is touched at every observation, so a label set's buckets appear together.
    LabelList withLe = labels;
    withLe.emplace_back("le", std::string());
    std::vector<Series *> made;
    char text[32];
    for (std::size_t i = 0; i <= buckets.size(); ++i) {
        if (i < buckets.size()) {
            const auto [end, ec] = std::to_chars(text, text + sizeof text, buckets[i]);
            withLe.back().second.assign(text, ec == std::errc() ? end : text);
        } else {
            withLe.back().second = "+Inf";
        }
        Series *bucket = series(metric + "_bucket", withLe);
        if (i == buckets.size() || value <= buckets[i])
            bucket->value += 1;
    }
    series(metric + "_sum", labels)->value += value;
    series(metric + "_count", labels)->value += 1;
}

void LogMetrics::applyRules(const LogRecord &record)
{
    const QString line = QString::fromUtf8(record.raw.data(), qsizetype(record.raw.size()));
    for (const CompiledLogMetricRule &rule : m_rules) {
        const QRegularExpressionMatch match = rule.regex.match(line);
        if (!match.hasMatch())
            continue;
        double value = 1;
        if (rule.valueGroup >= 0) {
            const std::string text = match.captured(rule.valueGroup).toStdString();
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
                continue; // not a number: nothing to count, set or observe
        }
        LabelList labels;
        for (const CompiledLogMetricRule::Label &label : rule.labels) {
            std::string text;
            for (const auto &part : label.parts)
                text += part.group >= 0 ? match.captured(part.group).toStdString() : part.text;
            labels.emplace_back(label.name, std::move(text));
        }
        const std::string &name = rule.rule.name;
        switch (rule.rule.type) {
        case LogMetricType::Counter:
            if (value < 0)
                break; // a counter never goes down
            if (Series *s = series(name, labels, name))
                s->value += value;
            break;
        case LogMetricType::Gauge:
            if (Series *s = series(name, labels, name))
                s->value = value;
            break;
        case LogMetricType::Histogram:
            observe(name, labels, rule.buckets, value, name);
            break;
        }
    }
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

std::optional<double> numberField(const LogRecord &record, std::string_view key)
{
    const std::string_view text = record.field(key);
    double n = 0;
    if (const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        !text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(n) && n >= 0)
        return n;
    return std::nullopt;
}

} // namespace

void LogMetrics::add(LogRecord &record)
{
    increment("log_lines_total", {{"level", logLevelName(record.level)}});
    if (!m_rules.empty())
        applyRules(record);
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
    if (const auto seconds = numberField(record, "request_time"))
        observe("http_request_duration_seconds", {}, defaultHistogramBuckets(), *seconds);
    else if (const auto ms = numberField(record, "duration_ms"))
        observe("http_request_duration_seconds", {}, defaultHistogramBuckets(), *ms / 1000.0);
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
