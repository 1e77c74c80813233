// A log target survives kill -9: `pulsectl run` (the app's Runtime, writer and tailers) follows a file
// that the test keeps appending to, is killed with SIGKILL three times with lines read but not yet
// committed, and restarted; `pulsectl logs` then shows every line exactly once, in order. Records
// and the file position commit in one transaction, so a restart resumes where the committed records
// end. Real processes on real time: waits are for conditions (records visible in the store), never
// fixed sleeps.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

QString pulsectl()
{
    return QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl");
}

bool appendLines(const QString &path, int from, int to)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    QByteArray bytes;
    for (int i = from; i < to; ++i)
        bytes += "line " + QByteArray::number(i) + " of the crash test\n";
    return file.write(bytes) == bytes.size();
}

} // namespace

class TstLogCrashRestart : public QObject {
    Q_OBJECT
private slots:
    void killNineLosesAndRepeatsNothing();

private:
    QStringList storedLines(const QString &db);
};

QStringList TstLogCrashRestart::storedLines(const QString &db)
{
    QProcess logs;
    logs.start(pulsectl(), {QStringLiteral("logs"), QStringLiteral("--db"), db, QStringLiteral("--since"),
                            QStringLiteral("1d"), QStringLiteral("--json")});
    if (!logs.waitForFinished(30000) || logs.exitCode() != 0)
        return {QStringLiteral("pulsectl logs failed: ") + QString::fromUtf8(logs.readAllStandardError())};
    QStringList out;
    for (const QByteArray &line : logs.readAllStandardOutput().split('\n')) {
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object().value(QStringLiteral("message")).toString();
    }
    return out;
}

void TstLogCrashRestart::killNineLosesAndRepeatsNothing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("app.log"));
    const QString db = dir.filePath(QStringLiteral("history.db"));
    const QString config = dir.filePath(QStringLiteral("pulse.yaml"));
    {
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("storage:\n"
                               "  path: %1\n"
                               "  write: {flush_interval: 1s}\n"
                               "targets:\n"
                               "  - {name: app, kind: log, path: %2, format: plain, start_at: beginning}\n")
                    .arg(db, log)
                    .toUtf8());
    }
    int written = 0;
    QVERIFY(appendLines(log, 0, 500));
    written = 500;
    for (int round = 0; round < 3; ++round) {
        QProcess run;
        run.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        run.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), config});
        QVERIFY(run.waitForStarted());
        // Wait until this run has committed something of its own, then give it more to read and
        // kill it while those lines are read but (very likely) not yet committed.
        const qsizetype before = storedLines(db).size();
        QVERIFY(appendLines(log, written, written + 700));
        written += 700;
        QTRY_VERIFY_WITH_TIMEOUT(storedLines(db).size() > before, 30000);
        QVERIFY(appendLines(log, written, written + 3000));
        written += 3000;
        QTest::qWait(300); // real time for the tailer to read some of them: the point is to be mid-batch
        QCOMPARE(::kill(pid_t(run.processId()), SIGKILL), 0);
        QVERIFY(run.waitForFinished(10000));
        QCOMPARE(run.exitStatus(), QProcess::CrashExit);
    }
    QVERIFY(appendLines(log, written, written + 100)); // written while nothing ran
    written += 100;
    QProcess last;
    last.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    last.start(pulsectl(), {QStringLiteral("run"), QStringLiteral("--config"), config});
    QVERIFY(last.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(storedLines(db).size() >= written, 60000);
    last.terminate();
    QVERIFY(last.waitForFinished(15000));
    QCOMPARE(last.exitCode(), 0);

    const QStringList got = storedLines(db);
    QCOMPARE(got.size(), qsizetype(written));
    for (int i = 0; i < written; ++i)
        QCOMPARE(got[i], QStringLiteral("line %1 of the crash test").arg(i));
}

QTEST_GUILESS_MAIN(TstLogCrashRestart)
#include "tst_log_crash_restart.moc"
