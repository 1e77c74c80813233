// dumpConfig: a Config as normalized YAML, for `pulsectl check-config --print`. Secret values are
// written as <secret>; only Secret's stream operator is used for them, never reveal().
#include "core/config/config_loader.h"

#include "core/base/byte_size.h"
#include "core/config/detail/config_reader.h"

#include <QJsonArray>
#include <QString>

#include <yaml-cpp/yaml.h>

#include <array>
#include <charconv>
#include <functional>
#include <sstream>

namespace pulse {
namespace {

std::string formatNumber(double value)
{
    // Shortest text that reads back to the same double; a stream would print 0.95 as 0.94999999999999996.
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// Whole days read better than the mixed units formatDuration picks ("90d", not "12w6d"); other values
// use formatDuration's shortest form.
std::string durationText(Duration d)
{
    constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
    const std::int64_t ms = d.count();
    const bool wholeDays = ms > 0 && ms % kDayMs == 0;
    const bool wholeWeeksOrYears = ms % (7 * kDayMs) == 0 || ms % (365 * kDayMs) == 0;
    if (wholeDays && !wholeWeeksOrYears)
        return std::to_string(ms / kDayMs) + "d";
    return formatDuration(d);
}

std::string redacted(const Secret &secret)
{
    std::ostringstream os;
    os << secret;
    return os.str();
}

/// emitPairs writes a map whose values are masked where isSecret(name) says they hold a credential
/// (by default a name like Authorization: such values carry credentials without being a Secret).
void emitPairs(YAML::Emitter &out, const char *key, const KeyValueList &pairs,
               const std::function<bool(std::string_view)> &isSecret = detail::looksLikeCredentialName)
{
    if (pairs.empty())
        return;
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    for (const auto &[name, value] : pairs)
        out << YAML::Key << name << YAML::Value << (isSecret(name) ? redacted(Secret::fromValue(value)) : value);
    out << YAML::EndMap;
}

// Empty lists in flow style ("[]"), because yaml-cpp puts a block-style "[]" on a line of its own.
void beginList(YAML::Emitter &out, bool empty)
{
    if (empty)
        out << YAML::Flow;
    out << YAML::BeginSeq;
}

void emitLabels(YAML::Emitter &out, const Labels &labels)
{
    if (labels.empty())
        return;
    out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
    for (const auto &label : labels)
        out << YAML::Key << label.name << YAML::Value << label.value;
    out << YAML::EndMap;
}

void emitIfSet(YAML::Emitter &out, const char *key, const std::string &value)
{
    if (!value.empty())
        out << YAML::Key << key << YAML::Value << value;
}

void emitSecret(YAML::Emitter &out, const char *valueKey, const char *fileKey, const Secret &secret)
{
    if (!secret.isSet())
        return;
    if (secret.isFile())
        out << YAML::Key << fileKey << YAML::Value << secret.filePath();
    else
        out << YAML::Key << valueKey << YAML::Value << redacted(secret);
}

// Strings are double-quoted so that loading the dump gives back strings, not numbers or booleans.
void emitJson(YAML::Emitter &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        out << (value.toBool() ? "true" : "false");
        break;
    case QJsonValue::Double:
        out << formatNumber(value.toDouble());
        break;
    case QJsonValue::String:
        out << YAML::DoubleQuoted << value.toString().toStdString();
        break;
    case QJsonValue::Array:
        out << YAML::Flow << YAML::BeginSeq;
        for (const auto &item : value.toArray())
            emitJson(out, item);
        out << YAML::EndSeq;
        break;
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        out << YAML::Flow << YAML::BeginMap;
        for (auto it = object.begin(); it != object.end(); ++it) {
            out << YAML::Key << it.key().toStdString() << YAML::Value;
            emitJson(out, it.value());
        }
        out << YAML::EndMap;
        break;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out << YAML::Null;
        break;
    }
}

void emitExpectations(YAML::Emitter &out, const HttpExpectations &e)
{
    out << YAML::Key << "expect" << YAML::Value << YAML::BeginMap;
    if (!e.statusCodes.empty())
        out << YAML::Key << "status" << YAML::Value << YAML::Flow << e.statusCodes;
    if (e.bodyContains)
        out << YAML::Key << "body_contains" << YAML::Value << *e.bodyContains;
    if (e.bodyRegex)
        out << YAML::Key << "body_regex" << YAML::Value << *e.bodyRegex;
    emitPairs(out, "json_pointer_equals", e.jsonPointerEquals);
    if (e.maxLatency)
        out << YAML::Key << "max_latency" << YAML::Value << durationText(*e.maxLatency);
    out << YAML::EndMap;
}

void emitHttpClient(YAML::Emitter &out, const HttpTargetOptions &t)
{
    out << YAML::Key << "url" << YAML::Value << redactUrlSecrets(t.url);
    emitPairs(out, "headers", t.headers, [&t](std::string_view name) { return t.isSecretHeader(name); });
    if (!t.secretHeaders.empty()) {
        out << YAML::Key << "secret_headers" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const std::string &name : t.secretHeaders)
            out << name;
        out << YAML::EndSeq;
    }
    emitSecret(out, "bearer_token", "bearer_token_file", t.bearerToken);
    if (t.basicAuth) {
        out << YAML::Key << "basic_auth" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "username" << YAML::Value << t.basicAuth->username;
        emitSecret(out, "password", "password_file", t.basicAuth->password);
        out << YAML::EndMap;
    }
    const TlsConfig &tls = t.tls;
    if (tls.insecureSkipVerify || !tls.caFile.empty() || !tls.serverName.empty() || tls.allowRedirectToHttp) {
        out << YAML::Key << "tls" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "insecure_skip_verify" << YAML::Value << tls.insecureSkipVerify;
        emitIfSet(out, "ca_file", tls.caFile);
        emitIfSet(out, "server_name", tls.serverName);
        if (tls.allowRedirectToHttp)
            out << YAML::Key << "allow_redirect_to_http" << YAML::Value << true;
        out << YAML::EndMap;
    }
}

void emitExtractions(YAML::Emitter &out, const std::vector<MetricExtraction> &extract)
{
    if (extract.empty())
        return;
    out << YAML::Key << "extract" << YAML::Value << YAML::BeginMap;
    for (const auto &x : extract)
        out << YAML::Key << x.metricName << YAML::Value << x.jsonPointer;
    out << YAML::EndMap;
}

// One emitOptions per kind, writing the keys of its kKeys table that are set, in the table's order.
void emitOptions(YAML::Emitter &out, const PrometheusOptions &o)
{
    emitHttpClient(out, o.http);
    out << YAML::Key << "sample_limit" << YAML::Value << o.sampleLimit;
    out << YAML::Key << "label_limit" << YAML::Value << o.labelLimit;
    out << YAML::Key << "label_name_length_limit" << YAML::Value << o.labelNameLengthLimit;
    out << YAML::Key << "label_value_length_limit" << YAML::Value << o.labelValueLengthLimit;
    out << YAML::Key << "series_limit" << YAML::Value << o.seriesLimit;
    out << YAML::Key << "honor_labels" << YAML::Value << o.honorLabels;
    out << YAML::Key << "max_future" << YAML::Value << durationText(o.maxFuture);
}

void emitOptions(YAML::Emitter &out, const HttpCheckOptions &o)
{
    emitHttpClient(out, o.http);
    out << YAML::Key << "method" << YAML::Value << o.method;
    emitIfSet(out, "body", o.body);
    if (o.expect)
        emitExpectations(out, *o.expect);
}

void emitOptions(YAML::Emitter &out, const JsonOptions &o)
{
    emitHttpClient(out, o.http);
    out << YAML::Key << "method" << YAML::Value << o.method;
    emitIfSet(out, "body", o.body);
    if (o.expect)
        emitExpectations(out, *o.expect);
    emitExtractions(out, o.extract);
}

void emitOptions(YAML::Emitter &out, const GraphQLOptions &o)
{
    emitHttpClient(out, o.http);
    out << YAML::Key << "method" << YAML::Value << o.method;
    emitIfSet(out, "query", o.query);
    if (!o.variables.isEmpty()) {
        out << YAML::Key << "variables" << YAML::Value;
        emitJson(out, o.variables);
    }
    if (o.expect)
        emitExpectations(out, *o.expect);
    emitExtractions(out, o.extract);
}

void emitOptions(YAML::Emitter &out, const TcpOptions &o)
{
    out << YAML::Key << "address" << YAML::Value << o.address;
    emitIfSet(out, "send", o.send);
    emitIfSet(out, "expect_banner", o.expectBanner);
}

void emitOptions(YAML::Emitter &, const HostOptions &) {}

void emitOptions(YAML::Emitter &out, const LogOptions &o)
{
    out << YAML::Key << "path" << YAML::Value << o.path;
    out << YAML::Key << "format" << YAML::Value << std::string(logFormatName(o.format));
    emitIfSet(out, "pattern", o.pattern);
    out << YAML::Key << "start_at" << YAML::Value << (o.startAtBeginning ? "beginning" : "end");
    out << YAML::Key << "multiline" << YAML::Value << o.multiline;
    emitIfSet(out, "start_pattern", o.startPattern);
    if (o.metrics.empty())
        return;
    out << YAML::Key << "metrics" << YAML::Value << YAML::BeginSeq;
    for (const LogMetricRule &rule : o.metrics) {
        out << YAML::BeginMap;
        out << YAML::Key << "name" << YAML::Value << rule.name;
        out << YAML::Key << "match" << YAML::Value << rule.match;
        emitIfSet(out, "value", rule.value);
        out << YAML::Key << "type" << YAML::Value << std::string(logMetricTypeNames()[std::size_t(rule.type)]);
        if (!rule.labels.empty()) {
            out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
            for (const auto &[name, value] : rule.labels)
                out << YAML::Key << name << YAML::Value << value;
            out << YAML::EndMap;
        }
        if (!rule.buckets.empty()) {
            out << YAML::Key << "buckets" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (const double b : rule.buckets)
                out << b;
            out << YAML::EndSeq;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

void emitOptions(YAML::Emitter &out, const PromQLOptions &o)
{
    emitHttpClient(out, o.http);
}

void emitTarget(YAML::Emitter &out, const TargetConfig &t)
{
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << t.name;
    out << YAML::Key << "kind" << YAML::Value << std::string(targetKindName(t.kind()));
    out << YAML::Key << "interval" << YAML::Value << durationText(t.interval);
    out << YAML::Key << "timeout" << YAML::Value << durationText(t.timeout);
    emitLabels(out, t.labels);
    std::visit([&out](const auto &options) { emitOptions(out, options); }, t.options);
    out << YAML::EndMap;
}

void emitStorage(YAML::Emitter &out, const StorageConfig &s)
{
    out << YAML::Key << "storage" << YAML::Value << YAML::BeginMap;
    emitIfSet(out, "path", s.path);
    out << YAML::Key << "retention" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "raw" << YAML::Value << durationText(s.retention.raw);
    out << YAML::Key << "1m" << YAML::Value << durationText(s.retention.m1);
    out << YAML::Key << "1h" << YAML::Value << durationText(s.retention.h1);
    out << YAML::EndMap;
    out << YAML::Key << "write" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "queue_capacity" << YAML::Value << s.write.queueCapacity;
    out << YAML::Key << "flush_interval" << YAML::Value << durationText(s.write.flushInterval);
    out << YAML::EndMap;
    out << YAML::EndMap;
}

void emitLogs(YAML::Emitter &out, const LogsConfig &l)
{
    out << YAML::Key << "logs" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "retention" << YAML::Value << durationText(l.retention);
    out << YAML::Key << "max_size" << YAML::Value << formatByteSize(l.maxSizeBytes);
    out << YAML::EndMap;
}

void emitReceiver(YAML::Emitter &out, const char *key, const ReceiverConfig &r)
{
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    emitHttpClient(out, r.http);
    if (!r.sendResolved)
        out << YAML::Key << "send_resolved" << YAML::Value << false;
    if (r.timeout != ReceiverConfig{}.timeout)
        out << YAML::Key << "timeout" << YAML::Value << durationText(r.timeout);
    out << YAML::EndMap;
}

/// emitNotify writes `notify:` unless it is all defaults (rules' own webhooks are written with them).
void emitNotify(YAML::Emitter &out, const NotifyConfig &n)
{
    NotifyConfig defaults;
    defaults.ruleWebhooks = n.ruleWebhooks;
    if (n == defaults)
        return;
    out << YAML::Key << "notify" << YAML::Value << YAML::BeginMap;
    if (n.webhook)
        emitReceiver(out, "webhook", *n.webhook);
    if (n.alertmanager)
        emitReceiver(out, "alertmanager", *n.alertmanager);
    out << YAML::Key << "desktop" << YAML::Value << n.desktop;
    out << YAML::Key << "group_by" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string &name : n.groupBy)
        out << name;
    out << YAML::EndSeq;
    out << YAML::Key << "group_wait" << YAML::Value << durationText(n.groupWait);
    out << YAML::Key << "group_interval" << YAML::Value << durationText(n.groupInterval);
    out << YAML::Key << "repeat_interval" << YAML::Value << durationText(n.repeatInterval);
    emitIfSet(out, "external_url", n.externalUrl);
    out << YAML::EndMap;
}

void emitAlert(YAML::Emitter &out, const AlertRuleConfig &a, std::size_t index, const NotifyConfig &notify)
{
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << a.name;
    out << YAML::Key << "expr" << YAML::Value << a.expr;
    out << YAML::Key << "for" << YAML::Value << durationText(a.forDuration);
    if (a.keepFiringFor.count() != 0)
        out << YAML::Key << "keep_firing_for" << YAML::Value << durationText(a.keepFiringFor);
    emitIfSet(out, "severity", a.severity);
    emitLabels(out, a.labels);
    emitPairs(out, "annotations", a.annotations);
    if (a.limit != AlertRuleConfig::kDefaultInstanceLimit)
        out << YAML::Key << "limit" << YAML::Value << a.limit;
    for (const NotifyConfig::RuleWebhook &own : notify.ruleWebhooks)
        if (own.alertIndex == index)
            emitReceiver(out, "webhook", own.receiver);
    out << YAML::EndMap;
}

void emitPanel(YAML::Emitter &out, const PanelConfig &p)
{
    out << YAML::BeginMap;
    out << YAML::Key << "title" << YAML::Value << p.title;
    if (p.exprs.size() == 1) {
        out << YAML::Key << "expr" << YAML::Value << p.exprs.front();
    } else {
        out << YAML::Key << "exprs" << YAML::Value << YAML::BeginSeq;
        for (const auto &expr : p.exprs)
            out << expr;
        out << YAML::EndSeq;
    }
    out << YAML::Key << "kind" << YAML::Value << std::string(panelKindName(p.kind));
    emitIfSet(out, "unit", p.unit);
    if (!p.thresholds.empty()) {
        out << YAML::Key << "thresholds" << YAML::Value << YAML::BeginSeq;
        for (const auto &t : p.thresholds) {
            out << YAML::Flow << YAML::BeginMap << YAML::Key << "value" << YAML::Value << formatNumber(t.value)
                << YAML::Key << "color" << YAML::Value << t.color << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    if (p.legend)
        out << YAML::Key << "legend" << YAML::Value << *p.legend;
    out << YAML::EndMap;
}

void emitDashboards(YAML::Emitter &out, const std::vector<DashboardConfig> &dashboards)
{
    out << YAML::Key << "dashboards" << YAML::Value;
    beginList(out, dashboards.empty());
    for (const auto &d : dashboards) {
        out << YAML::BeginMap;
        out << YAML::Key << "name" << YAML::Value << d.name;
        out << YAML::Key << "panels" << YAML::Value;
        beginList(out, d.panels.empty());
        for (const auto &p : d.panels)
            emitPanel(out, p);
        out << YAML::EndSeq;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

} // namespace

std::string dumpConfig(const Config &config)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    emitStorage(out, config.storage);
    emitLogs(out, config.logs);
    out << YAML::Key << "targets" << YAML::Value;
    beginList(out, config.targets.empty());
    for (const auto &t : config.targets)
        emitTarget(out, t);
    out << YAML::EndSeq;
    out << YAML::Key << "alerts" << YAML::Value;
    beginList(out, config.alerts.empty());
    for (std::size_t i = 0; i < config.alerts.size(); ++i)
        emitAlert(out, config.alerts[i], i, config.notify);
    out << YAML::EndSeq;
    if (!config.ruleFiles.empty()) {
        out << YAML::Key << "rule_files" << YAML::Value << YAML::BeginSeq;
        for (const std::string &file : config.ruleFiles)
            out << file;
        out << YAML::EndSeq;
    }
    if (!config.builtinRules.enabled) {
        out << YAML::Key << "builtin_rules" << YAML::Value << false;
    } else if (!config.builtinRules.disabled.empty()) {
        out << YAML::Key << "builtin_rules" << YAML::Value << YAML::BeginMap << YAML::Key << "disabled" << YAML::Value
            << YAML::Flow << YAML::BeginSeq;
        for (const std::string &name : config.builtinRules.disabled)
            out << name;
        out << YAML::EndSeq << YAML::EndMap;
    }
    emitNotify(out, config.notify);
    emitDashboards(out, config.dashboards);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string dumpDashboards(const std::vector<DashboardConfig> &dashboards)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    emitDashboards(out, dashboards);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace pulse
