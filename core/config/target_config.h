// TargetConfig: one monitored target as the config file describes it, already validated by the loader.
#pragma once

#include "core/base/duration.h"
#include "core/base/key_value_list.h"
#include "core/base/labels.h"
#include "core/config/secret.h"
#include "core/logs/log_format.h"
#include "core/logs/log_metric_rule.h"

#include <QJsonObject>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
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

/// sameHeaderName compares HTTP header names as HTTP does: ignoring ASCII case.
bool sameHeaderName(std::string_view a, std::string_view b);

/// TargetKey is one key a `targets:` entry may have. Each kind's options struct below lists its own
/// keys in `kKeys`: that one table is what the loader accepts and requires, what the dump writes
/// and what docs/config.md lists (tst_target_keys holds the dump and the document to it).
struct TargetKey {
    std::string_view name;
    bool required = false;
};

/// HttpTargetOptions are the keys every kind that talks HTTP shares (usesHttp).
struct HttpTargetOptions {
    static constexpr std::array<TargetKey, 7> kKeys{{{"url", true},
                                                     {"headers"},
                                                     {"secret_headers"},
                                                     {"bearer_token"},
                                                     {"bearer_token_file"},
                                                     {"basic_auth"},
                                                     {"tls"}}};

    /// isSecretHeader: a configured header whose value is a credential — named in secret_headers
    /// (any case), or named like one (looksLikeCredentialName: Authorization, *token*, *-key, …).
    bool isSecretHeader(std::string_view name) const;

    std::string url; ///< http or https, with a host and no user info
    KeyValueList headers;
    /// secretHeaders (`secret_headers:`) names configured headers whose values are credentials
    /// although their names do not say so (`X-Scope: tenant-key`): masked in dumps and diagnostics
    /// and kept from other origins on a redirect, like `Authorization`. See isSecretHeader().
    std::vector<std::string> secretHeaders;
    Secret bearerToken;
    std::optional<BasicAuth> basicAuth; ///< never set together with bearerToken
    TlsConfig tls;
    friend bool operator==(const HttpTargetOptions &, const HttpTargetOptions &) = default;
};

/// PrometheusOptions: scrape a /metrics endpoint.
struct PrometheusOptions {
    static constexpr TargetKind kKind = TargetKind::Prometheus;
    static constexpr std::array<TargetKey, 7> kKeys{{{"sample_limit"},
                                                     {"label_limit"},
                                                     {"label_name_length_limit"},
                                                     {"label_value_length_limit"},
                                                     {"series_limit"},
                                                     {"honor_labels"},
                                                     {"max_future"}}};
    HttpTargetOptions http;
    // Limits (0 = no limit). Prometheus has none by default; a desktop app shares its memory with
    // everything else on the machine, so these defaults stop one broken exporter without touching a
    // healthy one (node_exporter: ~500-2,000 samples, under 10 labels, values under 200 bytes).
    static constexpr std::uint64_t kDefaultSampleLimit = 200'000;
    static constexpr std::uint64_t kDefaultLabelLimit = 64;
    static constexpr std::uint64_t kDefaultLabelNameLengthLimit = 1'024;
    static constexpr std::uint64_t kDefaultLabelValueLengthLimit = 32'768;
    static constexpr std::uint64_t kDefaultSeriesLimit = 200'000;
    std::uint64_t sampleLimit = kDefaultSampleLimit;
    std::uint64_t labelLimit = kDefaultLabelLimit;
    std::uint64_t labelNameLengthLimit = kDefaultLabelNameLengthLimit;
    std::uint64_t labelValueLengthLimit = kDefaultLabelValueLengthLimit;
    /// seriesLimit: the most series the target may bring in for the first time within an hour;
    /// a scrape that would go over fails with "series limit exceeded" (a target whose labels churn
    /// — a request id or timestamp in a label — would otherwise grow the catalogue without bound).
    std::uint64_t seriesLimit = kDefaultSeriesLimit;
    bool honorLabels = false;
    /// maxFuture: scraped samples stamped more than this after the scrape's start are dropped and
    /// counted (a clock far ahead, or a year-9999 typo, would otherwise stand for "now" in charts).
    Duration maxFuture = std::chrono::minutes(10);
    friend bool operator==(const PrometheusOptions &, const PrometheusOptions &) = default;
};

/// HttpCheckOptions: a health check of one HTTP response.
struct HttpCheckOptions {
    static constexpr TargetKind kKind = TargetKind::Http;
    static constexpr std::array<TargetKey, 3> kKeys{{{"method"}, {"body"}, {"expect"}}};
    HttpTargetOptions http;
    std::string method = "GET";
    std::string body;
    std::optional<HttpExpectations> expect;
    friend bool operator==(const HttpCheckOptions &, const HttpCheckOptions &) = default;
};

/// JsonOptions: fetch a JSON document, extract numbers by JSON pointer (in file order).
struct JsonOptions {
    static constexpr TargetKind kKind = TargetKind::Json;
    static constexpr std::array<TargetKey, 4> kKeys{{{"method"}, {"body"}, {"expect"}, {"extract", true}}};
    HttpTargetOptions http;
    std::string method = "GET";
    std::string body;
    std::optional<HttpExpectations> expect;
    std::vector<MetricExtraction> extract;
    friend bool operator==(const JsonOptions &, const JsonOptions &) = default;
};

/// GraphQLOptions: run a GraphQL query, extract numbers by JSON pointer (the probe writes the body).
struct GraphQLOptions {
    static constexpr TargetKind kKind = TargetKind::GraphQL;
    static constexpr std::array<TargetKey, 5> kKeys{
        {{"method"}, {"query", true}, {"variables"}, {"expect"}, {"extract", true}}};
    HttpTargetOptions http;
    std::string method = "POST";
    std::string query;
    QJsonObject variables;
    std::optional<HttpExpectations> expect;
    std::vector<MetricExtraction> extract;
    friend bool operator==(const GraphQLOptions &, const GraphQLOptions &) = default;
};

/// TcpOptions: connect, optionally send, optionally expect a banner.
struct TcpOptions {
    static constexpr TargetKind kKind = TargetKind::Tcp;
    static constexpr std::array<TargetKey, 3> kKeys{{{"address", true}, {"send"}, {"expect_banner"}}};
    std::string address; ///< host:port, IPv6 hosts in brackets
    std::string send;
    std::string expectBanner;
    friend bool operator==(const TcpOptions &, const TcpOptions &) = default;
};

/// HostOptions: this machine; nothing to configure beyond the common keys.
struct HostOptions {
    static constexpr TargetKind kKind = TargetKind::Host;
    static constexpr std::array<TargetKey, 0> kKeys{};
    friend bool operator==(const HostOptions &, const HostOptions &) = default;
};

/// LogOptions: tail a log file.
struct LogOptions {
    static constexpr TargetKind kKind = TargetKind::Log;
    static constexpr std::array<TargetKey, 7> kKeys{
        {{"path", true}, {"format"}, {"pattern"}, {"start_at"}, {"multiline"}, {"start_pattern"}, {"metrics"}}};
    /// path names one file, or several with a glob (`/var/log/app/*.log`): files that come to match
    /// later are followed too.
    std::string path;
    LogFormat format = LogFormat::Plain;
    /// pattern is the regex format's (required with it, refused without): named groups `time`,
    /// `level`, `message`, others become fields (core/logs/log_line_parser.h).
    std::string pattern;
    /// multiline joins continuation lines (a stack trace) to the record before them: lines that
    /// start with a blank, `at `, `Caused by:` or `...`, or with start_pattern every line that does
    /// not match it (collectors/multiline_joiner.h).
    bool multiline = true;
    std::string startPattern;
    /// metrics are the target's own series made of its lines (core/logs/log_metric_rule.h).
    std::vector<LogMetricRule> metrics;
    /// startAtBeginning (`start_at: beginning`) reads a file seen for the first time from its start;
    /// the default (`end`) starts at its end, as `tail -f` does. A file with a stored position
    /// resumes there either way.
    bool startAtBeginning = false;
    friend bool operator==(const LogOptions &, const LogOptions &) = default;
};

/// PromQLOptions: a Prometheus-compatible server the dashboards query directly.
struct PromQLOptions {
    static constexpr TargetKind kKind = TargetKind::PromQL;
    static constexpr std::array<TargetKey, 0> kKeys{};
    HttpTargetOptions http;
    friend bool operator==(const PromQLOptions &, const PromQLOptions &) = default;
};

/// TargetOptions holds the options of one kind; its index is the TargetKind (checked below).
using TargetOptions = std::variant<PrometheusOptions, HttpCheckOptions, JsonOptions, GraphQLOptions, TcpOptions,
                                   HostOptions, LogOptions, PromQLOptions>;

/// optionsFor is a default TargetOptions of `kind`.
TargetOptions optionsFor(TargetKind kind);

/// commonTargetKeys are the keys of every kind; targetKeys(kind) every key a target of that kind may
/// have: the common ones, the HTTP ones if it talks HTTP, then its own, in that order.
std::span<const TargetKey> commonTargetKeys();
std::vector<TargetKey> targetKeys(TargetKind kind);

/// TargetConfig is one entry of `targets:`: the keys every kind has, and the options of its kind.
struct TargetConfig {
    TargetConfig() = default;
    explicit TargetConfig(TargetOptions o) : options(std::move(o)) {}

    std::string name;
    Duration interval = std::chrono::seconds(15);
    /// timeout defaults to min(10s, interval) and never exceeds interval, as in Prometheus.
    Duration timeout = std::chrono::seconds(10);
    Labels labels; ///< extra static labels added to every sample
    TargetOptions options;

    TargetKind kind() const { return static_cast<TargetKind>(options.index()); }
    /// http is the HTTP part of a kind that talks HTTP, null for the others.
    const HttpTargetOptions *http() const;
    HttpTargetOptions *http();
    /// as is the options if they are of kind T::kKind, null otherwise.
    template <class T> const T *as() const { return std::get_if<T>(&options); }
    template <class T> T *as() { return std::get_if<T>(&options); }
    /// endpoint is where the target is, as the UI may show it: its URL (credentials redacted), its
    /// host:port or its file; empty for the host.
    std::string endpoint() const;

    /// Every field, credentials included: "did this target change on reload" is `==`, so nothing a
    /// probe reads (a rotated token, a new header) can be missed by a hand-kept list.
    friend bool operator==(const TargetConfig &, const TargetConfig &) = default;
};

} // namespace pulse
