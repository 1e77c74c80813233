// Tests for the config model and loader (core/config/config_loader.h): typed values from fixture files, one
// row per kind of mistake with its exact diagnostic, all problems in one pass, and secrets kept out of
// dumps and diagnostics.
#include "core/alerting/alert_evaluator.h"
#include "core/config/builtin_rules.h"
#include "core/config/config_loader.h"
#include "core/promql/engine.h"
#include "core/selection/memory_history.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace pulse;
using namespace std::chrono_literals;

class TstConfig : public QObject {
    Q_OBJECT

private slots:
    void loadsDesignExample();
    void loadsEveryOption();
    void appliesDefaults();
    void readsTheLogsSection();
    void readsTheNotifySection();
    void loadsRuleFiles();
    void builtinRules();
    void logFormatsAndTheApacheAlias();
    void emptyFileIsEmptyConfig();
    void logPatternsAndMetricRules();
    void reportsError_data();
    void reportsError();
    void reportsEveryProblemInOnePass();
    void neverThrowsOnGarbage_data();
    void neverThrowsOnGarbage();
    void aliasBombIsRefused();
    void dumpRoundTrips();
    void dumpHidesSecrets();
    void diagnosticsHideSecrets();
    void loadConfigFileResolvesRelativePaths();
    void loadConfigFileReportsUnreadableFile();
    void formatsDiagnostics();
};

namespace {

constexpr const char *kToken = "TOKEN-zq8x7w-DO-NOT-LEAK";
constexpr const char *kTokenMarker = "zq8x7w";

EnvLookup fakeEnv(std::map<std::string, std::string> vars)
{
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        const auto it = vars.find(std::string(name));
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

ConfigEnvironment testEnv()
{
    return ConfigEnvironment{fakeEnv({{"PROM_TOKEN", kToken}, {"API_PASSWORD", kToken}}), {}};
}

std::string fixturePath(const QString &name)
{
    const QString path = QFINDTESTDATA(QStringLiteral("fixtures/config/") + name);
    return path.toStdString();
}

std::string readFixture(const QString &name)
{
    QFile file(QString::fromStdString(fixturePath(name)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

// Loads a fixture, labelling diagnostics with its bare name so expectations do not depend on paths.
ConfigLoadResult loadFixture(const QString &name, const ConfigEnvironment &env = testEnv())
{
    return loadConfig(readFixture(name), name.toStdString(), env);
}

QStringList formatted(const std::vector<ConfigDiagnostic> &diagnostics)
{
    QStringList lines;
    for (const auto &d : diagnostics)
        lines << QString::fromStdString(formatDiagnostic(d));
    return lines;
}

QByteArray describe(const ConfigLoadResult &result)
{
    return result ? QByteArray("loaded fine") : formatted(result.error()).join(QLatin1Char('\n')).toUtf8();
}

} // namespace

void TstConfig::loadsDesignExample()
{
    const auto result = loadFixture(QStringLiteral("design_example.yaml"));
    QVERIFY2(result.has_value(), describe(result).constData());
    const Config &c = *result;

    QCOMPARE(c.storage.path, std::string("~/.local/share/pulseboard/history.db"));
    QCOMPARE(c.storage.retention.raw, Duration(7 * 24h));
    QCOMPARE(c.storage.retention.m1, Duration(90 * 24h));
    QCOMPARE(c.storage.retention.h1, Duration(2 * 365 * 24h));

    QCOMPARE(c.targets.size(), std::size_t(7));
    const TargetConfig &api = c.targets[0];
    QCOMPARE(api.name, std::string("api"));
    QCOMPARE(api.kind(), TargetKind::Prometheus);
    QCOMPARE(api.http()->url, std::string("http://127.0.0.1:9464/metrics"));
    QCOMPARE(api.interval, Duration(5s));
    QCOMPARE(api.timeout, Duration(3s));

    const auto &health = std::get<HttpCheckOptions>(c.targets[1].options);
    QCOMPARE(c.targets[1].interval, Duration(15s));
    QCOMPARE(c.targets[1].timeout, Duration(10s));
    QCOMPARE(health.method, std::string("GET"));
    QVERIFY(health.expect.has_value());
    QCOMPARE(health.expect->statusCodes, std::vector<int>{200});
    QCOMPARE(health.expect->bodyContains, std::optional<std::string>("ok"));
    QCOMPARE(health.expect->maxLatency, std::optional<Duration>(500ms));
    QVERIFY(!health.expect->bodyRegex.has_value());

    QCOMPARE(c.targets[2].kind(), TargetKind::Json);
    const auto &queue = std::get<JsonOptions>(c.targets[2].options);
    QCOMPARE(queue.extract, (std::vector<MetricExtraction>{{"queue_depth", "/queue/depth"}}));

    QCOMPARE(c.targets[3].kind(), TargetKind::GraphQL);
    const auto &users = std::get<GraphQLOptions>(c.targets[3].options);
    QCOMPARE(users.method, std::string("POST"));
    QCOMPARE(users.query, std::string("{ stats { activeUsers } }"));
    QCOMPARE(users.extract, (std::vector<MetricExtraction>{{"active_users", "/data/stats/activeUsers"}}));

    QCOMPARE(c.targets[4].kind(), TargetKind::Tcp);
    QCOMPARE(std::get<TcpOptions>(c.targets[4].options).address, std::string("127.0.0.1:5432"));

    QCOMPARE(c.targets[5].kind(), TargetKind::Log);
    QCOMPARE(std::get<LogOptions>(c.targets[5].options).path, std::string("/var/log/nginx/access.log"));
    QCOMPARE(std::get<LogOptions>(c.targets[5].options).format, LogFormat::NginxCombined);

    QCOMPARE(c.targets[6].kind(), TargetKind::PromQL);
    const HttpTargetOptions &cluster = *c.targets[6].http();
    QCOMPARE(cluster.url, std::string("http://prometheus.internal:9090"));
    QVERIFY(cluster.bearerToken.isSet());
    QVERIFY(!cluster.bearerToken.isFile());
    QCOMPARE(cluster.bearerToken.reveal().value(), std::string(kToken));

    QCOMPARE(c.alerts.size(), std::size_t(1));
    const AlertRuleConfig &alert = c.alerts[0];
    QCOMPARE(alert.name, std::string("ApiDown"));
    QCOMPARE(alert.expr, std::string(R"(up{job="api"} == 0)"));
    QCOMPARE(alert.forDuration, Duration(30s));
    QCOMPARE(alert.keepFiringFor, Duration(0));
    QCOMPARE(alert.severity, std::string("critical"));
    QCOMPARE(alert.annotations, (KeyValueList{{"summary", "{{ $labels.job }} is down"}}));

    QCOMPARE(c.dashboards.size(), std::size_t(1));
    const DashboardConfig &overview = c.dashboards[0];
    QCOMPARE(overview.name, std::string("Overview"));
    QCOMPARE(overview.panels.size(), std::size_t(2));
    QCOMPARE(overview.panels[0].title, std::string("Request rate"));
    QCOMPARE(overview.panels[0].exprs, std::vector<std::string>{"sum by (route) (rate(http_requests_total[1m]))"});
    QCOMPARE(overview.panels[0].unit, std::string("req/s"));
    QCOMPARE(overview.panels[0].kind, PanelKind::Chart);
    QCOMPARE(overview.panels[1].unit, std::string("s"));
}

void TstConfig::loadsEveryOption()
{
    ConfigEnvironment env = testEnv();
    env.baseDirectory = "/etc/pulse";
    const auto result = loadFixture(QStringLiteral("full.yaml"), env);
    QVERIFY2(result.has_value(), describe(result).constData());
    const Config &c = *result;

    QCOMPARE(c.storage.path, std::string("/etc/pulse/data/history.db"));
    QCOMPARE(c.storage.retention.raw, Duration(3 * 24h));
    QCOMPARE(c.storage.retention.h1, Duration(365 * 24h));
    QCOMPARE(c.storage.write.queueCapacity, std::size_t(5000));
    QCOMPARE(c.storage.write.flushInterval, Duration(250ms));

    QCOMPARE(c.targets.at(0).labels.toString(), std::string(R"({env="prod",team="payments"})"));
    const auto &api = std::get<PrometheusOptions>(c.targets.at(0).options);
    QCOMPARE(api.http.headers,
             (KeyValueList{{"X-Scope", "pulse"}, {"Authorization", std::string("Bearer ") + kToken}}));
    QVERIFY(!api.http.bearerToken.isSet());
    QVERIFY(api.http.basicAuth.has_value());
    QCOMPARE(api.http.basicAuth->username, std::string("scraper"));
    QCOMPARE(api.http.basicAuth->password.reveal().value(), std::string(kToken));
    QVERIFY(api.http.tls.insecureSkipVerify);
    QCOMPARE(api.http.tls.caFile, std::string("/etc/pulse/certs/ca.pem"));
    QCOMPARE(api.http.tls.serverName, std::string("api.internal"));
    QVERIFY(api.http.tls.allowRedirectToHttp);
    QVERIFY(!c.targets.at(1).http()->tls.allowRedirectToHttp);
    QCOMPARE(api.sampleLimit, std::uint64_t(50000));
    QCOMPARE(api.labelLimit, std::uint64_t(64));
    QCOMPARE(api.labelNameLengthLimit, std::uint64_t(128));
    QCOMPARE(api.labelValueLengthLimit, std::uint64_t(0));
    QCOMPARE(api.seriesLimit, std::uint64_t(5000));
    QCOMPARE(api.http.secretHeaders, std::vector<std::string>{"x-scope"});
    QVERIFY(api.http.isSecretHeader("X-Scope"));       // any case, as HTTP compares names
    QVERIFY(api.http.isSecretHeader("Authorization")); // named like a credential
    QVERIFY(!api.http.isSecretHeader("Accept"));
    const std::string dumped = dumpConfig(c);
    QVERIFY2(dumped.find("X-Scope: pulse") == std::string::npos, dumped.c_str());
    QVERIFY2(dumped.find("secret_headers: [x-scope]") != std::string::npos, dumped.c_str());
    QVERIFY(api.honorLabels);

    const auto &health = std::get<HttpCheckOptions>(c.targets.at(1).options);
    QCOMPARE(health.method, std::string("HEAD"));
    QCOMPARE(c.targets.at(1).interval, Duration(30s));
    QCOMPARE(c.targets.at(1).timeout, Duration(10s));
    QCOMPARE(health.expect->statusCodes, (std::vector<int>{200, 204}));
    QCOMPARE(health.expect->bodyRegex, std::optional<std::string>(R"(^ok\b)"));
    QCOMPARE(health.expect->jsonPointerEquals, (KeyValueList{{"/status", "ok"}, {"/checks/db", "up"}}));

    const auto &users = std::get<GraphQLOptions>(c.targets.at(2).options);
    QVERIFY(users.http.bearerToken.isFile());
    QCOMPARE(users.http.bearerToken.filePath(), std::string("/run/secrets/graphql-token"));
    QCOMPARE(users.variables.value(QStringLiteral("first")), QJsonValue(10));
    QCOMPARE(users.variables.value(QStringLiteral("name")), QJsonValue(QStringLiteral("10")));
    QCOMPARE(users.variables.value(QStringLiteral("active")), QJsonValue(true));
    QCOMPARE(users.variables.value(QStringLiteral("tags")).toArray().size(), qsizetype(2));
    QCOMPARE(users.extract.size(), std::size_t(2));
    QCOMPARE(users.extract[1].metricName, std::string("users_active"));

    const auto &smtp = std::get<TcpOptions>(c.targets.at(3).options);
    QCOMPARE(smtp.address, std::string("[::1]:25"));
    QCOMPARE(smtp.send, std::string("EHLO pulse\r\n"));
    QCOMPARE(smtp.expectBanner, std::string("220"));

    QCOMPARE(c.targets.at(4).kind(), TargetKind::Host);
    QCOMPARE(c.targets.at(4).timeout, Duration(10s));
    QCOMPARE(std::get<LogOptions>(c.targets.at(5).options).path, std::string("/etc/pulse/logs/app.log"));
    QCOMPARE(std::get<LogOptions>(c.targets.at(5).options).format, LogFormat::JsonLines);

    const AlertRuleConfig &alert = c.alerts.at(0);
    QCOMPARE(alert.keepFiringFor, Duration(10min));
    QCOMPARE(alert.limit, std::uint64_t(50));
    QCOMPARE(alert.labels.value("team"), std::string_view("payments"));
    QCOMPARE(alert.annotations.size(), std::size_t(2));

    const PanelConfig &errors = c.dashboards.at(0).panels.at(0);
    QCOMPARE(errors.exprs.size(), std::size_t(2));
    QCOMPARE(errors.kind, PanelKind::Area);
    QCOMPARE(errors.legend, std::optional<std::string>("{{route}}"));
    QCOMPARE(errors.thresholds.size(), std::size_t(2));
    QCOMPARE(errors.thresholds[0].value, 0.5);
    QCOMPARE(errors.thresholds[1].color, std::string("#ff0000"));
    QCOMPARE(c.dashboards.at(0).panels.at(1).kind, PanelKind::Stat);
    QVERIFY(c.dashboards.at(1).panels.empty());
}

void TstConfig::appliesDefaults()
{
    const auto result = loadConfig("targets:\n  - {name: fast, kind: prometheus, url: 'http://h/m', interval: 2s}\n",
                                   "defaults.yaml", testEnv());
    QVERIFY2(result.has_value(), describe(result).constData());
    // An unset timeout follows a short interval down, as in Prometheus.
    QCOMPARE(result->targets.at(0).timeout, Duration(2s));
    const auto &t = std::get<PrometheusOptions>(result->targets.at(0).options);
    // Desktop-safe limits unless the config says otherwise (docs/config.md).
    QCOMPARE(t.sampleLimit, std::uint64_t(200'000));
    QCOMPARE(t.labelLimit, std::uint64_t(64));
    QCOMPARE(t.labelNameLengthLimit, std::uint64_t(1'024));
    QCOMPARE(t.labelValueLengthLimit, std::uint64_t(32'768));
    QCOMPARE(t.seriesLimit, std::uint64_t(200'000));
    QVERIFY(!t.honorLabels);
    QVERIFY(!t.http.tls.insecureSkipVerify);
    QVERIFY(result->storage.path.empty());
    QCOMPARE(result->storage.retention.m1, Duration(90 * 24h));
}

void TstConfig::readsTheLogsSection()
{
    // Defaults without the section; the section's values read, dumped and read back; errors at their key.
    const auto none = loadConfig("targets: []\n", "none.yaml", testEnv());
    QVERIFY2(none.has_value(), describe(none).constData());
    QCOMPARE(none->logs.retention, Duration(7 * 24h));
    QCOMPARE(none->logs.maxSizeBytes, std::uint64_t{2} << 30);
    const auto set = loadConfig("logs: {retention: 30d, max_size: 500MB}\n", "logs.yaml", testEnv());
    QVERIFY2(set.has_value(), describe(set).constData());
    QCOMPARE(set->logs.retention, Duration(30 * 24h));
    QCOMPARE(set->logs.maxSizeBytes, std::uint64_t{500} << 20);
    const std::string dumped = dumpConfig(*set);
    QVERIFY2(dumped.find("logs: {retention: 30d, max_size: 500MiB}") != std::string::npos, dumped.c_str());
    const auto again = loadConfig(dumped, "dumped.yaml", testEnv());
    QVERIFY2(again.has_value(), describe(again).constData());
    QCOMPARE(again->logs.maxSizeBytes, set->logs.maxSizeBytes);
    const auto off = loadConfig("logs: {retention: 0, max_size: 0}\n", "off.yaml", testEnv());
    QVERIFY2(off.has_value(), describe(off).constData());
    QCOMPARE(off->logs.retention, Duration(0));
    const auto bad = loadConfig("logs:\n  max_size: 2 GiB\n  keep: 1d\n", "bad.yaml", testEnv());
    QVERIFY(!bad.has_value());
    QCOMPARE(formatted(bad.error()),
             (QStringList{QStringLiteral("bad.yaml:2:13: logs.max_size: bad size '2 GiB': unknown unit ' GiB' (use B, "
                                         "KB, MB, GB or TB; KiB, MiB, GiB, TiB mean the same)"),
                          QStringLiteral("bad.yaml:3:3: logs: unknown key 'keep'")}));
}

void TstConfig::readsTheNotifySection()
{
    const auto none = loadConfig("targets: []\n", "none.yaml", testEnv());
    QVERIFY2(none.has_value(), describe(none).constData());
    QVERIFY(none->notify == NotifyConfig{});
    QVERIFY(dumpConfig(*none).find("notify") == std::string::npos);
    const std::string text = R"(notify:
  webhook: {url: http://127.0.0.1:9099/hook, send_resolved: false, bearer_token: '${PROM_TOKEN}'}
  alertmanager: {url: http://127.0.0.1:9093}
  desktop: false
  group_by: [alertname, instance]
  group_wait: 10s
  group_interval: 1m
  repeat_interval: 2h
  external_url: http://pulse.example:9464
alerts:
  - {name: ApiDown, expr: 'up == 0', for: 30s, severity: critical}
  - {name: SlowApi, expr: 'up > 1', for: 2m, webhook: http://127.0.0.1:9099/slow}
  - name: Other
    expr: up > 2
    webhook: {url: https://127.0.0.1:9443/other, tls: {insecure_skip_verify: true}, timeout: 3s}
)";
    const auto set = loadConfig(text, "notify.yaml", testEnv());
    QVERIFY2(set.has_value(), describe(set).constData());
    const NotifyConfig &n = set->notify;
    QVERIFY(n.webhook && n.alertmanager);
    QCOMPARE(n.webhook->http.url, std::string("http://127.0.0.1:9099/hook"));
    QVERIFY(!n.webhook->sendResolved);
    QVERIFY(n.webhook->http.bearerToken.isSet());
    QCOMPARE(n.alertmanager->http.url, std::string("http://127.0.0.1:9093"));
    QVERIFY(!n.desktop);
    QCOMPARE(n.groupBy, (std::vector<std::string>{"alertname", "instance"}));
    QCOMPARE(n.groupWait, Duration(10s));
    QCOMPARE(n.groupInterval, Duration(1min));
    QCOMPARE(n.repeatInterval, Duration(2h));
    QCOMPARE(n.externalUrl, std::string("http://pulse.example:9464"));
    QCOMPARE(n.ruleWebhooks.size(), std::size_t{2});
    QCOMPARE(n.ruleWebhooks[0].alertIndex, std::size_t{1});
    QCOMPARE(n.ruleWebhooks[0].rule, std::string("SlowApi"));
    QCOMPARE(n.ruleWebhooks[0].receiver.http.url, std::string("http://127.0.0.1:9099/slow"));
    QVERIFY(n.ruleWebhooks[0].receiver.sendResolved);
    QCOMPARE(n.ruleWebhooks[1].alertIndex, std::size_t{2});
    QVERIFY(n.ruleWebhooks[1].receiver.http.tls.insecureSkipVerify);
    QCOMPARE(n.ruleWebhooks[1].receiver.timeout, Duration(3s));
    // Dumped and read back the same, the token never printed.
    const std::string dumped = dumpConfig(*set);
    QVERIFY2(dumped.find(kTokenMarker) == std::string::npos, dumped.c_str());
    const auto again = loadConfig(dumped, "dumped.yaml", testEnv());
    QVERIFY2(again.has_value(), (describe(again) + "\n" + QByteArray::fromStdString(dumped)).constData());
    QCOMPARE(dumpConfig(*again), dumped);
    QCOMPARE(again->notify.ruleWebhooks.size(), std::size_t{2});
    QCOMPARE(again->notify.groupBy, n.groupBy);
    // Mistakes at their place.
    const auto bad = loadConfig("notify:\n  webhok: http://127.0.0.1:1/x\n  group_by: [alertname, 'bad-name']\n"
                                "  group_interval: 0s\n  webhook: ftp://x/y\n"
                                "alerts:\n  - {name: A, expr: up, webhook: {send_resolved: true}}\n",
                                "bad.yaml", testEnv());
    QVERIFY(!bad.has_value());
    QCOMPARE(
        formatted(bad.error()),
        (QStringList{QStringLiteral("bad.yaml:2:3: notify: unknown key 'webhok'; did you mean 'webhook'?"),
                     QStringLiteral("bad.yaml:3:25: notify.group_by[1]: expected a label name, or ... for every label"),
                     QStringLiteral("bad.yaml:4:19: notify.group_interval: must be longer than 0"),
                     QStringLiteral("bad.yaml:5:12: notify.webhook: URL scheme must be http or https, not 'ftp'"),
                     QStringLiteral("bad.yaml:7:34: alerts[0].webhook: missing required key 'url'")}));
}

void TstConfig::loadsRuleFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("rules")));
    const auto write = [&](const QString &name, const QByteArray &text) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write(QStringLiteral("rules/api.yml"), "groups:\n  - name: api\n    interval: 30s\n    rules:\n"
                                           "      - record: job:up:sum\n        expr: sum by (job) (up)\n"
                                           "      - alert: ApiDown\n        expr: job:up:sum == 0\n        for: 1m\n"
                                           "        labels:\n");
    write(QStringLiteral("rules/db.yml"),
          "groups:\n  - name: db\n    rules:\n      - alert: DbDown\n        expr: up{job=\"db\"} == 0\n");
    write(QStringLiteral("pulse.yaml"),
          "alerts:\n  - {name: Inline, expr: up == 0}\nrule_files: ['rules/*.yml']\nbuiltin_rules: false\n");
    const auto config = loadConfigFile(dir.filePath(QStringLiteral("pulse.yaml")).toStdString());
    QVERIFY2(config.has_value(), describe(config).constData());
    QCOMPARE(config->ruleFiles, std::vector<std::string>{"rules/*.yml"});
    QCOMPARE(config->ruleGroups.size(), std::size_t{2});
    QCOMPARE(config->ruleGroups[0].name, std::string("api"));
    QCOMPARE(*config->ruleGroups[0].interval, Duration(30s));
    const auto alerts = alertRules(*config);
    QCOMPARE(alerts.size(), std::size_t{3});
    QCOMPARE(alerts[0].name, std::string("Inline"));
    QCOMPARE(alerts[1].name, std::string("ApiDown"));
    QCOMPARE(alerts[1].forDuration, Duration(1min));
    QVERIFY(alerts[1].compiled); // compiled at load, like inline rules
    // Each rule carries its group's interval (none: every evaluation).
    QCOMPARE(alerts[0].interval, Duration(0));
    QCOMPARE(alerts[1].interval, Duration(30s));
    QCOMPARE(alerts[2].interval, Duration(0));
    QCOMPARE(recordingRules(*config).size(), std::size_t{1});
    QCOMPARE(recordingRules(*config)[0].record, std::string("job:up:sum"));
    QCOMPARE(recordingRules(*config)[0].interval, Duration(30s));
    QVERIFY(dumpConfig(*config).find("rule_files:\n  - rules/*.yml") != std::string::npos);
    // A missing file is an error at its line in the config; a broken rule file's at its own place.
    write(QStringLiteral("rules/bad.yml"),
          "groups:\n  - name: bad\n    rules:\n      - alert: X\n        expr: up ==\n");
    write(QStringLiteral("broken.yaml"), "rule_files:\n  - rules/bad.yml\n  - rules/missing.yml\n");
    const auto broken = loadConfigFile(dir.filePath(QStringLiteral("broken.yaml")).toStdString());
    QVERIFY(!broken.has_value());
    const QStringList problems = formatted(broken.error());
    QCOMPARE(problems.size(), 2);
    QVERIFY2(problems[0].endsWith(QStringLiteral("broken.yaml:3:5: rule_files[1]: no such file: ") + dir.path() +
                                  QStringLiteral("/rules/missing.yml")),
             qPrintable(problems.join(QLatin1Char('\n'))));
    QVERIFY2(problems[1].endsWith(QStringLiteral("rules/bad.yml:5:15: groups[0].rules[0].expr: invalid PromQL: col 6: "
                                                 "unexpected end of input")),
             qPrintable(problems.join(QLatin1Char('\n'))));
}

void TstConfig::builtinRules()
{
    // Every built-in rule compiles (a broken one would silently never fire).
    QCOMPARE(builtinAlertRules().size(), std::size_t{7});
    for (const AlertRuleConfig &r : builtinAlertRules()) {
        QVERIFY2(r.compiled, r.name.c_str());
        QCOMPARE(r.labels.value("builtin"), std::string_view("true"));
    }
    // And evaluates: TargetDown fires after a minute of up == 0, the others stay quiet on this input.
    MemoryHistory history;
    for (std::int64_t t = 0; t <= 120'000; t += 15'000)
        history.append("up", Labels{{"job", "api"}, {"instance", "h:1"}}, 1'800'000'000'000 + t, 0);
    auto evaluator = AlertEvaluator::create(builtinAlertRules());
    QVERIFY(evaluator);
    const promql::Engine engine(history);
    AlertEvaluation last;
    for (std::int64_t t = 0; t <= 120'000; t += 15'000)
        last = evaluator->evaluate(engine, 1'800'000'000'000 + t);
    for (const RuleHealth &h : last.health)
        QVERIFY2(h.error.empty(), (h.rule + ": " + h.error).c_str());
    QCOMPARE(last.alerts.size(), std::size_t{1});
    QCOMPARE(last.alerts.front().rule, std::string("TargetDown"));
    QCOMPARE(last.alerts.front().state, AlertState::Firing);
    // On by default; a rule of the config with a built-in's name replaces it; some or all turned off.
    const auto on = loadConfig("alerts:\n  - {name: TargetDown, expr: 'up == 0', for: 5m}\n", "on.yaml", testEnv());
    QVERIFY2(on.has_value(), describe(on).constData());
    const auto all = alertRules(*on);
    QCOMPARE(all.size(), std::size_t{7});
    QCOMPARE(all.front().forDuration, Duration(5min)); // the config's own TargetDown
    QCOMPARE(std::count_if(all.begin(), all.end(), [](const auto &r) { return r.name == "TargetDown"; }), 1);
    const auto some =
        loadConfig("builtin_rules: {disabled: [ScrapeEmpty, DiskFillingWithin24h]}\n", "some.yaml", testEnv());
    QVERIFY2(some.has_value(), describe(some).constData());
    QCOMPARE(alertRules(*some).size(), std::size_t{5});
    const std::string dumped = dumpConfig(*some);
    QVERIFY2(dumped.find("builtin_rules:\n  disabled: [ScrapeEmpty, DiskFillingWithin24h]") != std::string::npos,
             dumped.c_str());
    const auto none = loadConfig("builtin_rules: false\n", "none.yaml", testEnv());
    QVERIFY2(none.has_value(), describe(none).constData());
    QVERIFY(alertRules(*none).empty());
    QVERIFY(dumpConfig(*none).find("builtin_rules: false") != std::string::npos);
    const auto bad = loadConfig("builtin_rules: {disabled: [TargetDwn]}\n", "bad.yaml", testEnv());
    QVERIFY(!bad.has_value());
    QCOMPARE(formatted(bad.error()),
             QStringList{QStringLiteral("bad.yaml:1:28: builtin_rules.disabled[0]: not a built-in rule; did you mean "
                                        "'TargetDown'?")});
}

void TstConfig::logFormatsAndTheApacheAlias()
{
    const auto result = loadConfig("targets:\n"
                                   "  - {name: a, kind: log, path: /var/log/a.log, format: apache_combined}\n"
                                   "  - {name: b, kind: log, path: /var/log/b.log, format: logfmt}\n",
                                   "formats.yaml", testEnv());
    QVERIFY2(result.has_value(), describe(result).constData());
    QCOMPARE(std::get<LogOptions>(result->targets.at(0).options).format, LogFormat::NginxCombined);
    QCOMPARE(std::get<LogOptions>(result->targets.at(1).options).format, LogFormat::Logfmt);
    const auto bad =
        loadConfig("targets:\n  - {name: c, kind: log, path: /x, format: logfmtt}\n", "bad.yaml", testEnv());
    QVERIFY(!bad.has_value());
    QVERIFY2(formatted(bad.error()).first().contains(QLatin1String("did you mean 'logfmt'?")),
             qPrintable(formatted(bad.error()).first()));
}

void TstConfig::logPatternsAndMetricRules()
{
    const auto result =
        loadConfig("targets:\n"
                   "  - name: shop\n"
                   "    kind: log\n"
                   "    path: '/var/log/shop/*.log'\n"
                   "    format: regex\n"
                   "    pattern: '^(?<level>\\w+) (?<message>.*)$'\n"
                   "    start_pattern: '^\\w+ '\n"
                   "    metrics:\n"
                   "      - {name: shop_orders_total, match: 'order (?<id>\\d+)', labels: {kind: 'x$id'}}\n"
                   "      - {name: shop_ms, match: 'took (?<ms>\\d+)', value: ms, type: histogram, buckets: [1, 10]}\n",
                   "log.yaml", testEnv());
    QVERIFY2(result.has_value(), describe(result).constData());
    const auto &log = std::get<LogOptions>(result->targets.at(0).options);
    QCOMPARE(log.format, LogFormat::Regex);
    QCOMPARE(log.pattern, std::string("^(?<level>\\w+) (?<message>.*)$"));
    QVERIFY(log.multiline);
    QCOMPARE(log.startPattern, std::string("^\\w+ "));
    QCOMPARE(log.metrics.size(), std::size_t(2));
    QCOMPARE(log.metrics[0].labels, (std::vector<std::pair<std::string, std::string>>{{"kind", "x$id"}}));
    QCOMPARE(log.metrics[1].type, LogMetricType::Histogram);
    QCOMPARE(log.metrics[1].buckets, (std::vector<double>{1, 10}));

    const auto bad = loadConfig("targets:\n"
                                "  - {name: a, kind: log, path: /a, format: regex}\n"
                                "  - {name: b, kind: log, path: /b, format: json_lines, pattern: '(?<x>.)'}\n"
                                "  - {name: c, kind: log, path: /c, format: regex, pattern: '(?<x>'}\n"
                                "  - {name: d, kind: log, path: /d, start_pattern: '[a'}\n"
                                "  - name: e\n"
                                "    kind: log\n"
                                "    path: /e\n"
                                "    metrics:\n"
                                "      - {name: e_total, match: 'x', value: n}\n"
                                "      - {name: e_total, match: 'x', labels: {target: y}}\n"
                                "      - {match: 'x', type: gauge, value: v}\n",
                                "bad.yaml", testEnv());
    QVERIFY(!bad.has_value());
    QCOMPARE(formatted(bad.error()),
             (QStringList{
                 QStringLiteral("bad.yaml:2:44: targets[0].format: the regex format needs a pattern with named groups, "
                                "e.g. '^(?<time>\\S+) (?<level>\\w+) (?<message>.*)$'"),
                 QStringLiteral("bad.yaml:3:65: targets[1].pattern: a pattern is only used with the regex format"),
                 QStringLiteral("bad.yaml:4:60: targets[2].pattern: invalid pattern at offset 5: missing closing "
                                "parenthesis"),
                 QStringLiteral("bad.yaml:5:51: targets[3].start_pattern: invalid regular expression: missing "
                                "terminating ] for character class at offset 2"),
                 QStringLiteral("bad.yaml:10:44: targets[4].metrics[0].value: match has no group named 'n'"),
                 QStringLiteral("bad.yaml:11:45: targets[4].metrics[1].labels.target: Pulseboard sets this label"),
                 QStringLiteral("bad.yaml:12:9: targets[4].metrics[2]: missing required key 'name'"),
             }));
}

void TstConfig::emptyFileIsEmptyConfig()
{
    for (const char *text : {"", "# only a comment\n", "targets:\nalerts:\n"}) {
        const auto result = loadConfig(text, "empty.yaml", testEnv());
        QVERIFY2(result.has_value(), describe(result).constData());
        QVERIFY(result->targets.empty());
    }
}

void TstConfig::reportsError_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("expected");

    QTest::newRow("unknown key")
        << "unknown_key.yaml"
        << "unknown_key.yaml:5:5: targets[0]: unknown key 'intervall'; did you mean 'interval'?";
    QTest::newRow("wrong type") << "wrong_type.yaml"
                                << "wrong_type.yaml:5:13: targets[0].labels: expected a mapping, got a list";
    QTest::newRow("bad duration")
        << "bad_duration.yaml"
        << "bad_duration.yaml:5:15: targets[0].interval: bad duration '5x': missing or unknown unit (use ms, s, m, h, "
           "d, w or y)";
    QTest::newRow("duplicate target name")
        << "duplicate_target.yaml"
        << "duplicate_target.yaml:4:12: targets[2].name: duplicate target name 'api' (first defined at line 2)";
    QTest::newRow("unknown target kind")
        << "unknown_kind.yaml"
        << "unknown_kind.yaml:3:11: targets[0].kind: unknown target kind 'promethues'; did you mean 'prometheus'?";
    QTest::newRow("missing required key") << "missing_required.yaml"
                                          << "missing_required.yaml:5:5: targets[1]: missing required key 'address'";
    QTest::newRow("bad url") << "bad_url.yaml"
                             << "bad_url.yaml:4:10: targets[0].url: URL scheme must be http or https, not 'ftp'";
    QTest::newRow("yaml syntax error") << "syntax_error.yaml"
                                       << "syntax_error.yaml:3:5: YAML syntax error: end of map flow not found";
    QTest::newRow("unset env var")
        << "unset_env.yaml"
        << "unset_env.yaml:5:19: targets[0].bearer_token: environment variable PROM_TOKEN is not set";
    QTest::newRow("timeout over interval")
        << "timeout_over_interval.yaml"
        << "timeout_over_interval.yaml:6:14: targets[0].timeout: timeout 10s is longer than interval 5s";
    QTest::newRow("bad metric name")
        << "bad_metric_name.yaml"
        << "bad_metric_name.yaml:6:7: targets[0].extract: invalid metric name 'queue-depth' (use letters, digits, _ "
           "and :, not starting with a digit)";
    QTest::newRow("secret header that is not configured")
        << "secret_header_unknown.yaml"
        << "secret_header_unknown.yaml:6:31: targets[0].secret_headers[1]: names no header of this target (add it "
           "under headers, or remove it here)";
    QTest::newRow("bad json pointer")
        << "bad_json_pointer.yaml"
        << "bad_json_pointer.yaml:6:20: targets[0].extract.queue_depth: invalid JSON pointer 'queue/depth' (write "
           "/a/b, ~0 for ~, ~1 for /)";
    QTest::newRow("unknown log format")
        << "unknown_log_format.yaml"
        << "unknown_log_format.yaml:5:13: targets[0].format: unknown log format 'nginx_combind'; did you mean "
           "'nginx_combined'?";
    QTest::newRow("bad regex") << "bad_regex.yaml"
                               << "bad_regex.yaml:6:19: targets[0].expect.body_regex: invalid regular expression: "
                                  "missing closing parenthesis at offset 3";
    QTest::newRow("bad address") << "bad_address.yaml"
                                 << "bad_address.yaml:4:14: targets[0].address: port must be a number from 1 to 65535";
    QTest::newRow("key not for kind") << "key_not_for_kind.yaml"
                                      << "key_not_for_kind.yaml:5:5: targets[0]: key 'url' does not apply to kind tcp";
    QTest::newRow("unknown top-level key") << "unknown_top_key.yaml"
                                           << "unknown_top_key.yaml:2:1: unknown key 'target'; did you mean 'targets'?";
    QTest::newRow("duplicate key") << "duplicate_key.yaml"
                                   << "duplicate_key.yaml:6:5: targets[0]: key 'interval' is given twice (first at "
                                      "line 5)";
    QTest::newRow("bad alert expression")
        << "bad_alert_expr.yaml"
        << "bad_alert_expr.yaml:4:11: alerts[0].expr: invalid PromQL: col 15: unexpected \"=\"";
    QTest::newRow("bad alert template")
        << "bad_alert_template.yaml"
        << "bad_alert_template.yaml:5:16: alerts[0].annotations.summary: invalid template: col 25: unknown function "
           "'humanise' (supported: humanize, humanize1024, humanizePercentage, humanizeDuration, printf, index, "
           "toUpper, toLower)";
    QTest::newRow("panel charts a range vector")
        << "bad_panel_expr.yaml"
        << "bad_panel_expr.yaml:4:33: dashboards[0].panels[0].expr: a panel charts an instant vector or a scalar, "
           "not a range vector (wrap a range selector in rate() or *_over_time())";
    QTest::newRow("unknown panel kind")
        << "panel_errors.yaml"
        << "panel_errors.yaml:4:50: dashboards[0].panels[0].kind: unknown panel kind 'line' (expected one of chart, "
           "area, stat)";
}

void TstConfig::reportsError()
{
    QFETCH(QString, fixture);
    QFETCH(QString, expected);

    const auto result = loadFixture(fixture, ConfigEnvironment{fakeEnv({}), {}});
    QVERIFY(!result.has_value());
    QCOMPARE(formatted(result.error()), QStringList{expected});
}

void TstConfig::reportsEveryProblemInOnePass()
{
    const auto result = loadFixture(QStringLiteral("many_errors.yaml"));
    QVERIFY(!result.has_value());
    const QStringList expected{
        QStringLiteral("many_errors.yaml:2:28: storage.retention.1m: bad duration 'forever': expected a number at "
                       "offset 0 (write e.g. 15s, 5m, 1h30m, 7d)"),
        QStringLiteral("many_errors.yaml:7:5: targets[0]: unknown key 'intervall'; did you mean 'interval'?"),
        QStringLiteral("many_errors.yaml:8:11: targets[1].name: duplicate target name 'api' (first defined at line 4)"),
        QStringLiteral("many_errors.yaml:9:11: targets[1].kind: unknown target kind 'htpp'; did you mean 'http'?"),
        QStringLiteral("many_errors.yaml:10:5: targets[2]: missing required key 'address'"),
        QStringLiteral("many_errors.yaml:13:5: alerts[0]: missing required key 'expr'"),
        QStringLiteral("many_errors.yaml:14:10: alerts[0].for: bad duration '30': missing or unknown unit (use ms, s, "
                       "m, h, d, w or y)"),
        QStringLiteral("many_errors.yaml:18:9: dashboards[0].panels[0]: missing required key 'expr' (or 'exprs' for "
                       "several)"),
    };
    QCOMPARE(formatted(result.error()), expected);
}

void TstConfig::neverThrowsOnGarbage_data()
{
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("tab indentation") << QByteArray("targets:\n\t- name: x\n");
    QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01:\x02", 6);
    QTest::newRow("deep nesting") << QByteArray(20000, '[');
    QTest::newRow("scalar document") << QByteArray("just text");
    QTest::newRow("list document") << QByteArray("- a\n- b\n");
    QTest::newRow("two documents") << QByteArray("targets:\n---\ntargets:\n");
    QTest::newRow("complex key") << QByteArray("? [a]\n: b\n");
    QTest::newRow("alias loop-ish") << QByteArray("a: &x [*x]\n");
    QTest::newRow("targets is scalar") << QByteArray("targets: 3\n");
    QTest::newRow("target is list") << QByteArray("targets: [[1]]\n");
    QTest::newRow("null target") << QByteArray("targets: [~]\n");
    QTest::newRow("secret as map") << QByteArray(
        "targets: [{name: a, kind: promql, url: 'http://h', bearer_token: {a: b}}]\n");
}

void TstConfig::neverThrowsOnGarbage()
{
    QFETCH(QByteArray, text);
    const auto result =
        loadConfig(std::string_view(text.constData(), std::size_t(text.size())), "garbage.yaml", testEnv());
    QVERIFY(!result.has_value());
    for (const auto &d : result.error()) {
        QVERIFY(d.line >= 1);
        QVERIFY(d.column >= 1);
        QVERIFY(!d.message.empty());
    }
}

void TstConfig::aliasBombIsRefused()
{
    // Nine levels of ten aliases each: 10^9 nodes to anything that walks the tree, from a few hundred
    // bytes. Refused at once, with a position; a config that uses aliases sensibly still loads.
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level <= 9; ++level) {
        text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i)
            text += (i ? ", *a" : "*a") + std::to_string(level - 1);
        text += "]\n";
    }
    text += "targets: []\n";
    QElapsedTimer timer;
    timer.start();
    const auto bomb = loadConfig(text, "bomb.yaml", testEnv());
    QVERIFY(!bomb.has_value());
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(bomb.error().front().message.find("expands to more than 1000000 YAML nodes") != std::string::npos,
             describe(bomb).constData());
    QVERIFY(bomb.error().front().line >= 1);

    const auto sensible = loadConfig("x-labels: &common {team: payments}\n"
                                     "targets:\n"
                                     "  - {name: a, kind: prometheus, url: 'http://127.0.0.1:9/m', labels: *common}\n"
                                     "  - {name: b, kind: prometheus, url: 'http://127.0.0.1:8/m', labels: *common}\n",
                                     "aliases.yaml", testEnv());
    QVERIFY2(!describe(sensible).contains("YAML nodes"), describe(sensible).constData());
}

void TstConfig::dumpRoundTrips()
{
    for (const QString &fixture : {QStringLiteral("design_example.yaml"), QStringLiteral("full.yaml")}) {
        const auto first = loadFixture(fixture);
        QVERIFY2(first.has_value(), describe(first).constData());
        const std::string dumped = dumpConfig(*first);
        // Secrets come back as the literal text "<secret>", so the second dump must equal the first.
        const auto second = loadConfig(dumped, "dumped.yaml", testEnv());
        QVERIFY2(second.has_value(), (describe(second) + "\n" + QByteArray::fromStdString(dumped)).constData());
        QCOMPARE(dumpConfig(*second), dumped);
        QCOMPARE(second->targets.size(), first->targets.size());
        for (std::size_t i = 0; i < first->targets.size(); ++i) {
            QCOMPARE(second->targets.at(i).kind(), first->targets.at(i).kind());
            if (const auto *graphql = first->targets.at(i).as<GraphQLOptions>())
                QCOMPARE(second->targets.at(i).as<GraphQLOptions>()->variables, graphql->variables);
        }
    }
}

void TstConfig::dumpHidesSecrets()
{
    for (const QString &fixture : {QStringLiteral("design_example.yaml"), QStringLiteral("full.yaml")}) {
        const auto config = loadFixture(fixture);
        QVERIFY2(config.has_value(), describe(config).constData());
        const std::string dumped = dumpConfig(*config);
        QVERIFY2(dumped.find(kTokenMarker) == std::string::npos, dumped.c_str());
        QVERIFY2(dumped.find("<secret>") != std::string::npos, dumped.c_str());
    }
}

void TstConfig::diagnosticsHideSecrets()
{
    const auto result = loadFixture(QStringLiteral("secret_misplaced.yaml"));
    QVERIFY(!result.has_value());
    QVERIFY(result.error().size() >= 6);
    for (const auto &d : result.error())
        QVERIFY2(d.message.find(kTokenMarker) == std::string::npos, d.message.c_str());

    // A secret from the environment must not leak through an error elsewhere either.
    const std::string text = "targets:\n  - {name: c, kind: promql, url: 'http://h', bearer_token: '${PROM_TOKEN}',"
                             " timeout: '${PROM_TOKEN}'}\n";
    const auto viaEnv = loadConfig(text, "env.yaml", testEnv());
    QVERIFY(!viaEnv.has_value());
    for (const auto &d : viaEnv.error())
        QVERIFY2(d.message.find(kTokenMarker) == std::string::npos, d.message.c_str());
}

void TstConfig::loadConfigFileResolvesRelativePaths()
{
    const std::string path = fixturePath(QStringLiteral("full.yaml"));
    const auto result = loadConfigFile(path, testEnv());
    QVERIFY2(result.has_value(), describe(result).constData());
    const std::string dir = path.substr(0, path.rfind('/'));
    QCOMPARE(result->storage.path, dir + "/data/history.db");
    QCOMPARE(result->targets.at(2).http()->bearerToken.filePath(), std::string("/run/secrets/graphql-token"));
}

void TstConfig::loadConfigFileReportsUnreadableFile()
{
    const auto missing = loadConfigFile("/nonexistent/pulse.yaml");
    QVERIFY(!missing.has_value());
    QCOMPARE(formatted(missing.error()),
             QStringList{QStringLiteral("/nonexistent/pulse.yaml: cannot read: No such file or directory")});

    const std::string dir = PULSE_SOURCE_DIR "/tests/core";
    const auto directory = loadConfigFile(dir);
    QVERIFY(!directory.has_value());
    QCOMPARE(formatted(directory.error()), QStringList{QString::fromStdString(dir + ": cannot read: Is a directory")});
}

void TstConfig::formatsDiagnostics()
{
    QCOMPARE(formatDiagnostic({"a.yaml", 3, 7, "bad"}), std::string("a.yaml:3:7: bad"));
    QCOMPARE(formatDiagnostic({"a.yaml", 0, 0, "cannot read: gone"}), std::string("a.yaml: cannot read: gone"));
}

QTEST_APPLESS_MAIN(TstConfig)
#include "tst_config.moc"
