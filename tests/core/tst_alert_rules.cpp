// Alert rules: annotation templates, the pending → firing → resolved state machine with `for:` and
// `keep_firing_for:`, the ALERTS series, restoring `for` state, silences and acknowledgements.
// Time is a number handed to evaluate(), so nothing here sleeps.
#include "core/alerting/alert_evaluator.h"
#include "core/alerting/alert_template.h"
#include "core/alerting/humanize.h"
#include "core/alerting/silence_list.h"
#include "core/promql/engine.h"
#include "core/selection/memory_history.h"

#include <QTest>

#include <algorithm>

using namespace pulse;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;
constexpr std::int64_t kSecond = 1000;

AlertRuleConfig rule(std::string name, std::string expr, std::int64_t forMs = 0, std::int64_t keepMs = 0)
{
    AlertRuleConfig config;
    config.name = std::move(name);
    config.expr = std::move(expr);
    config.forDuration = Duration(forMs);
    config.keepFiringFor = Duration(keepMs);
    return config;
}

std::string expand(std::string_view text, const Labels &labels = {}, double value = 0)
{
    auto t = AlertTemplate::compile(text);
    if (!t)
        return "ERROR " + t.error().message;
    return t->expand(labels, value);
}

/// Fixture: a memory history with `up` for two jobs, written every 10 s.
struct World {
    MemoryHistory history{24LL * 3600 * 1000};
    promql::Engine engine{history};
    void up(std::string_view job, std::int64_t t, double v)
    {
        history.append("up", Labels{{"job", std::string(job)}, {"instance", "h:1"}}, t, v);
    }
};

std::vector<AlertState> states(const std::vector<AlertTransition> &ts)
{
    std::vector<AlertState> out;
    for (const auto &t : ts)
        out.push_back(t.alert.state);
    return out;
}

} // namespace

class TestAlertRules : public QObject {
    Q_OBJECT
private slots:
    void templatesExpandLabelsAndValue();
    void templateFunctions();
    void templateErrorsHaveColumns();
    void humanizeLikePrometheus();
    void compileRejectsBadRules();
    void thresholdAndMetricNames();
    void pendingThenFiringThenResolved();
    void zeroForFiresAtOnce();
    void pendingThatVanishesIsDropped();
    void keepFiringFor();
    void resolvedKeptFifteenMinutes();
    void duplicateLabelSetsAreAnError();
    void queryErrorKeepsState();
    void instancesPerRuleAreLimited();
    void alertsSeriesAndStaleness();
    void groupIntervalsPaceTheirRules();
    void restoreKeepsActiveAt();
    void readerChosenByDataSpan();
    void silencesAndAcks();
    void silenceMatchersAreChecked();
    void silencesRoundTripThroughJson();
};

void TestAlertRules::templatesExpandLabelsAndValue()
{
    const Labels l{{"job", "api"}, {"instance", "h:9100"}};
    QCOMPARE(expand("{{ $labels.job }} is down", l), std::string("api is down"));
    QCOMPARE(expand("{{.Labels.instance}} = {{ .Value }}", l, 0.5), std::string("h:9100 = 0.5"));
    QCOMPARE(expand("v={{$value}}", l, 1e21), std::string("v=1e+21"));
    QCOMPARE(expand("missing: [{{ $labels.nope }}]", l), std::string("missing: []"));
    QCOMPARE(expand("a  {{- $labels.job -}}  b", l), std::string("aapib"));
    QCOMPARE(expand("no actions at all", l), std::string("no actions at all"));
    // Label values are inserted byte-exact: templates are not HTML and never interpret them.
    const Labels evil{{"job", "<b>x</b> {{ $value }}"}};
    QCOMPARE(expand("{{ $labels.job }}", evil, 3), std::string("<b>x</b> {{ $value }}"));
}

void TestAlertRules::templateFunctions()
{
    const Labels l{{"job", "api"}, {"le", "0.5"}};
    QCOMPARE(expand("{{ $value | humanize }}", l, 1234567), std::string("1.235M"));
    QCOMPARE(expand("{{ humanizePercentage $value }}", l, 0.1234), std::string("12.34%"));
    QCOMPARE(expand("{{ $value | humanizeDuration }}", l, 93784), std::string("1d 2h 3m 4s"));
    QCOMPARE(expand("{{ printf \"%.2f\" $value }}", l, 2.0 / 3), std::string("0.67"));
    QCOMPARE(expand("{{ printf \"%s/%d%%\" $labels.job 42 }}", l), std::string("api/42%"));
    // Widths and precisions over 1e6 stop the format as Go's fmt does, instead of padding gigabytes.
    QCOMPARE(expand("{{ printf \"a%999999999db\" 1 }}", l), std::string("a%!(NOVERB)"));
    QCOMPARE(expand("{{ printf \"%.2000000f\" 1 }}", l), std::string("%!(NOVERB)"));
    QCOMPARE(expand("{{ printf \"%1000000d\" 7 }}", l).size(), std::size_t(1000000));
    QCOMPARE(expand("{{ index $labels \"le\" }}", l), std::string("0.5"));
    QCOMPARE(expand("{{ $labels.job | toUpper }}", l), std::string("API"));
    QCOMPARE(expand("{{ $labels.job | humanize }}", l), std::string("<error: humanize needs a number, got \"api\">"));
}

void TestAlertRules::templateErrorsHaveColumns()
{
    QCOMPARE(expand("x {{ $labels.job"), std::string("ERROR col 3: unclosed action: '{{' without '}}'"));
    QVERIFY(expand("{{ if $value }}y{{ end }}").starts_with("ERROR col 4: 'if' is not supported"));
    QVERIFY(expand("ab {{ humanise $value }}").starts_with("ERROR col 7: unknown function 'humanise'"));
    QVERIFY(expand("{{ $vlaue }}").starts_with("ERROR col 4: unknown variable '$vlaue'"));
    QVERIFY(expand("{{ $value $value }}").starts_with("ERROR col"));
}

void TestAlertRules::humanizeLikePrometheus()
{
    QCOMPARE(humanize(0), std::string("0"));
    QCOMPARE(humanize(1000), std::string("1k"));
    QCOMPARE(humanize(0.0012), std::string("1.2m"));
    QCOMPARE(humanize(-1500000), std::string("-1.5M"));
    QCOMPARE(humanize1024(1048576), std::string("1Mi"));
    QCOMPARE(humanize1024(1), std::string("1"));
    QCOMPARE(humanizeDuration(0), std::string("0s"));
    QCOMPARE(humanizeDuration(61), std::string("1m 1s"));
    QCOMPARE(humanizeDuration(3600), std::string("1h 0m 0s"));
    QCOMPARE(humanizeDuration(1.5), std::string("1.5s"));
    QCOMPARE(humanizeDuration(0.0015), std::string("1.5ms"));
    QCOMPARE(goFloat(0.1), std::string("0.1"));
    QCOMPARE(goFloat(123456), std::string("123456"));
    QCOMPARE(goFloat(0.00001), std::string("1e-05"));
}

void TestAlertRules::compileRejectsBadRules()
{
    auto bad = AlertRule::compile(rule("X", "rate(up[5m]"));
    QVERIFY(!bad);
    QVERIFY2(bad.error().message.starts_with("expr: col"), bad.error().message.c_str());
    auto matrix = AlertRule::compile(rule("X", "up[5m]"));
    QVERIFY(!matrix);
    QVERIFY(matrix.error().message.find("range vector") != std::string::npos);
    AlertRuleConfig withBadAnnotation = rule("X", "up == 0");
    withBadAnnotation.annotations = {{"summary", "{{ $labels.job }} is {{ humanise $value }}"}};
    auto annotated = AlertRule::compile(withBadAnnotation);
    QVERIFY(!annotated);
    QVERIFY2(annotated.error().message.starts_with("annotations.summary: col 25: unknown function"),
             annotated.error().message.c_str());
    const std::vector<AlertRuleConfig> rules{rule("Good", "up == 0"), rule("Bad", "up ==")};
    auto evaluator = AlertEvaluator::create(rules);
    QVERIFY(!evaluator);
    QVERIFY2(evaluator.error().message.starts_with("alerts[1] Bad: expr: col"), evaluator.error().message.c_str());
}

void TestAlertRules::thresholdAndMetricNames()
{
    auto r = AlertRule::compile(rule("Slow", "histogram_quantile(0.95, rate(lat_bucket[5m])) > 0.5"));
    QVERIFY(r && r->threshold());
    QCOMPARE(r->threshold()->expr, std::string("histogram_quantile(0.95, rate(lat_bucket[5m]))"));
    QCOMPARE(r->threshold()->value, 0.5);
    QVERIFY(r->threshold()->op == promql::BinOp::Gtr);
    QCOMPARE(r->metricNames(), std::vector<std::string>{"lat_bucket"});
    auto flipped = AlertRule::compile(rule("Low", "(10 >= free_bytes / total_bytes)"));
    QVERIFY(flipped && flipped->threshold());
    QVERIFY(flipped->threshold()->op == promql::BinOp::Lte);
    QCOMPARE(flipped->threshold()->expr, std::string("free_bytes / total_bytes"));
    QCOMPARE(flipped->metricNames(), (std::vector<std::string>{"free_bytes", "total_bytes"}));
    auto none = AlertRule::compile(rule("Absent", "absent(up{job=\"api\"})"));
    QVERIFY(none && !none->threshold());
    QCOMPARE(none->dataSpanMs(), std::int64_t{5 * 60 * 1000}); // the lookback delta
    auto longRange = AlertRule::compile(rule("Long", "max_over_time(rate(x[5m])[1h:1m] offset 1d) > 1"));
    QCOMPARE(longRange->dataSpanMs(), std::int64_t{(5 * 60 + 3600 + 86400) * 1000LL});
}

void TestAlertRules::pendingThenFiringThenResolved()
{
    World w;
    AlertRuleConfig config = rule("ApiDown", "up{job=\"api\"} == 0", 30 * kSecond);
    config.severity = "critical";
    config.labels = Labels{{"team", "core"}};
    config.annotations = {{"summary", "{{ $labels.job }} on {{ $labels.instance }} is down"}};
    auto r = AlertRule::compile(config);
    QVERIFY(r);
    for (std::int64_t t = 0; t <= 120; t += 10)
        w.up("api", kT0 + t * kSecond, t >= 20 && t < 80 ? 0 : 1);

    QVERIFY(r->evaluate(w.engine, kT0 + 10 * kSecond).empty());
    auto ts = r->evaluate(w.engine, kT0 + 20 * kSecond);
    QCOMPARE(states(ts), std::vector<AlertState>{AlertState::Pending});
    const Alert &a = r->alerts().front();
    QCOMPARE(a.labels.value("alertname"), std::string_view("ApiDown"));
    QCOMPARE(a.labels.value("severity"), std::string_view("critical"));
    QCOMPARE(a.labels.value("team"), std::string_view("core"));
    QCOMPARE(a.labels.value("job"), std::string_view("api"));
    QVERIFY(!a.labels.has("__name__"));
    QCOMPARE(a.annotations.front().second, std::string("api on h:1 is down"));
    QCOMPARE(a.activeAtMs, kT0 + 20 * kSecond);

    QVERIFY(r->evaluate(w.engine, kT0 + 40 * kSecond).empty()); // held 20 s < 30 s
    ts = r->evaluate(w.engine, kT0 + 50 * kSecond);
    QCOMPARE(states(ts), std::vector<AlertState>{AlertState::Firing});
    QCOMPARE(ts.front().from, AlertState::Pending);
    QCOMPARE(r->alerts().front().firedAtMs, kT0 + 50 * kSecond);
    QCOMPARE(r->alerts().front().activeAtMs, kT0 + 20 * kSecond);

    ts = r->evaluate(w.engine, kT0 + 90 * kSecond);
    QCOMPARE(states(ts), std::vector<AlertState>{AlertState::Inactive});
    QCOMPARE(ts.front().from, AlertState::Firing);
    QCOMPARE(r->alerts().size(), std::size_t{1});
    QCOMPARE(r->alerts().front().resolvedAtMs, kT0 + 90 * kSecond);
    QVERIFY(r->health().error.empty());
}

void TestAlertRules::zeroForFiresAtOnce()
{
    World w;
    w.up("api", kT0, 0);
    w.up("db", kT0, 0);
    auto r = AlertRule::compile(rule("Down", "up == 0"));
    const auto ts = r->evaluate(w.engine, kT0);
    QCOMPARE(states(ts), (std::vector<AlertState>{AlertState::Pending, AlertState::Pending, AlertState::Firing,
                                                  AlertState::Firing}));
    QCOMPARE(r->alerts().size(), std::size_t{2});
    QCOMPARE(r->alerts()[0].labels.value("job"), std::string_view("api")); // sorted by labels
}

void TestAlertRules::pendingThatVanishesIsDropped()
{
    World w;
    w.up("api", kT0, 0);
    w.up("api", kT0 + 10 * kSecond, 1);
    auto r = AlertRule::compile(rule("Down", "up == 0", 60 * kSecond));
    QCOMPARE(states(r->evaluate(w.engine, kT0)), std::vector<AlertState>{AlertState::Pending});
    const auto ts = r->evaluate(w.engine, kT0 + 10 * kSecond);
    QCOMPARE(states(ts), std::vector<AlertState>{AlertState::Inactive});
    QCOMPARE(ts.front().from, AlertState::Pending);
    QVERIFY(r->alerts().empty());
}

void TestAlertRules::keepFiringFor()
{
    World w;
    for (std::int64_t t = 0; t <= 100; t += 10)
        w.up("api", kT0 + t * kSecond, t < 20 ? 0 : (t == 40 ? 0 : 1));
    auto r = AlertRule::compile(rule("Down", "up == 0", 0, 30 * kSecond));
    r->evaluate(w.engine, kT0);
    QCOMPARE(r->alerts().front().state, AlertState::Firing);
    QVERIFY(r->evaluate(w.engine, kT0 + 20 * kSecond).empty()); // gone, but kept firing
    QCOMPARE(r->alerts().front().keepFiringSinceMs, kT0 + 20 * kSecond);
    QVERIFY(r->evaluate(w.engine, kT0 + 40 * kSecond).empty()); // back: the count restarts
    QCOMPARE(r->alerts().front().keepFiringSinceMs, std::int64_t{0});
    QVERIFY(r->evaluate(w.engine, kT0 + 50 * kSecond).empty());
    QVERIFY(r->evaluate(w.engine, kT0 + 70 * kSecond).empty()); // 20 s < 30 s
    QCOMPARE(states(r->evaluate(w.engine, kT0 + 80 * kSecond)), std::vector<AlertState>{AlertState::Inactive});
}

void TestAlertRules::resolvedKeptFifteenMinutes()
{
    World w;
    w.up("api", kT0, 0);
    for (std::int64_t t = 60; t <= 3600; t += 60)
        w.up("api", kT0 + t * kSecond, 1);
    auto r = AlertRule::compile(rule("Down", "up == 0"));
    r->evaluate(w.engine, kT0);
    r->evaluate(w.engine, kT0 + 60 * kSecond);
    QCOMPARE(r->alerts().front().state, AlertState::Inactive);
    r->evaluate(w.engine, kT0 + 60 * kSecond + AlertRule::kResolvedRetentionMs);
    QCOMPARE(r->alerts().size(), std::size_t{1});
    r->evaluate(w.engine, kT0 + 120 * kSecond + AlertRule::kResolvedRetentionMs);
    QVERIFY(r->alerts().empty());
}

void TestAlertRules::duplicateLabelSetsAreAnError()
{
    World w;
    w.history.append("a", Labels{{"job", "x"}}, kT0, 1);
    w.history.append("b", Labels{{"job", "x"}}, kT0, 1);
    auto r = AlertRule::compile(rule("Dup", "{job=\"x\"} > 0"));
    QVERIFY(r->evaluate(w.engine, kT0).empty());
    QCOMPARE(r->health().error,
             std::string("vector contains metrics with the same labelset after applying alert labels"));
    QVERIFY(r->alerts().empty());
}

void TestAlertRules::queryErrorKeepsState()
{
    World w;
    w.up("api", kT0, 0);
    w.history.append("x", Labels{{"k", "1"}}, kT0, 1);
    w.history.append("x", Labels{{"k", "2"}}, kT0, 1);
    // Many-to-many matching fails at evaluation time only, once both sides have data.
    auto r = AlertRule::compile(rule("M", "up == 0 and on() x"));
    QVERIFY(r);
    r->evaluate(w.engine, kT0);
    const auto before = r->alerts().size();
    auto broken = AlertRule::compile(rule("Broken", "x + on() x"));
    QVERIFY(broken);
    QVERIFY(broken->evaluate(w.engine, kT0).empty());
    QVERIFY(!broken->health().error.empty());
    QCOMPARE(r->alerts().size(), before);
}

void TestAlertRules::instancesPerRuleAreLimited()
{
    // A rule that matches every series of a churning metric: over its limit (1,000 by default) the
    // evaluation fails like a failed query — health names the limit, the alerts stay as they were.
    World w;
    for (int i = 0; i < 5; ++i)
        w.history.append("errors", Labels{{"id", std::to_string(i)}}, kT0, 1);
    AlertRuleConfig config = rule("Errors", "errors > 0");
    QCOMPARE(config.limit, std::uint64_t(1000));
    config.limit = 5;
    auto r = AlertRule::compile(config);
    QVERIFY(r);
    r->evaluate(w.engine, kT0);
    QCOMPARE(r->alerts().size(), std::size_t(5));
    QVERIFY(r->health().error.empty());
    for (int i = 5; i < 2000; ++i)
        w.history.append("errors", Labels{{"id", std::to_string(i)}}, kT0 + 10 * kSecond, 1);
    for (int i = 0; i < 5; ++i)
        w.history.append("errors", Labels{{"id", std::to_string(i)}}, kT0 + 10 * kSecond, 1);
    QVERIFY(r->evaluate(w.engine, kT0 + 10 * kSecond).empty());
    QCOMPARE(
        r->health().error,
        std::string("exceeded limit of 5 with 2000 alerts (the rule's `limit`: narrow the expression, or raise it)"));
    QCOMPARE(r->alerts().size(), std::size_t(5));
    // 0: no limit, as in Prometheus.
    config.limit = 0;
    auto unlimited = AlertRule::compile(config);
    unlimited->evaluate(w.engine, kT0 + 10 * kSecond);
    QCOMPARE(unlimited->alerts().size(), std::size_t(2000));
}

void TestAlertRules::alertsSeriesAndStaleness()
{
    World w;
    w.up("api", kT0, 0);
    w.up("api", kT0 + 10 * kSecond, 0);
    w.up("api", kT0 + 20 * kSecond, 1);
    const std::vector<AlertRuleConfig> rules{rule("Down", "up == 0", 5 * kSecond)};
    auto ev = AlertEvaluator::create(rules);
    QVERIFY(ev);
    auto e0 = ev->evaluate(w.engine, kT0);
    QCOMPARE(e0.series.samples.size(), std::size_t{2});
    QCOMPARE(e0.series.samples[0].metric, std::string("ALERTS"));
    QCOMPARE(e0.series.samples[0].labels.value("alertstate"), std::string_view("pending"));
    QCOMPARE(e0.series.samples[1].metric, std::string("ALERTS_FOR_STATE"));
    QCOMPARE(e0.series.samples[1].value, static_cast<double>(kT0) / 1000);
    auto e1 = ev->evaluate(w.engine, kT0 + 10 * kSecond);
    // firing now: the pending series ends with a staleness marker
    QCOMPARE(e1.series.samples.size(), std::size_t{3});
    QCOMPARE(e1.series.samples[0].labels.value("alertstate"), std::string_view("firing"));
    QVERIFY(isStaleMarker(e1.series.samples[2].value));
    QCOMPARE(e1.series.samples[2].labels.value("alertstate"), std::string_view("pending"));
    auto e2 = ev->evaluate(w.engine, kT0 + 20 * kSecond);
    QCOMPARE(e2.series.samples.size(), std::size_t{2});
    QVERIFY(std::ranges::all_of(e2.series.samples, [](const Sample &s) { return isStaleMarker(s.value); }));
    QCOMPARE(e2.alerts.size(), std::size_t{1});
    QCOMPARE(e2.alerts.front().state, AlertState::Inactive);
    QCOMPARE(e2.health.size(), std::size_t{1});
}

void TestAlertRules::groupIntervalsPaceTheirRules()
{
    // Evaluations every 10 s; Slow's group has `interval: 30s`. Slow runs at 0, 30 and 60 s only:
    // in between it keeps its alert and writes no ALERTS sample, and its last one is not ended by a
    // staleness marker; Fast runs every time. `for: 20s` counts in Slow's own evaluations.
    World w;
    for (std::int64_t t = 0; t <= 60; t += 10)
        w.up("api", kT0 + t * kSecond, 0);
    AlertRuleConfig slow = rule("Slow", "up == 0", 20 * kSecond);
    slow.interval = Duration(30 * kSecond);
    const std::vector<AlertRuleConfig> rules{slow, rule("Fast", "up == 0")};
    auto ev = AlertEvaluator::create(rules);
    QVERIFY(ev);
    const auto samplesOf = [](const AlertEvaluation &e, std::string_view alertname) {
        return std::ranges::count_if(e.series.samples, [&](const Sample &s) {
            return s.labels.value("alertname") == alertname && !isStaleMarker(s.value);
        });
    };
    const auto stateOf = [](const AlertEvaluation &e, std::string_view name) {
        for (const Alert &a : e.alerts)
            if (a.rule == name)
                return a.state;
        return AlertState::Inactive;
    };
    for (std::int64_t t = 0; t <= 60; t += 10) {
        const AlertEvaluation e = ev->evaluate(w.engine, kT0 + t * kSecond);
        const bool slowRuns = t % 30 == 0;
        QCOMPARE(samplesOf(e, "Slow"), slowRuns ? 2 : 0);
        QCOMPARE(samplesOf(e, "Fast"), 2);
        // Only Slow's pending series ends, when it fires at 30 s; nothing ends between its runs.
        const auto stale =
            std::ranges::count_if(e.series.samples, [](const Sample &s) { return isStaleMarker(s.value); });
        QCOMPARE(stale, t == 30 ? 1 : 0);
        QCOMPARE(e.health.size(), std::size_t{2});
        QCOMPARE(stateOf(e, "Slow"), t < 30 ? AlertState::Pending : AlertState::Firing); // fired at 30 s
        QCOMPARE(stateOf(e, "Fast"), AlertState::Firing);
        if (t == 30) {
            QCOMPARE(e.transitions.size(), std::size_t{1});
            QCOMPARE(e.transitions.front().alert.rule, std::string("Slow"));
        } else if (t > 0) {
            QVERIFY(e.transitions.empty());
        }
    }
}

void TestAlertRules::restoreKeepsActiveAt()
{
    World w;
    for (std::int64_t t = 0; t <= 60; t += 10)
        w.up("api", kT0 + t * kSecond, 0);
    const std::vector<AlertRuleConfig> rules{rule("Down", "up == 0", 45 * kSecond)};
    auto first = AlertEvaluator::create(rules);
    for (std::int64_t t = 0; t <= 30; t += 10) {
        for (const auto &s : first->evaluate(w.engine, kT0 + t * kSecond).series.samples)
            w.history.append(s.metric, s.labels, s.timestampMs, s.value);
    }
    // A restart at 50 s: without restoring, `for: 45s` would count again from 50 s.
    auto second = AlertEvaluator::create(rules);
    second->restore(w.engine, kT0 + 50 * kSecond);
    auto e = second->evaluate(w.engine, kT0 + 50 * kSecond);
    QCOMPARE(e.alerts.size(), std::size_t{1});
    QCOMPARE(e.alerts.front().activeAtMs, kT0);
    QCOMPARE(e.alerts.front().state, AlertState::Firing);
}

void TestAlertRules::readerChosenByDataSpan()
{
    World w;
    w.up("api", kT0, 0);
    const std::vector<AlertRuleConfig> rules{rule("Down", "up == 0"), rule("Flappy", "changes(up[2h]) > 3")};
    auto ev = AlertEvaluator::create(rules);
    std::vector<std::int64_t> asked;
    const auto e = ev->evaluate(
        [&](std::int64_t startMs) -> const HistoryReader & {
            asked.push_back(startMs);
            return w.history;
        },
        kT0);
    QCOMPARE(asked, (std::vector<std::int64_t>{kT0 - 5 * 60 * 1000, kT0 - 2 * 3600 * 1000}));
    QCOMPARE(e.alerts.size(), std::size_t{1});
}

void TestAlertRules::silencesAndAcks()
{
    World w;
    w.up("api", kT0, 0);
    w.up("db", kT0, 0);
    w.up("api", kT0 + 10 * kSecond, 1);
    w.up("db", kT0 + 10 * kSecond, 0);
    auto r = AlertRule::compile(rule("Down", "up == 0"));
    r->evaluate(w.engine, kT0);
    SilenceList list;
    auto matchers = parseMatchers("alertname=\"Down\", job=~\"d.*\"");
    QVERIFY(matchers);
    const auto id = list.add({0, *matchers, kT0 - 1, kT0 + 3600 * kSecond, "maintenance"});
    std::vector<Alert> alerts = r->alerts();
    list.acknowledge(alerts[0].key()); // api
    list.apply(alerts, kT0);
    QCOMPARE(alerts[0].silencedBy, std::uint64_t{0});
    QVERIFY(alerts[0].acknowledged);
    QCOMPARE(alerts[1].silencedBy, id);
    QVERIFY(!alerts[1].acknowledged);

    r->evaluate(w.engine, kT0 + 10 * kSecond); // api resolves: its acknowledgement is dropped
    alerts = r->alerts();
    list.apply(alerts, kT0 + 10 * kSecond);
    QVERIFY(list.acknowledged().empty());
    QVERIFY(list.expire(id, kT0 + 10 * kSecond));
    list.apply(alerts, kT0 + 10 * kSecond);
    QVERIFY(std::ranges::all_of(alerts, [](const Alert &a) { return a.silencedBy == 0; }));
    QVERIFY(!list.expire(99, kT0));
    list.prune(kT0 + 20 * kSecond, 5 * kSecond);
    QVERIFY(list.silences().empty());
}

void TestAlertRules::silenceMatchersAreChecked()
{
    QVERIFY(!parseMatchers(""));
    auto matchAll = parseMatchers("job=~\".*\"");
    QVERIFY(!matchAll); // would silence everything
    auto badRegex = parseMatchers("job=~\"(\"");
    QVERIFY(!badRegex);
    auto metric = parseMatchers("up{job=\"x\"}");
    QVERIFY(!metric);
    auto ok = parseMatchers("{severity!=\"info\", job=\"a\\\"b\"}");
    QVERIFY(ok);
    Silence s{1, *ok, 0, 1, {}};
    QCOMPARE(s.matchersText(), std::string("{severity!=\"info\", job=\"a\\\"b\"}"));
    QVERIFY(s.matches(Labels{{"job", "a\"b"}}));
    QVERIFY(!s.matches(Labels{{"job", "a\"b"}, {"severity", "info"}}));
}

void TestAlertRules::silencesRoundTripThroughJson()
{
    SilenceList list;
    list.add({0, *parseMatchers("job=\"a\""), 10, 20, "ünïcode \"quoted\""});
    list.add({0, *parseMatchers("job=~\"b|c\""), 30, 40, {}});
    list.acknowledge("Down{alertname=\"Down\"}");
    auto back = SilenceList::fromJson(list.toJson());
    QVERIFY(back);
    QCOMPARE(back->toJson(), list.toJson());
    QCOMPARE(back->silences()[0].comment, std::string("ünïcode \"quoted\""));
    QCOMPARE(back->add({0, *parseMatchers("x=\"1\""), 0, 1, {}}), std::uint64_t{3});
    QVERIFY(!SilenceList::fromJson("{not json"));
    QVERIFY(!SilenceList::fromJson("{\"version\": 7}"));
}

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alert_rules.moc"
