// A rule is compiled once: the config loader compiles it to check it and keeps the result in the
// rule's description, and the rules engine and the charts' alert links reuse it instead of parsing
// the expression and templates again. A description edited afterwards is compiled afresh.
#include "core/alerting/alert_evaluator.h"
#include "core/alerting/alert_rule.h"
#include "core/config/config_loader.h"

#include <QTest>

using namespace pulse;

class TstRuleCompileOnce : public QObject {
    Q_OBJECT
private slots:
    void loaderCompilesAndOthersReuse()
    {
        const std::uint64_t before = AlertRule::compilations();
        auto config = loadConfig(R"(alerts:
  - name: ApiDown
    expr: up{job="api"} == 0
    for: 30s
    annotations: {summary: '{{ $labels.instance }} is down'}
  - name: SlowRequests
    expr: histogram_quantile(0.95, sum by (le) (rate(request_seconds_bucket[5m]))) > 0.5
)",
                                 "rules.yaml");
        QVERIFY(config);
        QCOMPARE(AlertRule::compilations(), before + 2);
        QVERIFY(config->alerts[0].compiled);

        auto evaluator = AlertEvaluator::create(config->alerts);
        QVERIFY(evaluator);
        for (const AlertRuleConfig &rule : config->alerts)
            QVERIFY(AlertRule::compile(rule));
        QCOMPARE(AlertRule::compilations(), before + 2); // nothing compiled again
        QCOMPARE(evaluator->rules()[1].threshold()->value, 0.5);

        // An edited copy does not run the old expression.
        AlertRuleConfig edited = config->alerts[0];
        edited.expr = "up{job=\"web\"} == 0";
        auto recompiled = AlertRule::compile(edited);
        QVERIFY(recompiled);
        QCOMPARE(AlertRule::compilations(), before + 3);
        QCOMPARE(recompiled->metricNames(), std::vector<std::string>{"up"});
    }
};

QTEST_GUILESS_MAIN(TstRuleCompileOnce)
#include "tst_rule_compile_once.moc"
