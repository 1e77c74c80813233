// Alert rules against Prometheus itself: the same series and rules are evaluated by our AlertEvaluator
// every 15 s, and what it says is firing at every step (labels, expanded annotations) is written as
// `promtool test rules` expectations, which Prometheus 2.42's own rule engine must then confirm.
// Covers `for:`, `keep_firing_for:`, label and annotation templates, humanize/printf, NaN ratios,
// staleness and several instances per rule. Skips with the reason when promtool is not installed.
#include "core/alerting/alert_evaluator.h"
#include "core/promql/engine.h"
#include "core/promql/series_notation.h"
#include "core/selection/memory_history.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdio>
#include <map>

using namespace pulse;

namespace {

constexpr std::int64_t kStepMs = 15'000;
constexpr int kSteps = 16;

struct SeriesInput {
    const char *series; ///< promtool's series notation, e.g. up{job="api"}
    const char *values; ///< one value per 15 s step, expanding notation
};

const SeriesInput kSeries[] = {
    {R"(up{job="api",instance="h:1"})", "1 1 0 0 0 0 0 1 1 0 0 0 0 1 1 1"},
    {R"(up{job="db",instance="h:2"})", "0 0 0 0 1 1 1 1 1 1 0 0 0 0 0 0"},
    {R"(latency_seconds{job="api"})", "0.1 0.9 0.9 0.1 0.1 0.1 0.9 0.1 0.1 0.1 0.1 0.7 stale _ 0.8 0.8"},
    {R"(errors_total{job="web"})", "0 0 1+1x13"},
    {R"(requests_total{job="web"})", "0 0 5+5x13"},
};

struct RuleInput {
    const char *name;
    const char *expr;
    std::int64_t forMs;
    std::int64_t keepFiringForMs;
    std::vector<std::pair<std::string, std::string>> labels;
    std::vector<std::pair<std::string, std::string>> annotations;
};

const std::vector<RuleInput> &rules()
{
    static const std::vector<RuleInput> all = {
        {"InstanceDown", "up == 0", 30'000, 0, {{"severity", "critical"}, {"team", "{{ $labels.job }}-team"}},
         {{"summary", "{{ $labels.instance }} of {{ $labels.job }} is down"}, {"value", "up = {{ $value }}"}}},
        {"SlowRequests", "latency_seconds > 0.5", 0, 30'000, {{"severity", "warning"}},
         {{"summary", "p95 is {{ $value | humanizeDuration }} ({{ printf \"%.3f\" $value }} s)"}}},
        {"ErrorRatio", "rate(errors_total[1m]) / rate(requests_total[1m]) > 0.1", 15'000, 0, {},
         {{"summary", "{{ $value | humanizePercentage }} of {{ $labels.job }} requests fail"},
          {"raw", "{{ $value | humanize }} / {{ index $labels \"job\" | toUpper }}"}}},
    };
    return all;
}

/// yamlQuoted writes a double-quoted YAML scalar.
std::string yamlQuoted(std::string_view s)
{
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

/// kRecorded are recording rules, in a group evaluated before the alerts (so a rule could read them):
/// name, expression.
const std::pair<const char *, const char *> kRecorded[] = {
    {"job:errors:rate1m", "sum by (job) (rate(errors_total[1m]))"},
    // A zero denominator is filtered out: promtool cannot expect a NaN (NaN equals nothing).
    {"job:error_ratio:rate1m", "job:errors:rate1m / on (job) (sum by (job) (rate(requests_total[1m])) > 0)"},
    {"instances:up:count", "count(up == 1)"},
};

std::string rulesYaml()
{
    std::string y = "groups:\n  - name: recorded\n    interval: 15s\n    rules:\n";
    for (const auto &[name, expr] : kRecorded)
        y += "      - record: " + std::string(name) + "\n        expr: " + yamlQuoted(expr) + "\n";
    y += "  - name: pulse\n    interval: 15s\n    rules:\n";
    for (const auto &r : rules()) {
        y += "      - alert: " + std::string(r.name) + "\n        expr: " + yamlQuoted(r.expr) + "\n";
        y += "        for: " + std::to_string(r.forMs / 1000) + "s\n";
        if (r.keepFiringForMs > 0)
            y += "        keep_firing_for: " + std::to_string(r.keepFiringForMs / 1000) + "s\n";
        y += "        labels:\n";
        for (const auto &[k, v] : r.labels)
            y += "          " + k + ": " + yamlQuoted(v) + "\n";
        y += "        annotations:\n";
        for (const auto &[k, v] : r.annotations)
            y += "          " + k + ": " + yamlQuoted(v) + "\n";
    }
    return y;
}

} // namespace

class TstAlertRulesPromtool : public QObject {
    Q_OBJECT
private slots:
    void promtoolAgreesAtEveryStep();
};

void TstAlertRulesPromtool::promtoolAgreesAtEveryStep()
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty())
        QSKIP("'promtool' is not on PATH (Debian package 'prometheus'; scripts/test installs it)");

    MemoryHistory history(24LL * 3600 * 1000);
    for (const auto &in : kSeries) {
        auto line = promql::parseSeriesLine(std::string(in.series) + " " + in.values);
        QVERIFY2(line, line ? "" : line.error().message.c_str());
        for (std::size_t i = 0; i < line->values.size(); ++i)
            if (line->values[i])
                history.append(line->metric, line->labels, static_cast<std::int64_t>(i) * kStepMs, *line->values[i]);
    }
    std::vector<AlertRuleConfig> configs;
    for (const auto &r : rules()) {
        AlertRuleConfig c;
        c.name = r.name;
        c.expr = r.expr;
        c.forDuration = Duration(r.forMs);
        c.keepFiringFor = Duration(r.keepFiringForMs);
        for (const auto &[k, v] : r.labels)
            c.labels.set(k, v);
        c.annotations = r.annotations;
        configs.push_back(std::move(c));
    }
    auto evaluator = AlertEvaluator::create(configs);
    QVERIFY2(evaluator, evaluator ? "" : evaluator.error().message.c_str());
    const promql::Engine engine(history);

    std::string tests = "rule_files: [rules.yml]\nevaluation_interval: 15s\ntests:\n  - interval: 15s\n"
                        "    input_series:\n";
    for (const auto &in : kSeries)
        tests += "      - series: " + yamlQuoted(in.series) + "\n        values: " + yamlQuoted(in.values) + "\n";
    tests += "    alert_rule_test:\n";
    int firingSeen = 0;
    std::map<std::string, int> firingByRule;
    for (int step = 0; step < kSteps; ++step) {
        const std::int64_t t = step * kStepMs;
        const AlertEvaluation e = evaluator->evaluate(engine, t);
        for (const auto &h : e.health)
            QVERIFY2(h.error.empty(), (h.rule + ": " + h.error).c_str());
        for (const auto &r : rules()) {
            tests += "      - eval_time: " + std::to_string(t / 1000) + "s\n        alertname: " + r.name +
                     "\n        exp_alerts:";
            std::string alerts;
            for (const auto &a : e.alerts) {
                if (a.rule != r.name || a.state != AlertState::Firing)
                    continue;
                ++firingSeen;
                ++firingByRule[a.rule];
                alerts += "\n          - exp_labels:";
                for (const auto &l : a.labels)
                    if (l.name != "alertname")
                        alerts += "\n              " + l.name + ": " + yamlQuoted(l.value);
                alerts += "\n            exp_annotations:";
                for (const auto &[k, v] : a.annotations)
                    alerts += "\n              " + k + ": " + yamlQuoted(v);
            }
            tests += alerts.empty() ? " []\n" : alerts + "\n";
        }
    }
    // The scenario must exercise every rule, or agreeing would prove little.
    for (const auto &r : rules())
        QVERIFY2(firingByRule[r.name] > 0, r.name);
    // Recording rules: what our engine records at each step (each rule reading the ones before it,
    // as a group runs them) is what a query of the recorded series must return there.
    tests += "    promql_expr_test:\n";
    int recordedSeen = 0;
    for (int step = 0; step < kSteps; ++step) {
        const std::int64_t t = step * kStepMs;
        for (const auto &[name, expr] : kRecorded) {
            auto result = engine.instantQuery(expr, t);
            QVERIFY2(result, result ? "" : result.error().message.c_str());
            tests += "      - expr: " + std::string(name) + "\n        eval_time: " + std::to_string(t / 1000) +
                     "s\n        exp_samples:";
            std::string samples;
            for (const auto &sample : result->vector) {
                history.append(name, sample.labels, t, sample.value);
                char value[32];
                std::snprintf(value, sizeof value, "%.17g", sample.value);
                samples += "\n          - labels: " + yamlQuoted(std::string(name) + sample.labels.toString()) +
                           "\n            value: " + (std::isnan(sample.value) ? std::string("NaN") : std::string(value));
                ++recordedSeen;
            }
            tests += samples.empty() ? " []\n" : samples + "\n";
        }
    }
    QVERIFY(recordedSeen > 0);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const auto &[name, text] : {std::pair{QStringLiteral("rules.yml"), rulesYaml()},
                                     std::pair{QStringLiteral("tests.yml"), tests}}) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text.data(), static_cast<qint64>(text.size()));
    }
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(promtool, {QStringLiteral("test"), QStringLiteral("rules"), QStringLiteral("tests.yml")});
    QVERIFY(p.waitForFinished(60'000));
    const QByteArray output = p.readAll();
    if (p.exitCode() != 0)
        std::fprintf(stderr, "--- tests.yml ---\n%s\n--- promtool ---\n%s\n", tests.c_str(), output.constData());
    QVERIFY2(p.exitCode() == 0, "promtool disagrees with our alert states (see above)");
    QVERIFY(output.contains("SUCCESS"));
    std::printf("%d firing alert instances and %d recorded samples over %d evaluations agreed with promtool\n",
                firingSeen, recordedSeen, kSteps);
    // The same files, unchanged, through `pulsectl rules check` and `pulsectl rules test`.
    for (const QStringList &args : {QStringList{QStringLiteral("rules"), QStringLiteral("check"), QStringLiteral("rules.yml")},
                                    QStringList{QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("tests.yml")}}) {
        QProcess ours;
        ours.setWorkingDirectory(dir.path());
        ours.setProcessChannelMode(QProcess::MergedChannels);
        ours.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"), args);
        QVERIFY(ours.waitForFinished(60'000));
        const QByteArray said = ours.readAll();
        QVERIFY2(ours.exitCode() == 0 && said.contains("SUCCESS"), said.constData());
    }
}

QTEST_GUILESS_MAIN(TstAlertRulesPromtool)
#include "tst_alert_rules_promtool.moc"
