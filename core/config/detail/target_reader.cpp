// Reading and validating one `targets:` entry per kind: which keys apply, which are required, and the
// checks on URLs, addresses, expectations and extractions.
#include "core/config/detail/target_reader.h"

#include "core/logs/log_line_parser.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

namespace pulse::detail {
namespace {

constexpr std::string_view kExpectKeys[] = {"status", "body_contains", "body_regex", "json_pointer_equals",
                                            "max_latency"};
constexpr std::string_view kBasicAuthKeys[] = {"username", "password", "password_file"};
constexpr std::string_view kTlsKeys[] = {"insecure_skip_verify", "ca_file", "server_name", "allow_redirect_to_http"};
constexpr std::string_view kStartAt[] = {"end", "beginning"};
constexpr std::string_view kLogMetricKeys[] = {"name", "match", "value", "type", "labels", "buckets"};
constexpr std::string_view kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

constexpr Duration kDefaultTimeout = std::chrono::seconds(10);

// The keys a target of `kind` may have; with no (known) kind, every target key, so that only real
// typos are reported until the kind is fixed.
std::vector<std::string_view> allowedKeys(std::optional<TargetKind> kind)
{
    std::vector<std::string_view> keys;
    for (std::size_t i = 0; i < targetKindNames().size(); ++i) {
        const auto k = static_cast<TargetKind>(i);
        if (kind && *kind != k)
            continue;
        for (const TargetKey &key : targetKeys(k))
            if (std::find(keys.begin(), keys.end(), key.name) == keys.end())
                keys.push_back(key.name);
    }
    return keys;
}

bool isHeaderName(std::string_view name)
{
    // RFC 9110 token characters.
    constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               kExtra.find(c) != std::string_view::npos;
    });
}

// host:port with a port in 1..65535; an IPv6 host goes in brackets. Returns the problem, if any.
std::optional<std::string> addressProblem(std::string_view address)
{
    const std::size_t colon = address.rfind(':');
    if (colon == std::string_view::npos)
        return "expected host:port, e.g. 127.0.0.1:5432";
    std::string_view host = address.substr(0, colon);
    const std::string_view port = address.substr(colon + 1);
    if (host.starts_with('[') && host.ends_with(']'))
        host = host.substr(1, host.size() - 2);
    else if (host.find(':') != std::string_view::npos)
        return "an IPv6 address needs brackets, e.g. [::1]:5432";
    if (host.empty())
        return "address has no host; expected host:port";
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
        return "port must be a number from 1 to 65535";
    return std::nullopt;
}

// Scalars keep their YAML meaning: a quoted "10" stays a string, a plain 10 becomes a number.
QJsonValue toJson(const YAML::Node &node)
{
    if (node.IsMap()) {
        QJsonObject object;
        for (auto it = node.begin(); it != node.end(); ++it)
            object.insert(QString::fromStdString(it->first.Scalar()), toJson(it->second));
        return object;
    }
    if (node.IsSequence()) {
        QJsonArray array;
        for (const auto &child : node)
            array.append(toJson(child));
        return array;
    }
    if (!node.IsScalar())
        return QJsonValue(QJsonValue::Null);
    const std::string &text = node.Scalar();
    if (node.Tag() != "?")
        return QString::fromStdString(text);
    if (text == "true" || text == "false")
        return text == "true";
    if (text == "null" || text == "~")
        return QJsonValue(QJsonValue::Null);
    double number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size())
        return number;
    return QString::fromStdString(text);
}

class TargetReader {
public:
    TargetReader(ConfigReader &reader, const YAML::Node &node, std::string path)
        : m_r(reader), m_node(node), m_path(std::move(path))
    {
    }

    std::optional<TargetConfig> read();

private:
    void readCommon(TargetConfig &t);
    void readOptions(PrometheusOptions &o);
    void readOptions(HttpCheckOptions &o);
    void readOptions(JsonOptions &o);
    void readOptions(GraphQLOptions &o);
    void readOptions(TcpOptions &o);
    void readOptions(HostOptions &) {}
    void readOptions(LogOptions &o);
    void readLogMetrics(std::vector<LogMetricRule> &out);
    // checkRegex reports, at map[key], a pattern QRegularExpression refuses.
    void checkRegex(const YAML::Node &map, std::string_view path, std::string_view key, const std::string &pattern);
    void readOptions(PromQLOptions &o) { readHttpClient(o.http); }
    void readHttpClient(HttpTargetOptions &h);
    void readMethod(std::string &method);
    void readExpectations(std::optional<HttpExpectations> &out);
    void readExtractions(std::vector<MetricExtraction> &out);

    ConfigReader &m_r;
    YAML::Node m_node;
    std::string m_path;
};

std::optional<TargetConfig> TargetReader::read()
{
    if (!m_r.expectMapping(m_node, m_path))
        return std::nullopt;
    std::optional<TargetKind> kind;
    if (m_r.require(m_node, "kind", m_path)) {
        if (auto index = m_r.readEnum(m_node, "kind", m_path, targetKindNames(), "target kind"))
            kind = static_cast<TargetKind>(*index);
    }
    const auto allowed = allowedKeys(kind);
    m_r.checkKeys(m_node, m_path, allowed, [&](std::string_view key) -> std::optional<std::string> {
        const auto all = allowedKeys(std::nullopt);
        if (!kind || std::find(all.begin(), all.end(), key) == all.end())
            return std::nullopt;
        return "key '" + std::string(key) + "' does not apply to kind " + std::string(targetKindName(*kind));
    });
    TargetConfig t;
    readCommon(t);
    if (!kind)
        return std::nullopt;
    for (const TargetKey &key : targetKeys(*kind))
        if (key.required && key.name != "name" && key.name != "kind")
            m_r.require(m_node, key.name, m_path);
    t.options = optionsFor(*kind);
    std::visit([this](auto &options) { readOptions(options); }, t.options);
    return t;
}

void TargetReader::readCommon(TargetConfig &t)
{
    if (m_r.require(m_node, "name", m_path) && m_r.read(m_node, "name", m_path, t.name) && t.name.empty())
        m_r.report(*m_r.find(m_node, "name"), ConfigReader::join(m_path, "name"), "must not be empty");
    m_r.read(m_node, "interval", m_path, t.interval);
    t.timeout = std::min(kDefaultTimeout, t.interval);
    if (m_r.read(m_node, "timeout", m_path, t.timeout) && t.timeout > t.interval) {
        // As in Prometheus: a scrape that may outlast its interval would overlap the next one.
        m_r.report(*m_r.find(m_node, "timeout"), ConfigReader::join(m_path, "timeout"),
                   "timeout " + formatDuration(t.timeout) + " is longer than interval " + formatDuration(t.interval));
    }
    m_r.read(m_node, "labels", m_path, t.labels);
}

void TargetReader::readOptions(PrometheusOptions &o)
{
    readHttpClient(o.http);
    m_r.read(m_node, "sample_limit", m_path, o.sampleLimit);
    m_r.read(m_node, "label_limit", m_path, o.labelLimit);
    m_r.read(m_node, "label_name_length_limit", m_path, o.labelNameLengthLimit);
    m_r.read(m_node, "label_value_length_limit", m_path, o.labelValueLengthLimit);
    m_r.read(m_node, "series_limit", m_path, o.seriesLimit);
    m_r.read(m_node, "honor_labels", m_path, o.honorLabels);
    m_r.read(m_node, "max_future", m_path, o.maxFuture);
}

void TargetReader::readOptions(HttpCheckOptions &o)
{
    readHttpClient(o.http);
    readMethod(o.method);
    m_r.read(m_node, "body", m_path, o.body);
    readExpectations(o.expect);
}

void TargetReader::readOptions(JsonOptions &o)
{
    readHttpClient(o.http);
    readMethod(o.method);
    m_r.read(m_node, "body", m_path, o.body);
    readExpectations(o.expect);
    readExtractions(o.extract);
}

void TargetReader::readOptions(GraphQLOptions &o)
{
    readHttpClient(o.http);
    readMethod(o.method);
    m_r.read(m_node, "query", m_path, o.query);
    const std::string variablesPath = ConfigReader::join(m_path, "variables");
    if (auto variables = m_r.find(m_node, "variables"); variables && m_r.expectMapping(variables->value, variablesPath)) {
        m_r.checkUniqueKeys(variables->value, variablesPath);
        o.variables = toJson(variables->value).toObject();
    }
    readExpectations(o.expect);
    readExtractions(o.extract);
}

void TargetReader::readMethod(std::string &method)
{
    if (auto index = m_r.readEnum(m_node, "method", m_path, kMethods, "HTTP method"))
        method = std::string(kMethods[*index]);
}

void TargetReader::readHttpClient(HttpTargetOptions &t)
{
    readHttpClientOptions(m_r, m_node, m_path, t);
}

} // namespace

void readHttpClientOptions(ConfigReader &r, const YAML::Node &node, const std::string &path, HttpTargetOptions &t)
{
    r.readUrl(node, "url", path, t.url);
    const std::string headersPath = ConfigReader::join(path, "headers");
    // Read first: the values of the headers it names are credentials from here on.
    std::vector<std::pair<YAML::Node, std::size_t>> secretNames; // with their index in the list
    if (auto secret = r.find(node, "secret_headers")) {
        const std::string where = ConfigReader::join(path, "secret_headers");
        if (r.expectList(secret->value, where)) {
            for (std::size_t i = 0; i < secret->value.size(); ++i) {
                const YAML::Node item = secret->value[i];
                if (!item.IsScalar() || !isHeaderName(item.Scalar())) {
                    r.report(item, ConfigReader::indexed(where, i), "expected a header name");
                    continue;
                }
                t.secretHeaders.push_back(item.Scalar());
                secretNames.emplace_back(item, i);
            }
        }
    }
    if (r.read(node, "headers", path, t.headers)) {
        const YAML::Node headers = r.find(node, "headers")->value;
        for (auto it = headers.begin(); it != headers.end(); ++it) {
            // Values are not quoted in messages: an Authorization header holds a credential.
            if (!it->first.IsScalar())
                continue;
            if (t.isSecretHeader(it->first.Scalar()))
                r.markSensitive(it->second);
            if (!isHeaderName(it->first.Scalar()))
                r.report(it->first, headersPath, "invalid header name '" + it->first.Scalar() + "'");
            else if (it->second.Scalar().find_first_of("\r\n") != std::string::npos)
                r.report(it->second, ConfigReader::join(headersPath, it->first.Scalar()),
                           "header value must not contain line breaks");
        }
    }
    for (const auto &[name, index] : secretNames) {
        const bool configured = std::any_of(t.headers.begin(), t.headers.end(), [&](const auto &header) {
            return sameHeaderName(header.first, name.Scalar());
        });
        // Named by position: the list's values count as secret in messages (its key says "secret").
        if (!configured)
            r.report(name, ConfigReader::indexed(ConfigReader::join(path, "secret_headers"), index),
                       "names no header of this target (add it under headers, or remove it here)");
    }
    r.readSecret(node, "bearer_token", "bearer_token_file", path, t.bearerToken);
    if (auto auth = r.find(node, "basic_auth")) {
        const std::string authPath = ConfigReader::join(path, "basic_auth");
        if (r.find(node, "bearer_token") || r.find(node, "bearer_token_file"))
            r.report(auth->key, path, "use either bearer_token or basic_auth, not both");
        if (r.expectMapping(auth->value, authPath)) {
            r.checkKeys(auth->value, authPath, kBasicAuthKeys);
            BasicAuth basic;
            if (r.require(auth->value, "username", authPath))
                r.read(auth->value, "username", authPath, basic.username);
            r.readSecret(auth->value, "password", "password_file", authPath, basic.password);
            t.basicAuth = std::move(basic);
        }
    }
    if (auto tls = r.find(node, "tls")) {
        const std::string tlsPath = ConfigReader::join(path, "tls");
        if (r.expectMapping(tls->value, tlsPath)) {
            r.checkKeys(tls->value, tlsPath, kTlsKeys);
            r.read(tls->value, "insecure_skip_verify", tlsPath, t.tls.insecureSkipVerify);
            r.readPath(tls->value, "ca_file", tlsPath, t.tls.caFile);
            r.read(tls->value, "server_name", tlsPath, t.tls.serverName);
            r.read(tls->value, "allow_redirect_to_http", tlsPath, t.tls.allowRedirectToHttp);
        }
    }
}

namespace {

void TargetReader::readExpectations(std::optional<HttpExpectations> &out)
{
    const auto entry = m_r.find(m_node, "expect");
    if (!entry)
        return;
    const std::string path = ConfigReader::join(m_path, "expect");
    if (!m_r.expectMapping(entry->value, path))
        return;
    const YAML::Node &node = entry->value;
    m_r.checkKeys(node, path, kExpectKeys);
    HttpExpectations e;
    if (auto status = m_r.find(node, "status")) {
        const std::string statusPath = ConfigReader::join(path, "status");
        // `status: 200` is accepted as shorthand for `status: [200]`.
        std::vector<MapEntry> items;
        if (status->value.IsSequence()) {
            for (const auto &item : status->value)
                items.push_back(MapEntry{status->key, item});
        } else {
            items.push_back(*status);
        }
        for (const auto &item : items) {
            double code = 0;
            if (!m_r.readDouble(item, statusPath, code))
                continue;
            if (code < 100 || code > 599 || code != static_cast<int>(code))
                m_r.report(item, statusPath, "HTTP status must be a whole number from 100 to 599");
            else
                e.statusCodes.push_back(static_cast<int>(code));
        }
    }
    m_r.read(node, "body_contains", path, e.bodyContains);
    if (m_r.read(node, "body_regex", path, e.bodyRegex)) {
        checkRegex(node, path, "body_regex", *e.bodyRegex);
    }
    if (m_r.read(node, "json_pointer_equals", path, e.jsonPointerEquals)) {
        const YAML::Node pointers = m_r.find(node, "json_pointer_equals")->value;
        for (auto it = pointers.begin(); it != pointers.end(); ++it) {
            if (it->first.IsScalar() && !isValidJsonPointer(it->first.Scalar()))
                m_r.report(it->first, ConfigReader::join(path, "json_pointer_equals"),
                           "invalid JSON pointer '" + it->first.Scalar() + "' (write /a/b, ~0 for ~, ~1 for /)");
        }
    }
    m_r.read(node, "max_latency", path, e.maxLatency);
    out = std::move(e);
}

void TargetReader::readExtractions(std::vector<MetricExtraction> &out)
{
    const auto entry = m_r.find(m_node, "extract"); // required: reported by read() when missing
    const std::string path = ConfigReader::join(m_path, "extract");
    if (!entry || !m_r.expectMapping(entry->value, path))
        return;
    const YAML::Node &node = entry->value;
    if (node.size() == 0)
        m_r.report(node, path, "needs at least one metric_name: /json/pointer entry");
    m_r.checkUniqueKeys(node, path);
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar() || !seen.insert(it->first.Scalar()).second)
            continue;
        const std::string name = it->first.Scalar();
        bool ok = true;
        if (!isValidMetricName(name)) {
            m_r.report(it->first, path,
                       "invalid metric name '" + name + "' (use letters, digits, _ and :, not starting with a digit)");
            ok = false;
        }
        const auto pointer =
            m_r.scalar(MapEntry{it->first, it->second}, ConfigReader::join(path, name), "a JSON pointer");
        if (!pointer)
            continue;
        if (!isValidJsonPointer(*pointer)) {
            m_r.report(it->second, ConfigReader::join(path, name),
                       "invalid JSON pointer '" + *pointer + "' (write /a/b, ~0 for ~, ~1 for /)");
            ok = false;
        }
        if (ok)
            out.push_back(MetricExtraction{name, *pointer});
    }
}

void TargetReader::readOptions(TcpOptions &t)
{
    if (m_r.read(m_node, "address", m_path, t.address)) {
        if (auto problem = addressProblem(t.address))
            m_r.report(*m_r.find(m_node, "address"), ConfigReader::join(m_path, "address"), *problem);
    }
    m_r.read(m_node, "send", m_path, t.send);
    m_r.read(m_node, "expect_banner", m_path, t.expectBanner);
}

void TargetReader::readOptions(LogOptions &t)
{
    m_r.readPath(m_node, "path", m_path, t.path);
    // Apache's combined log is nginx's: the same format under its other name.
    if (auto format = m_r.find(m_node, "format"); format && format->value.IsScalar() &&
                                                  format->value.Scalar() == "apache_combined")
        t.format = LogFormat::NginxCombined;
    else if (auto index = m_r.readEnum(m_node, "format", m_path, logFormatNames(), "log format"))
        t.format = static_cast<LogFormat>(*index);
    if (auto index = m_r.readEnum(m_node, "start_at", m_path, kStartAt, "start_at value"))
        t.startAtBeginning = *index == 1;
    m_r.read(m_node, "pattern", m_path, t.pattern);
    if (auto parser = LogLineParser::create(t.format, t.pattern); !parser) {
        const auto at = m_r.find(m_node, "pattern");
        const auto format = m_r.find(m_node, "format");
        if (at)
            m_r.report(*at, ConfigReader::join(m_path, "pattern"), parser.error().message);
        else if (format)
            m_r.report(*format, ConfigReader::join(m_path, "format"), parser.error().message);
    }
    m_r.read(m_node, "multiline", m_path, t.multiline);
    readLogMetrics(t.metrics);
    if (m_r.read(m_node, "start_pattern", m_path, t.startPattern)) {
        checkRegex(m_node, m_path, "start_pattern", t.startPattern);
    }
}

void TargetReader::checkRegex(const YAML::Node &map, std::string_view path, std::string_view key,
                              const std::string &pattern)
{
    const QRegularExpression re(QString::fromStdString(pattern));
    if (!re.isValid())
        m_r.report(*m_r.find(map, key), ConfigReader::join(path, key),
                   "invalid regular expression: " + re.errorString().toStdString() + " at offset " +
                       std::to_string(re.patternErrorOffset()));
}

void TargetReader::readLogMetrics(std::vector<LogMetricRule> &out)
{
    const auto entry = m_r.find(m_node, "metrics");
    const std::string path = ConfigReader::join(m_path, "metrics");
    if (!entry || !m_r.expectList(entry->value, path))
        return;
    for (std::size_t i = 0; i < entry->value.size(); ++i) {
        const YAML::Node node = entry->value[i];
        const std::string where = ConfigReader::indexed(path, i);
        if (!m_r.expectMapping(node, where))
            continue;
        m_r.checkKeys(node, where, kLogMetricKeys);
        LogMetricRule rule;
        bool ok = m_r.require(node, "name", where) && m_r.read(node, "name", where, rule.name);
        ok = m_r.require(node, "match", where) && m_r.read(node, "match", where, rule.match) && ok;
        m_r.read(node, "value", where, rule.value);
        if (auto index = m_r.readEnum(node, "type", where, logMetricTypeNames(), "metric type"))
            rule.type = static_cast<LogMetricType>(*index);
        m_r.read(node, "labels", where, rule.labels);
        if (const auto buckets = m_r.find(node, "buckets"); buckets && m_r.expectList(buckets->value, where)) {
            for (std::size_t b = 0; b < buckets->value.size(); ++b) {
                double bound = 0;
                if (m_r.readDouble(MapEntry{buckets->key, buckets->value[b]},
                                   ConfigReader::indexed(ConfigReader::join(where, "buckets"), b), bound))
                    rule.buckets.push_back(bound);
            }
        }
        if (!ok)
            continue;
        if (auto compiled = compileLogMetricRule(rule); !compiled) {
            // The message starts with the key at fault ("match: ..."): report it there.
            const std::string &message = compiled.error().message;
            const std::size_t colon = message.find(": ");
            const std::string prefix = message.substr(0, colon); // "match" or "labels.path"
            const auto at = m_r.find(node, prefix.substr(0, prefix.find('.')));
            if (at && colon != std::string::npos)
                m_r.report(*at, ConfigReader::join(where, prefix), message.substr(colon + 2));
            else
                m_r.report(node, where, message);
            continue;
        }
        out.push_back(std::move(rule));
    }
}

} // namespace

std::vector<TargetConfig> readTargets(ConfigReader &reader, const YAML::Node &list)
{
    std::vector<TargetConfig> targets;
    if (!reader.expectList(list, "targets"))
        return targets;
    std::map<std::string, int> firstLine;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node node = list[i];
        const std::string path = ConfigReader::indexed("targets", i);
        auto target = TargetReader(reader, node, path).read();
        // Names identify targets in the UI and in the `job` label, so they must be unique.
        if (auto name = reader.find(node, "name"); name && name->value.IsScalar()) {
            const std::string text = name->value.Scalar();
            if (const auto [first, inserted] = firstLine.emplace(text, ConfigReader::lineOf(name->value)); !inserted)
                reader.report(*name, ConfigReader::join(path, "name"),
                              "duplicate target name '" + text + "' (first defined at line " +
                                  std::to_string(first->second) + ")");
        }
        if (target)
            targets.push_back(std::move(*target));
    }
    return targets;
}

} // namespace pulse::detail
