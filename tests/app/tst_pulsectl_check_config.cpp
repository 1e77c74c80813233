// Tests for `pulsectl check-config`: runs the built executable on the config fixtures and checks exit
// codes, stdout and the FILE:LINE:COL: lines on stderr.
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

class TstPulsectlCheckConfig : public QObject {
    Q_OBJECT

private slots:
    void validFilePrintsOk();
    void badFileReportsEveryProblem();
    void unsetVariableIsAProblem();
    void missingFileIsAnError();
    void badUsage_data();
    void badUsage();
    void helpExitsZero();
    void printHidesSecrets();
};

namespace {

constexpr auto kToken = "TOKEN-q7r2-DO-NOT-LEAK";

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

QString fixture(const char *name)
{
    return QStringLiteral(PULSE_SOURCE_DIR "/tests/core/fixtures/config/") + QLatin1String(name);
}

Run pulsectl(const QStringList &args, bool withToken = true)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PROM_TOKEN"));
    if (withToken)
        env.insert(QStringLiteral("PROM_TOKEN"), QLatin1String(kToken));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"), QStringList{QStringLiteral("check-config")} + args);
    if (!process.waitForFinished(30000))
        return {};
    return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
               QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

void TstPulsectlCheckConfig::validFilePrintsOk()
{
    const Run run = pulsectl({fixture("design_example.yaml")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QStringLiteral("ok\n"));
    QCOMPARE(run.err, QString());
}

void TstPulsectlCheckConfig::badFileReportsEveryProblem()
{
    const QString file = fixture("many_errors.yaml");
    const Run run = pulsectl({file});
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.out, QString());
    const QStringList lines = run.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList expectedPositions{
        QStringLiteral("2:28"), QStringLiteral("7:5"),  QStringLiteral("8:11"),  QStringLiteral("9:11"),
        QStringLiteral("10:5"), QStringLiteral("13:5"), QStringLiteral("14:10"), QStringLiteral("18:9"),
    };
    QCOMPARE(lines.size(), expectedPositions.size());
    const QRegularExpression shape(QLatin1Char('^') + QRegularExpression::escape(file) +
                                   QStringLiteral(":(\\d+:\\d+): \\S.*$"));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const auto match = shape.match(lines[i]);
        QVERIFY2(match.hasMatch(), qPrintable(lines[i]));
        QCOMPARE(match.captured(1), expectedPositions[i]);
    }
    QCOMPARE(lines[1], file + QStringLiteral(":7:5: targets[0]: unknown key 'intervall'; did you mean 'interval'?"));
}

void TstPulsectlCheckConfig::unsetVariableIsAProblem()
{
    const QString file = fixture("design_example.yaml");
    const Run run = pulsectl({file}, false);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err, file + QStringLiteral(":18:87: targets[6].bearer_token: environment variable PROM_TOKEN is "
                                            "not set\n"));
}

void TstPulsectlCheckConfig::missingFileIsAnError()
{
    const QString file = QStringLiteral("/nonexistent/pulse.yaml");
    const Run run = pulsectl({file});
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err, file + QStringLiteral(": cannot read: No such file or directory\n"));
    QCOMPARE(run.out, QString());
}

void TstPulsectlCheckConfig::badUsage_data()
{
    QTest::addColumn<QStringList>("args");

    QTest::newRow("no file") << QStringList{};
    QTest::newRow("only --print") << QStringList{QStringLiteral("--print")};
    QTest::newRow("two files") << QStringList{fixture("design_example.yaml"), fixture("full.yaml")};
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--verbose"), fixture("design_example.yaml")};
}

void TstPulsectlCheckConfig::badUsage()
{
    QFETCH(QStringList, args);
    const Run run = pulsectl(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QStringLiteral("usage: pulsectl check-config")));
    QCOMPARE(run.out, QString());
}

void TstPulsectlCheckConfig::helpExitsZero()
{
    const Run run = pulsectl({QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith(QStringLiteral("usage: pulsectl check-config [--print] FILE")));
}

void TstPulsectlCheckConfig::printHidesSecrets()
{
    const Run run = pulsectl({QStringLiteral("--print"), fixture("design_example.yaml")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("bearer_token: <secret>")), qPrintable(run.out));
    QVERIFY(!run.out.contains(QLatin1String(kToken)));
    QVERIFY(!run.err.contains(QLatin1String(kToken)));
    QVERIFY(run.out.contains(QStringLiteral("name: cluster")));
}

QTEST_GUILESS_MAIN(TstPulsectlCheckConfig)
#include "tst_pulsectl_check_config.moc"
