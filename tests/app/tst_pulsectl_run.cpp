// `pulsectl run` end to end through the real binary, against `pulsectl demo` on loopback: it scrapes,
// stores, evaluates a rule and logs each event as one logfmt line; --for and SIGTERM stop it cleanly
// with everything committed; a second run on the same history file is refused naming the first one's
// pid; a bad config names file:line:col; Qt Widgets is never loaded.
#include "../storage/loopback_port.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

#include <signal.h>

namespace {

QString pulsectl()
{
    return QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl");
}

/// StderrLog collects a process's stderr as it comes.
struct StderrLog {
    QProcess &process;
    QByteArray text;
    bool contains(const QByteArray &needle)
    {
        text += process.readAllStandardError();
        return text.contains(needle);
    }
};

} // namespace

class TstPulsectlRun : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_demo.start(pulsectl(), {QStringLiteral("demo"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                  QStringLiteral("--incident-every"), QStringLiteral("0")});
        QVERIFY(m_demo.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_demo.canReadLine(), 10000);
        m_demoAddress = QString::fromUtf8(m_demo.readLine().trimmed());
        QVERIFY2(m_demoAddress.startsWith(QStringLiteral("127.0.0.1:")), qPrintable(m_demoAddress));
        m_deadPort = pulse::test::freeLoopbackPort(); // nothing listens there: that target is down
        QVERIFY(m_deadPort > 0);
    }

    void cleanupTestCase()
    {
        m_demo.terminate();
        m_demo.waitForFinished(5000);
    }

    void runsForTheGivenTimeAndStoresEverything()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir);
        QProcess run;
        StderrLog log{run, {}};
        run.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), config, QStringLiteral("--for"),
                               QStringLiteral("4s")});
        QVERIFY(run.waitForStarted());
        QVERIFY(run.waitForFinished(30000));
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        log.contains({});
        QVERIFY2(run.exitCode() == 0, log.text.constData());
        for (const QByteArray &line : {QByteArray("level=info msg=starting pid="),
                                       QByteArray("level=info msg=\"config loaded\" file=") + config.toUtf8() +
                                           " targets=2 rules=1",
                                       QByteArray("level=info msg=\"history open\""),
                                       QByteArray("level=info msg=\"target state\" target=api kind=prometheus state=up"),
                                       QByteArray("level=warn msg=\"target state\" target=dead kind=prometheus state=down"),
                                       QByteArray("level=info msg=alert alertname=DeadDown state=pending from=inactive"),
                                       QByteArray("level=info msg=alert alertname=DeadDown state=firing from=pending"),
                                       QByteArray("level=info msg=\"--for elapsed, stopping\""),
                                       QByteArray("level=info msg=stopped samples_received=")})
            QVERIFY2(log.text.contains(line), (line + "\nnot in:\n" + log.text).constData());
        // Every line is one logfmt event.
        for (const QByteArray &line : log.text.split('\n'))
            QVERIFY2(line.isEmpty() || line.startsWith("ts="), line.constData());

        // What it stored is there after it stopped: both targets' up, and the alert as ALERTS.
        const QJsonArray up = queryVector(dir, QStringLiteral("up"));
        QCOMPARE(up.size(), 2);
        QMap<QString, QString> byJob;
        for (const auto &v : up)
            byJob[v[QStringLiteral("metric")][QStringLiteral("job")].toString()] = v[QStringLiteral("value")][1].toString();
        QCOMPARE(byJob.value(QStringLiteral("api")), QStringLiteral("1"));
        QCOMPARE(byJob.value(QStringLiteral("dead")), QStringLiteral("0"));
        const QJsonArray firing = queryVector(dir, QStringLiteral("ALERTS{alertname=\"DeadDown\",alertstate=\"firing\"}"));
        QCOMPARE(firing.size(), 1);
        // Pulseboard's own counters are recorded at the stop too (the 4 s run is shorter than their 5 s).
        QCOMPARE(queryVector(dir, QStringLiteral("pulse_samples_received_total{job=\"pulseboard\"}")).size(), 1);
    }

    void warnsWhenTheOpenFileLimitIsTooLow()
    {
        // 80 scrape targets under a hard limit of 100 open files: said once at start, with what to do;
        // the run itself goes on.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pulse.yaml"));
        QString text = QStringLiteral("storage: {path: %1}\ntargets:\n").arg(dir.filePath(QStringLiteral("history.db")));
        for (int i = 0; i < 80; ++i)
            text += QStringLiteral("  - {name: t%1, kind: prometheus, url: 'http://127.0.0.1:%2/metrics'}\n")
                        .arg(QString::number(i), QString::number(m_deadPort));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text.toUtf8());
        f.close();
        QProcess run;
        StderrLog log{run, {}};
        run.setChildProcessModifier([] {
            const rlimit low{100, 100};
            ::setrlimit(RLIMIT_NOFILE, &low);
        });
        run.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), path, QStringLiteral("--for"),
                               QStringLiteral("2s")});
        QVERIFY(run.waitForStarted());
        QVERIFY(run.waitForFinished(30000));
        log.contains({});
        QVERIFY2(run.exitCode() == 0, log.text.constData());
        QVERIFY2(log.text.contains("level=warn msg=\"open-file limit too low\" detail=\"the open-file limit is 100, "
                                   "but these 80 targets may need about 224 at once: raise it (ulimit -n"),
                 log.text.constData());
    }

    void sighupStopsCleanly()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir);
        QProcess run;
        StderrLog log{run, {}};
        run.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config=") + config});
        QVERIFY(run.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(log.contains("target=api kind=prometheus state=up"), 15000);
        QCOMPARE(::kill(static_cast<pid_t>(run.processId()), SIGHUP), 0); // what a closed terminal sends
        QVERIFY(run.waitForFinished(15000));
        log.contains({});
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QVERIFY2(run.exitCode() == 0, log.text.constData());
        QVERIFY(log.text.contains("msg=\"signal received, stopping\" signal=\"SIGHUP (no reload yet)\""));
        QVERIFY(log.text.contains("level=info msg=stopped"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("history.db-wal")))); // checkpointed and closed
    }

    void sigtermStopsCleanlyAndASecondRunIsRefused()
    {
        QTemporaryDir dir;
        const QString config = writeConfig(dir);
        QProcess first;
        StderrLog log{first, {}};
        first.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), config});
        QVERIFY(first.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(log.contains("target=api kind=prometheus state=up"), 15000);

        // Headless means headless: no Qt Widgets (nor Gui) in the process.
        QFile maps(QStringLiteral("/proc/%1/maps").arg(first.processId()));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const QByteArray mapped = maps.readAll();
        QVERIFY(mapped.contains("libQt6Core"));
        QVERIFY(!mapped.contains("libQt6Widgets"));
        QVERIFY(!mapped.contains("libQt6Gui"));

        QProcess second;
        second.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), config, QStringLiteral("--for"),
                                  QStringLiteral("10s")});
        QVERIFY(second.waitForFinished(15000));
        const QByteArray secondErr = second.readAllStandardError();
        QCOMPARE(second.exitCode(), 1);
        const QByteArray holder = "in use by another Pulseboard (pid " + QByteArray::number(first.processId()) + ")";
        QVERIFY2(secondErr.contains("level=error msg=\"history unavailable\"") && secondErr.contains(holder),
                 secondErr.constData());

        first.terminate(); // SIGTERM
        QVERIFY(first.waitForFinished(15000));
        QCOMPARE(first.exitStatus(), QProcess::NormalExit);
        log.contains({});
        QVERIFY2(first.exitCode() == 0, log.text.constData());
        QVERIFY(log.text.contains("level=info msg=\"signal received, stopping\" signal=SIGTERM"));
        QVERIFY(log.text.contains("level=info msg=stopped"));
        QCOMPARE(queryVector(dir, QStringLiteral("up{job=\"api\"}")).size(), 1);
    }

    void badConfigNamesFileLineColumn()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("bad.yaml"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("targets:\n  - {name: api, kind: prometheus, url: http://127.0.0.1:1/metrics, interval: soon}\n");
        f.close();
        QProcess run;
        run.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), config});
        QVERIFY(run.waitForFinished(15000));
        QCOMPARE(run.exitCode(), 2);
        const QByteArray err = run.readAllStandardError();
        QVERIFY2(err.startsWith(config.toUtf8() + ":2:"), err.constData());

        QProcess usage;
        usage.start(pulsectl(), {QStringLiteral("run")});
        QVERIFY(usage.waitForFinished(15000));
        QCOMPARE(usage.exitCode(), 2);
        QVERIFY(usage.readAllStandardError().contains("--config FILE is required"));

        QProcess tooLong; // past what a timer can count: refused, never a run that does not stop
        tooLong.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), config, QStringLiteral("--for"),
                                   QStringLiteral("30d")});
        QVERIFY(tooLong.waitForFinished(15000));
        QCOMPARE(tooLong.exitCode(), 2);
        QVERIFY(tooLong.readAllStandardError().contains("at most 24 days"));
    }

private:
    QString writeConfig(const QTemporaryDir &dir)
    {
        const QString path = dir.filePath(QStringLiteral("pulse.yaml"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(QStringLiteral("storage:\n"
                               "  path: %1\n"
                               "targets:\n"
                               "  - {name: api, kind: prometheus, url: 'http://%2/metrics', interval: 1s}\n"
                               "  - {name: dead, kind: prometheus, url: 'http://127.0.0.1:%3/metrics', interval: 1s}\n"
                               "alerts:\n"
                               "  - {name: DeadDown, expr: 'up == 0', for: 1s, severity: critical}\n")
                    .arg(dir.filePath(QStringLiteral("history.db")), m_demoAddress)
                    .arg(m_deadPort)
                    .toUtf8());
        return path;
    }

    QJsonArray queryVector(const QTemporaryDir &dir, const QString &expr)
    {
        QProcess q;
        q.start(pulsectl(), {QStringLiteral("query"), QStringLiteral("--db"), dir.filePath(QStringLiteral("history.db")), expr});
        if (!q.waitForFinished(15000))
            return {};
        const QJsonObject answer = QJsonDocument::fromJson(q.readAllStandardOutput()).object();
        return answer[QStringLiteral("data")][QStringLiteral("result")].toArray();
    }

    QProcess m_demo;
    QString m_demoAddress;
    int m_deadPort = 0;
};

QTEST_GUILESS_MAIN(TstPulsectlRun)
#include "tst_pulsectl_run.moc"
