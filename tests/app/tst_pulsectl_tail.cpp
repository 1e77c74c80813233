// `pulsectl tail` through the real binary: a file that does not exist yet is a status on stderr and
// is read from its start once it appears; records print as JSON lines as they arrive; SIGTERM stops
// it with exit 0; with --state a second run prints exactly what was appended between the runs.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TstPulsectlTail : public QObject {
    Q_OBJECT
private slots:
    void followsAndResumes();
    void globFollowsFilesThatAppear();
    void usage();

private:
    static QString pulsectl() { return QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"); }
    static bool append(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        return f.open(QIODevice::Append) && f.write(bytes) == bytes.size();
    }
    static QStringList messages(const QByteArray &out)
    {
        QStringList m;
        for (const QByteArray &line : out.trimmed().split('\n'))
            if (!line.isEmpty())
                m << QJsonDocument::fromJson(line).object().value(QStringLiteral("message")).toString();
        return m;
    }
};

void TstPulsectlTail::followsAndResumes()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("app.log"));
    const QString state = dir.filePath(QStringLiteral("state.db"));
    const QStringList args{QStringLiteral("tail"), QStringLiteral("--format"), QStringLiteral("json_lines"),
                           QStringLiteral("--state"), state, log};
    {
        QProcess p;
        p.start(pulsectl(), args);
        QVERIFY(p.waitForStarted());
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("waiting for " + log.toUtf8()), 10000);
        QVERIFY(append(log, R"({"level":"warn","msg":"one","status":200})" "\n" R"({"msg":"two"})" "\n"));
        QByteArray out;
        QTRY_COMPARE_WITH_TIMEOUT(messages(out += p.readAllStandardOutput()).size(), 2, 10000);
        const QJsonObject first = QJsonDocument::fromJson(out.split('\n').first()).object();
        QCOMPARE(first.value(QStringLiteral("file")).toString(), log);
        QCOMPARE(first.value(QStringLiteral("offset")).toInt(), 0);
        QCOMPARE(first.value(QStringLiteral("level")).toString(), QStringLiteral("warn"));
        QCOMPARE(first.value(QStringLiteral("fields")).toObject().value(QStringLiteral("status")).toInt(), 200);
        p.terminate(); // SIGTERM
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(messages(out + p.readAllStandardOutput()), (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    }
    QVERIFY(append(log, R"({"msg":"three"})" "\n"));
    {
        QProcess p;
        p.start(pulsectl(), args);
        QByteArray out;
        QTRY_COMPARE_WITH_TIMEOUT(messages(out += p.readAllStandardOutput()).size(), 1, 10000);
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(messages(out + p.readAllStandardOutput()), QStringList{QStringLiteral("three")});
    }
}

void TstPulsectlTail::globFollowsFilesThatAppear()
{
    QTemporaryDir dir;
    const QString glob = dir.filePath(QStringLiteral("*.log"));
    QProcess p;
    p.start(pulsectl(), {QStringLiteral("tail"), QStringLiteral("--format"), QStringLiteral("json_lines"), glob});
    QVERIFY(p.waitForStarted());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("waiting for " + glob.toUtf8()), 10000);
    QVERIFY(err.contains("no file matches"));
    const QString a = dir.filePath(QStringLiteral("a.log"));
    QVERIFY(append(a, R"({"msg":"from a"})" "\n"));
    QByteArray out;
    QTRY_COMPARE_WITH_TIMEOUT(messages(out += p.readAllStandardOutput()).size(), 1, 10000);
    QCOMPARE(QJsonDocument::fromJson(out.split('\n').first()).object().value(QStringLiteral("file")).toString(), a);
    QVERIFY(append(dir.filePath(QStringLiteral("b.log")), R"({"msg":"from b"})" "\n"));
    QTRY_COMPARE_WITH_TIMEOUT(messages(out += p.readAllStandardOutput()).size(), 2, 10000);
    p.terminate();
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(messages(out + p.readAllStandardOutput()), (QStringList{QStringLiteral("from a"), QStringLiteral("from b")}));
}

void TstPulsectlTail::usage()
{
    QProcess p;
    p.start(pulsectl(), {QStringLiteral("tail"), QStringLiteral("--format"), QStringLiteral("plain")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    QCOMPARE(p.readAllStandardError().split('\n').first(), QByteArray("pulsectl tail: name at least one file"));
}

QTEST_GUILESS_MAIN(TstPulsectlTail)
#include "tst_pulsectl_tail.moc"
