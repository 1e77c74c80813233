// Runs `pulsectl parse-metrics` as a process: the OpenMetrics parser cases through stdin (exit code 0
// exactly when a case should parse), the JSON and --count output, and its usage errors.
#include <QDir>
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

Run runPulsectl(const QStringList &args, const QByteArray &input = {})
{
    QProcess process;
    process.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"), QStringList{QStringLiteral("parse-metrics")} + args);
    Run run;
    if (!process.waitForStarted(10000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class TestPulsectlParseMetrics : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void conformanceThroughStdin();
    void jsonOutput();
    void countOutput();
    void textFormatIsTheDefault();
    void readsAFile();
    void invalidInput();
    void usage_data();
    void usage();
};

void TestPulsectlParseMetrics::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl")), "pulsectl is not built");
}

void TestPulsectlParseMetrics::conformanceThroughStdin()
{
    const QDir suite(QStringLiteral(PULSE_SHARED_DIR "/conformance/openmetrics/parsers"));
    if (!suite.exists())
        QSKIP(qPrintable(QStringLiteral("OpenMetrics parser cases not found at %1").arg(suite.absolutePath())));
    const QStringList cases = suite.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QStringList mismatches;
    for (const QString &name : cases) {
        QFile metrics(suite.filePath(name + QStringLiteral("/metrics")));
        QFile spec(suite.filePath(name + QStringLiteral("/test.json")));
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        QVERIFY(spec.open(QIODevice::ReadOnly));
        const bool shouldParse = QJsonDocument::fromJson(spec.readAll()).object().value(QStringLiteral("shouldParse")).toBool();
        const Run run = runPulsectl({QStringLiteral("--openmetrics"), QStringLiteral("-")}, metrics.readAll());
        const bool expectedExit = shouldParse ? run.exitCode == 0 : run.exitCode == 1;
        if (!expectedExit) {
            mismatches << QStringLiteral("%1: expected %2, got exit code %3: %4")
                              .arg(name, shouldParse ? QStringLiteral("exit 0") : QStringLiteral("exit 1"))
                              .arg(run.exitCode)
                              .arg(QString::fromUtf8(run.err.trimmed()));
        }
    }
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(QLatin1Char('\n'))));
    QCOMPARE(cases.size(), qsizetype(211));
}

void TestPulsectlParseMetrics::jsonOutput()
{
    const QByteArray input = "# TYPE a gauge\n"
                             "a{path=\"/x\\\"y\\\\z\",nl=\"1\\n2\"} 1.5 1700000000.25\n"
                             "b{tab=\"\t\",ctl=\"\x01\"} NaN\n"
                             "c +Inf\n"
                             "d -Inf\n"
                             "e 1e+21\n"
                             "# EOF\n";
    const Run run = runPulsectl({QStringLiteral("--openmetrics"), QStringLiteral("-")}, input);
    QCOMPARE(run.exitCode, 0);
    const QByteArray expected = R"({"name":"a","labels":{"nl":"1\n2","path":"/x\"y\\z"},"value":1.5,"timestamp_ms":1700000000250})"
                                "\n"
                                R"({"name":"b","labels":{"ctl":"\u0001","tab":"\t"},"value":"NaN"})"
                                "\n"
                                R"({"name":"c","labels":{},"value":"+Inf"})"
                                "\n"
                                R"({"name":"d","labels":{},"value":"-Inf"})"
                                "\n"
                                R"({"name":"e","labels":{},"value":1e+21})"
                                "\n";
    QCOMPARE(run.out, expected);
    QCOMPARE(run.err, QByteArray());
    // Every line is a JSON object on its own.
    for (const QByteArray &line : run.out.trimmed().split('\n'))
        QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
}

void TestPulsectlParseMetrics::countOutput()
{
    const QByteArray input = "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 3\nup 1\n# EOF\n";
    const Run run = runPulsectl({QStringLiteral("--count"), QStringLiteral("--openmetrics"), QStringLiteral("-")}, input);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QByteArray("4 samples, 2 families\n"));

    // A repeated series (an empty label value is no label) keeps its first sample, as a scrape
    // does: every line is counted, and the repeats are reported on a second line.
    const QByteArray repeated = "a 1\nb 2\na 3\na{x=\"\"} 4\n";
    const Run dup = runPulsectl({QStringLiteral("--count"), QStringLiteral("-")}, repeated);
    QCOMPARE(dup.exitCode, 0);
    QCOMPARE(dup.out, QByteArray("4 samples, 2 families\n2 duplicate samples (a series repeated without a timestamp; "
                                 "the first of each kept), the first on line 3\n"));
    const Run json = runPulsectl({QStringLiteral("-")}, repeated);
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(json.out, QByteArray(R"({"name":"a","labels":{},"value":1})"
                                  "\n"
                                  R"({"name":"b","labels":{},"value":2})"
                                  "\n"));
    QVERIFY2(json.err.startsWith("<stdin>: 2 duplicate samples"), json.err.constData());
}

void TestPulsectlParseMetrics::textFormatIsTheDefault()
{
    // OpenMetrics-looking input is not guessed: without --openmetrics it is text format, where an
    // exemplar is a syntax error and "# EOF" a comment.
    const Run withExemplar = runPulsectl({QStringLiteral("-")}, "# TYPE a counter\na_total 1 # {x=\"y\"} 1\n# EOF\n");
    QCOMPARE(withExemplar.exitCode, 1);
    QVERIFY2(withExemplar.err.startsWith("<stdin>: line 2: "), withExemplar.err.constData());
    const Run plain = runPulsectl({QStringLiteral("--count"), QStringLiteral("-")}, "# TYPE a gauge\na 1\n# EOF\n");
    QCOMPARE(plain.exitCode, 0);
    QCOMPARE(plain.out, QByteArray("1 samples, 1 families\n"));
}

void TestPulsectlParseMetrics::readsAFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("metrics.prom"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("up{job=\"node\"} 1 1700000000000\n");
    file.close();
    const Run run = runPulsectl({path});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QByteArray(R"({"name":"up","labels":{"job":"node"},"value":1,"timestamp_ms":1700000000000})" "\n"));

    const Run missing = runPulsectl({dir.filePath(QStringLiteral("nope.prom"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("cannot open"), missing.err.constData());

    // Files are mapped, not read: an empty one has nothing to map, a directory cannot be read, and a
    // file of exactly one page that ends inside a line must not be read past its end.
    const QString empty = dir.filePath(QStringLiteral("empty.prom"));
    QVERIFY(QFile(empty).open(QIODevice::WriteOnly));
    const Run none = runPulsectl({QStringLiteral("--count"), empty});
    QCOMPARE(none.exitCode, 0);
    QCOMPARE(none.out, QByteArray("0 samples, 0 families\n"));
    const Run directory = runPulsectl({dir.path()});
    QCOMPARE(directory.exitCode, 1);
    QVERIFY2(directory.err.contains("cannot read"), directory.err.constData());
    const QString page = dir.filePath(QStringLiteral("page.prom"));
    for (const QByteArray &last : {QByteArray("x 2"), QByteArray("x{v=\"no closing quote")}) {
        QFile pageFile(page);
        QVERIFY(pageFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        const QByteArray first = "a{v=\"" + QByteArray(4086 - last.size(), 'p') + "\"} 1\n";
        QCOMPARE(pageFile.write(first + last), qint64(4096));
        pageFile.close();
        const Run counted = runPulsectl({QStringLiteral("--count"), page});
        QCOMPARE(counted.exitCode, last == "x 2" ? 0 : 1);
    }
}

void TestPulsectlParseMetrics::invalidInput()
{
    const Run run = runPulsectl({QStringLiteral("-")}, "ok 1\nbad{method\"GET\"} 1\n");
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.out, QByteArray()); // all-or-nothing: nothing is printed for the good first line
    QCOMPARE(run.err, QByteArray("<stdin>: line 2: expected '=' after label name \"method\", got \"\\\"GET\\\"} 1\"\n"));
}

void TestPulsectlParseMetrics::usage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");

    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << 0;
    QTest::newRow("no input") << QStringList{} << 2;
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--json"), QStringLiteral("-")} << 2;
    QTest::newRow("two inputs") << QStringList{QStringLiteral("a"), QStringLiteral("b")} << 2;
}

void TestPulsectlParseMetrics::usage()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    const Run run = runPulsectl(args);
    QCOMPARE(run.exitCode, exitCode);
    const QByteArray &text = exitCode == 0 ? run.out : run.err;
    QVERIFY2(text.contains("usage: pulsectl parse-metrics [--openmetrics] [--count] FILE|-"), text.constData());
}

QTEST_GUILESS_MAIN(TestPulsectlParseMetrics)

#include "tst_pulsectl_parse_metrics.moc"
