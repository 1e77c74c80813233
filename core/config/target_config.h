// TargetConfig: one monitored target as the config file describes it, already validated by the loader.
#pragma once

#include "core/base/duration.h"
#include "core/base/key_value_list.h"
#include "core/base/labels.h"
#include "core/config/secret.h"
#include "core/logs/log_format.h"

#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pulse {

/// TargetKind says which probe collects a target.
enum class TargetKind {
    Prometheus, ///< scrape a /metrics endpoint (text format or OpenMetrics)
    Http,       ///< health check: status, body, latency expectations
    Json,       ///< fetch a JSON document and extract numbers by JSON pointer
    GraphQL,    ///< run a GraphQL query and extract numbers by JSON pointer
    Tcp,        ///< connect (optionally send, expect a banner)
    Host,       ///< this machine's CPU, memory, disk and network
    Log,        ///< tail a log file
    PromQL,     ///< a Prometheus-compatible server the dashboards query directly
};

/// targetKindNames lists the spellings the config accepts, in TargetKind order.
std::span<const std::string_view> targetKindNames();
std::string_view targetKindName(TargetKind kind);
std::optional<TargetKind> targetKindFromName(std::string_view name);

/// usesHttp is true for the kinds that talk HTTP and so take url, headers, auth and tls.
bool usesHttp(TargetKind kind);

struct BasicAuth {
    std::string username;
    Secret password;
    friend bool operator==(const BasicAuth &, const BasicAuth &) = default;
};

struct TlsConfig {
    bool insecureSkipVerify = false;
    std::string caFile;     ///< empty = the system trust store
    std::string serverName; ///< empty = the URL's host
    bool allowRedirectToHttp = false; ///< follow a redirect from https to http (refused by default)
    friend bool operator==(const TlsConfig &, const TlsConfig &) = default;
};

/// HttpExpectations are what an http/json/graphql check requires of a response; any miss fails it.
struct HttpExpectations {
    std::vector<int> statusCodes; ///< empty = any 2xx
    std::optional<std::string> bodyContains;
    std::optional<std::string> bodyRegex; ///< validated as a QRegularExpression
    KeyValueList jsonPointerEquals;       ///< JSON pointer → expected value, compared as text
    std::optional<Duration> maxLatency;
    friend bool operator==(const HttpExpectations &, const HttpExpectations &) = default;
};

/// MetricExtraction turns the number at a JSON pointer into a metric.
struct MetricExtraction {
    std::string metricName;
    std::string jsonPointer;
    friend bool operator==(const MetricExtraction &, const MetricExtraction &) = default;
};

/// TargetConfig is one entry of `targets:`. Fields a kind does not use keep their defaults; the
/// loader rejects keys that do not apply to the target's kind.
/// sameHeaderName compares HTTP header names as HTTP does: ignoring ASCII case.
bool sameHeaderName(std::string_view a, std::string_view b);

struct TargetConfig {
    /// isSecretHeader: a configured header whose value is a credential — named in secret_headers
    /// (any case), or named like one (looksLikeCredentialName: Authorization, *token*, *-key, …).
    bool isSecretHeader(std::string_view name) const;

    std::string name;
    TargetKind kind = TargetKind::Prometheus;
    Duration interval = std::chrono::seconds(15);
    /// timeout defaults to min(10s, interval) and never exceeds interval, as in Prometheus.
    Duration timeout = std::chrono::seconds(10);
    Labels labels; ///< extra static labels added to every sample

    // HTTP kinds (usesHttp): prometheus, http, json, graphql, promql.
    std::string url; ///< http or https, with a host and no user info
    KeyValueList headers;
    /// secretHeaders (`secret_headers:`) names configured headers whose values are credentials
    /// although their names do not say so (`X-Scope: tenant-key`): masked in dumps and diagnostics
    /// and kept from other origins on a redirect, like `Authorization`. See isSecretHeader().
    std::vector<std::string> secretHeaders;
    Secret bearerToken;
    std::optional<BasicAuth> basicAuth; ///< never set together with bearerToken
    TlsConfig tls;

    // prometheus
    // Limits (0 = no limit). Prometheus has none by default; a desktop app shares its memory with
    // everything else on the machine, so these defaults stop one broken exporter without touching a
    // healthy one (node_exporter: ~500-2,000 samples, under 10 labels, values under 200 bytes).
    std::uint64_t sampleLimit = kDefaultSampleLimit;
    std::uint64_t labelLimit = kDefaultLabelLimit;
    std::uint64_t labelNameLengthLimit = kDefaultLabelNameLengthLimit;
    std::uint64_t labelValueLengthLimit = kDefaultLabelValueLengthLimit;
    /// seriesLimit: the most series the target may bring in for the first time within an hour;
    /// a scrape that would go over fails with "series limit exceeded" (a target whose labels churn
    /// — a request id or timestamp in a label — would otherwise grow the catalogue without bound).
    std::uint64_t seriesLimit = kDefaultSeriesLimit;
    static constexpr std::uint64_t kDefaultSampleLimit = 200'000;
    static constexpr std::uint64_t kDefaultLabelLimit = 64;
    static constexpr std::uint64_t kDefaultLabelNameLengthLimit = 1'024;
    static constexpr std::uint64_t kDefaultLabelValueLengthLimit = 32'768;
    static constexpr std::uint64_t kDefaultSeriesLimit = 200'000;
    bool honorLabels = false;
    /// maxFuture: scraped samples stamped more than this after the scrape's start are dropped and
    /// counted (a clock far ahead, or a year-9999 typo, would otherwise stand for "now" in charts).
    Duration maxFuture = std::chrono::minutes(10);

    // http, json, graphql
    std::optional<HttpExpectations> expect;
    std::string method; ///< GET for http/json, POST for graphql unless given
    std::string body;   ///< request body (http, json)

    // graphql
    std::string query;
    QJsonObject variables;

    // json, graphql: metric name → JSON pointer, in file order
    std::vector<MetricExtraction> extract;

    // tcp
    std::string address; ///< host:port, IPv6 hosts in brackets
    std::string send;
    std::string expectBanner;

    // log
    std::string path;
    LogFormat format = LogFormat::Plain;

    /// Every field, credentials included: "did this target change on reload" is `==`, so nothing a
    /// probe reads (a rotated token, a new header) can be missed by a hand-kept list.
    friend bool operator==(const TargetConfig &, const TargetConfig &) = default;
};

} // namespace pulse
