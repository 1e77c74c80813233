// `pulsectl promql-test` over Prometheus's own PromQL test files (../shared/conformance/promql-2.42):
// exit 0 and a closing line "N passed, 0 failed, K unsupported"; failures are reported with file:line.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

class TstPulsectlPromqlTest : public QObject {
    Q_OBJECT
private slots:
    void conformanceSuite();
    void reportsFailuresWithFileAndLine();
    void usage();

private:
    static QString pulsectl() { return QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"); }
};

void TstPulsectlPromqlTest::conformanceSuite()
{
    const QDir dir(QStringLiteral(PULSE_SHARED_DIR "/conformance/promql-2.42"));
    QStringList files;
    for (const QString &f : dir.entryList({QStringLiteral("*.test")}, QDir::Files, QDir::Name))
        files << dir.filePath(f);
    if (files.isEmpty())
        QSKIP(qPrintable(QStringLiteral("PromQL conformance files not found in %1").arg(dir.absolutePath())));
    QProcess p;
    p.start(pulsectl(), QStringList{QStringLiteral("promql-test")} + files);
    QVERIFY(p.waitForFinished(240000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QString last = out.trimmed().section(QLatin1Char('\n'), -1);
    std::printf("pulsectl promql-test: %s\n", qPrintable(last));
    static const QRegularExpression closing(QStringLiteral(R"(^(\d+) passed, (\d+) failed, (\d+) unsupported$)"));
    const auto m = closing.match(last);
    QVERIFY2(m.hasMatch(), qPrintable(out.right(2000)));
    QVERIFY2(m.captured(2).toInt() == 0, qPrintable(out.right(4000)));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(m.captured(1).toInt() >= 480);
}

void TstPulsectlPromqlTest::reportsFailuresWithFileAndLine()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("wrong.test"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("load 5m\n  metric{a=\"1\"} 0+10x10\n\neval instant at 50m metric\n  metric{a=\"1\"} 99\n");
    f.close();
    QProcess p;
    p.start(pulsectl(), {QStringLiteral("promql-test"), path});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 1);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(out.contains(QStringLiteral("wrong.test:4: metric")), qPrintable(out));
    QVERIFY2(out.trimmed().endsWith(QStringLiteral("0 passed, 1 failed, 0 unsupported")), qPrintable(out));
}

void TstPulsectlPromqlTest::usage()
{
    QProcess p;
    p.start(pulsectl(), {QStringLiteral("promql-test")});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
}

QTEST_GUILESS_MAIN(TstPulsectlPromqlTest)
#include "tst_pulsectl_promql_test.moc"
