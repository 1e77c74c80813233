// `pulsectl parse-log` through the real binary: JSON per record in the shape scripts rely on
// (fields.status a number for access logs, raw only when a line did not parse), the --count summary,
// and bad input — a 10 MB line is cut with a marker and the rest still read, NUL bytes and invalid
// UTF-8 (split across read chunks) come out as valid JSON, a directory or a missing file is an error.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

constexpr const char *kAccess =
    "10.0.0.1 - - [07/Dec/2026:03:12:00 +0000] \"GET /api/orders?id=7 HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"\n"
    "10.0.0.2 - bob [07/Dec/2026:03:12:01 +0000] \"POST /login HTTP/1.1\" 401 0 \"-\" \"Mozilla/5.0\"\n"
    "10.0.0.3 - - [07/Dec/2026:03:12:02 +0000] \"GET /x HTTP/1.1\" 503 17 \"-\" \"\\x22quoted\\x22\"\n"
    "this line is not an access log line\n";

} // namespace

class TstPulsectlParseLog : public QObject {
    Q_OBJECT
private slots:
    void printsOneObjectARecord();
    void counts();
    void survivesBadBytes();
    void regexFormatAndTraces();
    void errors_data();
    void errors();

private:
    Run run(const QStringList &args, const QByteArray &stdinBytes = {});
    QString write(const QString &name, const QByteArray &bytes);

    QTemporaryDir m_dir;
};

Run TstPulsectlParseLog::run(const QStringList &args, const QByteArray &stdinBytes)
{
    QProcess p;
    p.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"), QStringList{QStringLiteral("parse-log")} + args);
    if (!stdinBytes.isEmpty())
        p.write(stdinBytes);
    p.closeWriteChannel();
    Run r;
    if (!p.waitForFinished(60000))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString TstPulsectlParseLog::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

void TstPulsectlParseLog::printsOneObjectARecord()
{
    const Run r = run({QStringLiteral("--format"), QStringLiteral("nginx_combined"), QStringLiteral("-")}, kAccess);
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QByteArray(R"({"time":"2026-12-07T03:12:00.000Z","level":"info","message":"GET /api/orders?id=7 200",)"
                                  R"("fields":{"remote_addr":"10.0.0.1","remote_user":"-","method":"GET",)"
                                  R"("path":"/api/orders?id=7","protocol":"HTTP/1.1","status":200,"bytes":512,)"
                                  R"("referer":"-","user_agent":"curl/8.0"}})"));
    const auto third = QJsonDocument::fromJson(lines[2]).object();
    QCOMPARE(third.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
    QCOMPARE(third.value(QStringLiteral("fields")).toObject().value(QStringLiteral("user_agent")).toString(),
             QStringLiteral("\\x22quoted\\x22")); // nginx's escapes stay as written
    QVERIFY(!third.contains(QStringLiteral("raw")));
    const auto unparsed = QJsonDocument::fromJson(lines[3]).object();
    QCOMPARE(unparsed.value(QStringLiteral("raw")).toString(), QStringLiteral("this line is not an access log line"));
    QCOMPARE(unparsed.value(QStringLiteral("level")).toString(), QStringLiteral("unknown"));
}

void TstPulsectlParseLog::counts()
{
    const QString path = write(QStringLiteral("access.log"), kAccess);
    const Run r = run({QStringLiteral("--format"), QStringLiteral("nginx"), QStringLiteral("--count"), path});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("4 records\n"
                               "level error 1\n"
                               "level warn 1\n"
                               "level info 1\n"
                               "level unknown 1\n"
                               "status 2xx 1\n"
                               "status 4xx 1\n"
                               "status 5xx 1\n"));
}

void TstPulsectlParseLog::survivesBadBytes()
{
    QByteArray bytes;
    bytes += "before\n";
    bytes += QByteArray(10 * 1024 * 1024, 'L') + "\n"; // 10 MB on one line
    bytes += QByteArray("nul\0inside\n", 11);
    // "é" split across the 1 MiB read chunks (short filler lines up to the boundary), then a byte that
    // is not UTF-8 at all.
    const qsizetype boundary = qsizetype{11} << 20;
    int fillers = 0;
    while (boundary - bytes.size() > 2000) {
        bytes += QByteArray(999, 'f') + "\n";
        ++fillers;
    }
    bytes += QByteArray(boundary - 1 - bytes.size(), 'p') + "\xC3\xA9 then \xFF\n";
    bytes += "after";
    const QString path = write(QStringLiteral("bad.log"), bytes);
    const Run r = run({QStringLiteral("--format"), QStringLiteral("plain"), path});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 5 + fillers);
    QList<QJsonObject> records;
    for (const QByteArray &line : lines) {
        QJsonParseError error{};
        records << QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.left(200).constData());
    }
    QCOMPARE(records[0].value(QStringLiteral("message")).toString(), QStringLiteral("before"));
    QVERIFY(records[1].value(QStringLiteral("truncated")).toBool());
    QCOMPARE(records[1].value(QStringLiteral("message")).toString().size(), qsizetype(64 * 1024));
    QCOMPARE(records[2].value(QStringLiteral("message")).toString(), QStringLiteral("nul\u0000inside"));
    const QString split = records[3 + fillers].value(QStringLiteral("message")).toString();
    QVERIFY2(split.endsWith(QStringLiteral("\u00e9 then \uFFFD")), qPrintable(split.right(20)));
    QVERIFY(!records[3 + fillers].value(QStringLiteral("truncated")).toBool());
    QCOMPARE(records.last().value(QStringLiteral("message")).toString(), QStringLiteral("after"));
}

void TstPulsectlParseLog::regexFormatAndTraces()
{
    const QByteArray input("2026-12-07T03:12:00Z ERROR [billing] charge failed\n"
                           "\tat Billing.charge(Billing.java:12)\n"
                           "2026-12-07T03:12:01Z INFO [web] ok\n");
    const QStringList pattern{QStringLiteral("--format"), QStringLiteral("regex"), QStringLiteral("--pattern"),
                              QStringLiteral(R"re(^(?<time>\S+) (?<level>\w+) \[(?<component>\w+)\] (?<message>.*)$)re")};
    Run r = run(pattern + QStringList{QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 0);
    QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first.value(QStringLiteral("time")).toString(), QStringLiteral("2026-12-07T03:12:00.000Z"));
    QCOMPARE(first.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
    QCOMPARE(first.value(QStringLiteral("message")).toString(),
             QStringLiteral("charge failed\n\tat Billing.charge(Billing.java:12)"));
    QCOMPARE(first.value(QStringLiteral("fields")).toObject().value(QStringLiteral("component")).toString(),
             QStringLiteral("billing"));
    r = run(pattern + QStringList{QStringLiteral("--single-line"), QStringLiteral("-")}, input);
    lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value(QStringLiteral("raw")).toString(),
             QStringLiteral("\tat Billing.charge(Billing.java:12)")); // does not match: kept, raw
    r = run({QStringLiteral("--format"), QStringLiteral("regex"), QStringLiteral("-")}, input);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("the regex format needs a pattern"), r.err.constData());
    r = run({QStringLiteral("--format"), QStringLiteral("regex"), QStringLiteral("--pattern"), QStringLiteral("(?<x>"),
             QStringLiteral("-")},
            input);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("invalid pattern at offset"), r.err.constData());
}

void TstPulsectlParseLog::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("error");
    QTest::newRow("no format") << QStringList{QStringLiteral("x.log")} << 2 << "pulsectl parse-log: --format is required";
    QTest::newRow("unknown format") << QStringList{QStringLiteral("--format"), QStringLiteral("apache2"), QStringLiteral("x")}
                                    << 2
                                    << "pulsectl parse-log: unknown format 'apache2' (nginx_combined, json_lines, syslog, plain, logfmt, regex)";
    QTest::newRow("no file") << QStringList{QStringLiteral("--format"), QStringLiteral("plain")} << 2
                             << "pulsectl parse-log: name a FILE, or - for standard input";
    QTest::newRow("missing file") << QStringList{QStringLiteral("--format"), QStringLiteral("plain"),
                                                 QStringLiteral("/nonexistent/x.log")}
                                  << 1 << "pulsectl parse-log: /nonexistent/x.log: No such file or directory";
    QTest::newRow("a directory") << QStringList{QStringLiteral("--format"), QStringLiteral("plain"), QStringLiteral("/tmp")}
                                 << 1 << "pulsectl parse-log: /tmp: is a directory";
}

void TstPulsectlParseLog::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, error);
    const Run r = run(args);
    QCOMPARE(r.exitCode, exitCode);
    QCOMPARE(QString::fromUtf8(r.err).split(QLatin1Char('\n')).first(), error);
}

QTEST_GUILESS_MAIN(TstPulsectlParseLog)
#include "tst_pulsectl_parse_log.moc"
