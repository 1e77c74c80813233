// `pulsectl rules check|test` through the real binary: promtool's inputs accepted as promtool
// accepts them (an empty labels:, groups evaluated in order, recording rules feeding alerts), bad
// rules at FILE:LINE:COL, failed expectations shown as expected/got, exit codes.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
};

constexpr const char *kRules = R"(groups:
  - name: recorded
    rules:
      - record: job:errors:rate1m
        expr: sum by (job) (rate(errors_total[1m]))
        labels:
  - name: alerts
    rules:
      - alert: ErrorsHigh
        expr: job:errors:rate1m > 0.05
        for: 1m
        labels: {severity: warning}
        annotations: {summary: '{{ $labels.job }} errors at {{ $value | printf "%.2f" }}/s'}
)";

constexpr const char *kTests = R"(rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'errors_total{job="api",instance="a:80"}'
        values: '0+0x3 0+6x6'
    alert_rule_test:
      - eval_time: 4m
        alertname: ErrorsHigh
        exp_alerts: []
      - eval_time: 7m
        alertname: ErrorsHigh
        exp_alerts:
          - exp_labels: {severity: warning, job: api}
            exp_annotations: {summary: 'api errors at 0.10/s'}
    promql_expr_test:
      - expr: job:errors:rate1m
        eval_time: 7m
        exp_samples:
          - labels: 'job:errors:rate1m{job="api"}'
            value: 0.1
)";

} // namespace

class TstPulsectlRules : public QObject {
    Q_OBJECT
private slots:
    void checkCountsRules();
    void checkReportsEveryProblem();
    void testPasses();
    void testShowsWhatDiffered();
    void startTimestampAndEmptyGlobs();
    void usage();

private:
    Run run(const QStringList &args);
    QString write(const QString &name, const QByteArray &text);
    QTemporaryDir m_dir;
};

Run TstPulsectlRules::run(const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"), QStringList{QStringLiteral("rules")} + args);
    Run r;
    if (!p.waitForFinished(60000))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAll();
    return r;
}

QString TstPulsectlRules::write(const QString &name, const QByteArray &text)
{
    QFile f(m_dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return name;
}

void TstPulsectlRules::checkCountsRules()
{
    write(QStringLiteral("rules.yml"), kRules);
    const Run r = run({QStringLiteral("check"), QStringLiteral("rules.yml")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("Checking rules.yml\n  SUCCESS: 2 rules found\n"));
}

void TstPulsectlRules::checkReportsEveryProblem()
{
    write(QStringLiteral("bad.yml"), "groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: up ==\n"
                                     "      - record: bad-name\n        expr: up\n        for: 1m\n"
                                     "      - expr: up\n");
    const Run r = run({QStringLiteral("check"), QStringLiteral("bad.yml")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("bad.yml:5:15: groups[0].rules[0].expr: invalid PromQL"), r.out.constData());
    QVERIFY2(r.out.contains("bad.yml:6:17: groups[0].rules[1].record: invalid metric name 'bad-name'"),
             r.out.constData());
    QVERIFY2(r.out.contains("'for' is for alerting rules, not recording rules"), r.out.constData());
    QVERIFY2(r.out.contains("groups[0].rules[2]: a rule has either 'alert' or 'record'"), r.out.constData());
}

void TstPulsectlRules::testPasses()
{
    write(QStringLiteral("rules.yml"), kRules);
    write(QStringLiteral("tests.yml"), kTests);
    const Run r = run({QStringLiteral("test"), QStringLiteral("tests.yml")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("Unit Testing:  tests.yml\n  SUCCESS\n"));
}

void TstPulsectlRules::testShowsWhatDiffered()
{
    write(QStringLiteral("rules.yml"), kRules);
    QByteArray wrong(kTests);
    wrong.replace("value: 0.1", "value: 0.2");
    wrong.replace("api errors at 0.10/s", "api errors at 9/s");
    write(QStringLiteral("wrong.yml"), wrong);
    const Run r = run({QStringLiteral("test"), QStringLiteral("wrong.yml")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith("Unit Testing:  wrong.yml\n  FAILED:\n"), r.out.constData());
    QVERIFY2(r.out.contains("alertname: ErrorsHigh, time: 7m"), r.out.constData());
    QVERIFY2(r.out.contains(R"(Annotations:{summary="api errors at 9/s"})"), r.out.constData());
    QVERIFY2(r.out.contains(R"(Annotations:{summary="api errors at 0.10/s"})"), r.out.constData());
    QVERIFY2(r.out.contains(R"(expr: "job:errors:rate1m", time: 7m)"), r.out.constData());
    QVERIFY2(r.out.contains(R"(exp: job:errors:rate1m{job="api"} 0.20000000000000001)"), r.out.constData());
    // A rule file that is missing is said so, not a crash.
    write(QStringLiteral("orphan.yml"), QByteArray(kTests).replace("rules.yml", "missing.yml"));
    const Run orphan = run({QStringLiteral("test"), QStringLiteral("orphan.yml")});
    QCOMPARE(orphan.exitCode, 1);
    QVERIFY2(orphan.out.contains("missing.yml: cannot read"), orphan.out.constData());
}

// Newer promtool's start_timestamp (Unix seconds or RFC 3339) moves the test's time 0; a rule_files
// glob that matches nothing is not an error (promtool's rule), a plain missing file is.
void TstPulsectlRules::startTimestampAndEmptyGlobs()
{
    write(QStringLiteral("rules.yml"), kRules);
    for (const char *start : {"1700000000", "'2023-11-14T22:13:20Z'"}) {
        QByteArray shifted(kTests);
        shifted.replace("  - interval: 1m\n", QByteArray("  - interval: 1m\n    start_timestamp: ") + start + "\n");
        shifted.replace("rule_files: [rules.yml]", "rule_files: [rules.yml, 'none/*.yml']");
        write(QStringLiteral("shifted.yml"), shifted);
        const Run r = run({QStringLiteral("test"), QStringLiteral("shifted.yml")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
    }
    write(QStringLiteral("badstart.yml"), QByteArray(kTests).replace("  - interval: 1m\n", "  - interval: 1m\n    start_timestamp: soon\n"));
    const Run bad = run({QStringLiteral("test"), QStringLiteral("badstart.yml")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.out.contains("tests[0].start_timestamp: expected Unix seconds or an RFC 3339 time"), bad.out.constData());
}

void TstPulsectlRules::usage()
{
    QCOMPARE(run({}).exitCode, 2);
    QCOMPARE(run({QStringLiteral("lint"), QStringLiteral("x.yml")}).exitCode, 2);
    QCOMPARE(run({QStringLiteral("check")}).exitCode, 2);
    QCOMPARE(run({QStringLiteral("--help")}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TstPulsectlRules)
#include "tst_pulsectl_rules.moc"
