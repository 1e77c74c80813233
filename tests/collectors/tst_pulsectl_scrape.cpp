// Runs `pulsectl scrape` as a process against the demo service (in this test, on loopback) and a
// scripted server: JSON lines and --count like parse-metrics, content negotiation, and exit 1 with
// the scrape's own message for every failure.
#include "demo/demo_server.h"
#include "test_http_server.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <mutex>

using pulse::test::TestHttpServer;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runScrape(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"), QStringList{QStringLiteral("scrape")} + args);
    Run run;
    if (!process.waitForStarted(10000))
        return run;
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

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

class TstPulsectlScrape : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void scrapesTheDemo();
    void countsTheDemo();
    void negotiatesOpenMetrics();
    void failures_data();
    void failures();
    void usage_data();
    void usage();

private:
    std::unique_ptr<pulse::demo::DemoServer> m_demo;
    std::string m_address;
};

void TstPulsectlScrape::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl")), "pulsectl is not built");
    pulse::demo::DemoServerOptions options;
    options.simulation.incidentEveryMs = 0;
    m_demo = std::make_unique<pulse::demo::DemoServer>(options);
    auto address = m_demo->start();
    QVERIFY(address.has_value());
    m_address = *address;
}

void TstPulsectlScrape::scrapesTheDemo()
{
    const Run run = runScrape({q("http://" + m_address + "/metrics")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QVERIFY(lines.size() > 10);
    bool sawBuildInfo = false;
    for (const QByteArray &line : lines) {
        QJsonParseError error{};
        const QJsonObject sample = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QVERIFY(sample.contains(QLatin1String("name")) && sample.contains(QLatin1String("labels")) &&
                sample.contains(QLatin1String("value")));
        sawBuildInfo = sawBuildInfo || sample.value(QLatin1String("name")).toString() == QLatin1String("demo_build_info");
    }
    QVERIFY(sawBuildInfo);
}

void TstPulsectlScrape::countsTheDemo()
{
    const Run run = runScrape({QStringLiteral("--count"), QStringLiteral("--timeout"), QStringLiteral("5s"),
                               q("http://" + m_address + "/metrics")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]+ samples, [0-9]+ families\n$")).match(QString::fromUtf8(run.out)).hasMatch(),
             run.out.constData());
}

void TstPulsectlScrape::negotiatesOpenMetrics()
{
    // The server answers OpenMetrics only when asked for it, and the answer has an exemplar and
    // `# EOF`, which the text-format parser would reject: so exit 0 proves both halves.
    std::mutex mutex;
    std::string accept;
    TestHttpServer server([&](int fd, const std::string &head, const TestHttpServer &) {
        {
            std::lock_guard lock(mutex);
            accept = head;
        }
        const std::string body = "# TYPE jobs counter\njobs_total 3 # {trace_id=\"abc\"} 1\n# EOF\n";
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/openmetrics-text; version=1.0.0; "
                                    "charset=utf-8\r\nContent-Length: " +
                                        std::to_string(body.size()) + "\r\n\r\n" + body);
    });
    const Run run = runScrape({QStringLiteral("--openmetrics-accept"), q(server.url("/metrics"))});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, QByteArray("{\"name\":\"jobs_total\",\"labels\":{},\"value\":3}\n"));
    std::lock_guard lock(mutex);
    QVERIFY2(q(accept).contains(QLatin1String("Accept: application/openmetrics-text;version=1.0.0"), Qt::CaseInsensitive),
             accept.c_str());
    QVERIFY2(!q(accept).contains(QLatin1String("text/plain")), accept.c_str());
}

void TstPulsectlScrape::failures_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::newRow("not found") << "/nope" << QStringList{} << "server returned HTTP status 404";
    QTest::newRow("sample limit") << "/metrics" << QStringList{QStringLiteral("--sample-limit"), QStringLiteral("5")}
                                  << "more samples than the sample limit of 5";
    QTest::newRow("body limit") << "/metrics" << QStringList{QStringLiteral("--max-body"), QStringLiteral("1KiB")}
                                << "response body exceeds the limit of 1 KiB";
    QTest::newRow("not metrics") << "/api/stats" << QStringList{} << "line 1: ";
}

void TstPulsectlScrape::failures()
{
    QFETCH(QString, path);
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    const QString url = q("http://" + m_address) + path;
    const Run run = runScrape(options + QStringList{url});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(QString::fromUtf8(run.err).startsWith(QStringLiteral("pulsectl scrape: ") + url + QStringLiteral(": ")),
             run.err.constData());
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

void TstPulsectlScrape::usage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no URL") << QStringList{} << "no URL given";
    QTest::newRow("bad timeout") << QStringList{QStringLiteral("--timeout"), QStringLiteral("soon"), QStringLiteral("http://x/")}
                                 << "bad --timeout 'soon'";
    QTest::newRow("bad size") << QStringList{QStringLiteral("--max-body"), QStringLiteral("16 parsecs"), QStringLiteral("http://x/")}
                              << "bad --max-body";
    QTest::newRow("missing value") << QStringList{QStringLiteral("http://x/"), QStringLiteral("--sample-limit")}
                                   << "--sample-limit needs a value";
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--insecure"), QStringLiteral("http://x/")}
                                    << "unknown option '--insecure'";
}

void TstPulsectlScrape::usage()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run run = runScrape(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    QVERIFY(run.err.contains("usage: pulsectl scrape"));
}

QTEST_GUILESS_MAIN(TstPulsectlScrape)
#include "tst_pulsectl_scrape.moc"
