// Runs Prometheus's own PromQL test files (v2.42) through our engine; fails on any wrong answer.
#include "core/promql/series_notation.h"
#include "core/promql_testing/promql_test_runner.h"

#include <QDir>
#include <QTest>

#include <cstdio>

using pulse::promql::CaseResult;
using pulse::promql::PromqlTestRunner;

class TestPromqlConformance : public QObject {
    Q_OBJECT
private slots:
    void runAllFiles();
    void seriesNotationIsBounded();
};

void TestPromqlConformance::runAllFiles()
{
    const QDir dir(QStringLiteral(PULSE_SHARED_DIR "/conformance/promql-2.42"));
    const QStringList files = dir.entryList({QStringLiteral("*.test")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no PromQL conformance files in %1").arg(dir.absolutePath())));

    const PromqlTestRunner runner;
    int passed = 0;
    int failed = 0;
    int unsupported = 0;
    QStringList failures;
    for (const QString &name : files) {
        auto results = runner.runFile(dir.filePath(name).toStdString());
        QVERIFY2(results.has_value(), results ? "" : results.error().message.c_str());
        int filePassed = 0;
        int fileFailed = 0;
        int fileUnsupported = 0;
        for (const auto &r : *results) {
            switch (r.outcome) {
            case CaseResult::Outcome::Passed: ++filePassed; break;
            case CaseResult::Outcome::Failed:
                ++fileFailed;
                failures << QString::fromStdString(r.message);
                break;
            case CaseResult::Outcome::Unsupported:
                ++fileUnsupported;
                std::printf("  unsupported: %s\n", r.message.c_str());
                break;
            }
        }
        std::printf("%-22s passed %3d  failed %3d  unsupported %3d\n", qPrintable(name), filePassed, fileFailed,
                    fileUnsupported);
        passed += filePassed;
        failed += fileFailed;
        unsupported += fileUnsupported;
    }
    std::printf("%-22s passed %3d  failed %3d  unsupported %3d\n", "TOTAL", passed, failed, unsupported);
    for (const QString &f : failures)
        std::printf("FAILED %s\n", qPrintable(f));
    std::fflush(stdout);
    QCOMPARE(failed, 0);
}

void TestPromqlConformance::seriesNotationIsBounded()
{
    // Eleven bytes of a test file must not ask for 16 GB: one item, and a whole line, expand to at
    // most kMaxSeriesValues values.
    auto ok = pulse::promql::parseSeriesLine("m{a=\"b\"} 0+1x10000 _x5 stale");
    QVERIFY(ok);
    QCOMPARE(ok->values.size(), std::size_t(10001 + 5 + 1));
    QVERIFY(pulse::promql::parseSeriesLine("m 1x1000000").has_value() == false); // 1,000,001 values
    QVERIFY(!pulse::promql::parseSeriesLine("m 1x999999999"));
    QVERIFY(!pulse::promql::parseSeriesLine("m _x999999999"));
    auto many = pulse::promql::parseSeriesLine("m 1x600000 2x600000");
    QVERIFY(!many);
    QVERIFY2(many.error().message.find("more than 1000000 values") != std::string::npos, many.error().message.c_str());
}

QTEST_APPLESS_MAIN(TestPromqlConformance)
#include "tst_promql_conformance.moc"
