// `pulsectl parse-log` through the real binary: JSON per record in the shape scripts rely on
// (fields.status a number for access logs, raw only when a line did not parse), the --count summary,
// and bad input — a 10 MB line is cut with a marker and the rest still read, NUL bytes and invalid
// UTF-8 (split across read chunks) come out as valid JSON, a directory or a missing file is an error.
#include "collectors/log_tailer_line_buffer.h"
#include "collectors/multiline_joiner.h"
#include "core/logs/log_line_parser.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <random>

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
    void piecesGiveOnePassRecords_data();
    void piecesGiveOnePassRecords();
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
    // "é" at 11 MiB, where a read of 1 MiB (or a piece parse-log cuts) would split it, then a byte
    // that is not UTF-8 at all.
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

namespace {

// pieceInput is JSON lines with everything that makes cutting input into pieces hard: stack traces
// (continuation lines) wherever a cut may fall, CRLF and lone CR endings, lines over the 64 KiB cap,
// lines that are not JSON, a run of continuation lines longer than what parse-log holds while looking
// for a record start (32 MiB), and a last line without its newline.
QByteArray pieceInput()
{
    std::mt19937 random(7);
    QByteArray bytes;
    auto normalLines = [&](int count) {
        for (int i = 0; i < count; ++i) {
            const auto roll = random() % 100;
            const QByteArray n = QByteArray::number(bytes.size());
            bytes += R"({"ts":"2026-12-07T03:12:00.000Z","level":")" + QByteArray(roll < 10 ? "error" : "info") +
                     R"(","msg":"line at )" + n + '"' + '}';
            if (roll < 5)
                bytes += '\r'; // CRLF
            bytes += '\n';
            if (roll >= 10 && roll < 18) {
                bytes += "Exception in thread main\n";
                for (auto frames = random() % 40; frames > 0; --frames)
                    bytes += (frames % 7 == 0 ? "Caused by: x\n" : frames % 11 == 0 ? "... 3 more\n" : "\tat A.b(A.java:1)\n");
            } else if (roll == 20) {
                bytes += "progress 10%\rprogress 100%\n"; // a lone CR ends a line
            } else if (roll == 21 && random() % 20 == 0) {
                bytes += R"({"msg":")" + QByteArray(100 * 1024, 'x') + "\"}\n"; // cut at 64 KiB
            } else if (roll == 22) {
                bytes += "not json at all\n";
            }
        }
    };
    normalLines(60000);
    const qsizetype runEnd = bytes.size() + (qsizetype{33} << 20);
    while (bytes.size() < runEnd)
        bytes += ' ' + QByteArray(8191, 'c') + '\n'; // continuation lines, no record start for 33 MiB
    normalLines(20000);
    bytes += R"({"msg":"no newline"})";
    return bytes;
}

struct Expected {
    QString message;
    QString level;
    bool truncated = false;
};

// onePass is what one line buffer, joiner and parser make of the whole input, the way a log target
// reads a file: what parse-log's pieces, parsed in parallel, must add up to.
std::vector<Expected> onePass(const QByteArray &bytes, const pulse::MultilineOptions &multiline)
{
    pulse::LogTailerLineBuffer buffer(64 * 1024);
    pulse::MultilineJoiner joiner = *pulse::MultilineJoiner::create(multiline);
    const pulse::LogLineParser parser(pulse::LogFormat::JsonLines);
    std::vector<pulse::TailLine> lines;
    std::vector<pulse::TailLine> records;
    std::string_view data(bytes.constData(), std::size_t(bytes.size()));
    while (!data.empty())
        data.remove_prefix(buffer.feed(data, lines, 1 << 30));
    if (auto last = buffer.flush())
        lines.push_back(std::move(*last));
    for (pulse::TailLine &line : lines)
        joiner.push(std::move(line), 0, records);
    if (auto held = joiner.flush())
        records.push_back(std::move(*held));
    std::vector<Expected> out;
    for (const pulse::TailLine &line : records) {
        const pulse::LogRecord record = parser.parse(line.bytes, {"", 0, line.offset});
        out.push_back({QString::fromStdString(record.message),
                       QString::fromUtf8(pulse::logLevelName(record.level).data(),
                                         qsizetype(pulse::logLevelName(record.level).size())),
                       line.truncated});
    }
    return out;
}

} // namespace

void TstPulsectlParseLog::piecesGiveOnePassRecords_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("startPattern");
    QTest::addColumn<bool>("multiline");
    QTest::newRow("continuation rule") << QStringList{} << QString() << true;
    QTest::newRow("start pattern") << QStringList{QStringLiteral("--start-pattern"), QStringLiteral("^[{]")}
                                   << QStringLiteral("^[{]") << true;
    QTest::newRow("single line") << QStringList{QStringLiteral("--single-line")} << QString() << false;
}

// parse-log cuts its input into pieces where a record starts and parses them on several threads: the
// records must be exactly those of one pass, in order, wherever the cuts fall.
void TstPulsectlParseLog::piecesGiveOnePassRecords()
{
    QFETCH(QStringList, options);
    QFETCH(QString, startPattern);
    QFETCH(bool, multiline);
    static const QByteArray input = pieceInput();
    static const QString path = write(QStringLiteral("pieces.jsonl"), input);
    QVERIFY(!path.isEmpty());
    const std::vector<Expected> expected = onePass(input, {multiline, startPattern.toStdString()});
    const Run r = run(QStringList{QStringLiteral("--format"), QStringLiteral("json_lines")} + options + QStringList{path});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(std::size_t(lines.size() - 1), expected.size()); // the output ends with a newline
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const QJsonObject record = QJsonDocument::fromJson(lines[qsizetype(i)]).object();
        const QString where = QStringLiteral("record %1: ").arg(i) + QString::fromUtf8(lines[qsizetype(i)].left(120));
        QVERIFY2(record.value(QStringLiteral("message")).toString() == expected[i].message, qPrintable(where));
        QVERIFY2(record.value(QStringLiteral("level")).toString() == expected[i].level, qPrintable(where));
        QVERIFY2(record.value(QStringLiteral("truncated")).toBool() == expected[i].truncated, qPrintable(where));
    }
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
