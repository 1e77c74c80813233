// DemoServer over real loopback HTTP: every endpoint's status code and shape, metrics that parse,
// logs written, and the --for deadline.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "core/exposition/exposition_parser.h"
#include "demo/demo_server.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pulse;

class TstDemoServer : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void metricsParse();
    void health();
    void stats();
    void graphql_data();
    void graphql();
    void unknownPathAndMethod();
    void logsAreWritten();
    void endsAfterFor();

private:
    Result<HttpResponse> get(const std::string &path, const std::string &method = "GET", const std::string &body = {});

    QTemporaryDir m_dir;
    std::unique_ptr<IoRuntime> m_io;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<demo::DemoServer> m_server;
    std::string m_address;
    ManualClock m_clock{1'800'000'000'000};
};

void TstDemoServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_io = std::make_unique<IoRuntime>(1);
    m_http = std::make_unique<HttpClient>(*m_io);
    demo::DemoServerOptions options;
    options.port = 0;
    options.simulation.seed = 42;
    options.clock = &m_clock;
    options.accessLogPath = m_dir.filePath(QStringLiteral("access.log")).toStdString();
    options.appLogPath = m_dir.filePath(QStringLiteral("app.log")).toStdString();
    m_server = std::make_unique<demo::DemoServer>(options);
    auto address = m_server->start();
    QVERIFY2(address.has_value(), address ? "" : address.error().message.c_str());
    m_address = *address;
    QVERIFY(QString::fromStdString(m_address).startsWith(QLatin1String("127.0.0.1:")));
    QVERIFY(m_server->port() != 0);
}

void TstDemoServer::cleanupTestCase()
{
    m_server->stop();
    m_io->stop();
}

Result<HttpResponse> TstDemoServer::get(const std::string &path, const std::string &method, const std::string &body)
{
    HttpRequest req;
    req.method = method;
    req.url = "http://" + m_address + path;
    req.body = body;
    req.timeout = std::chrono::seconds(10);
    if (!body.empty())
        req.headers.emplace_back("Content-Type", "application/json");
    return m_http->fetchBlocking(req);
}

void TstDemoServer::metricsParse()
{
    m_clock.advance(60'000); // a minute of simulated traffic, so every family has series
    auto res = get("/metrics");
    QVERIFY2(res.has_value(), res ? "" : res.error().message.c_str());
    QCOMPARE(res->status, 200);
    QVERIFY(QString::fromStdString(res->contentType).startsWith(QLatin1String("text/plain")));
    auto parsed = parseExposition(res->body, formatFromContentType(res->contentType));
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
    QSet<QString> names;
    for (const auto &s : parsed->samples)
        names.insert(QString::fromStdString(s.name));
    for (const char *n : {"http_requests_total", "http_request_duration_seconds_bucket",
                          "http_request_duration_seconds_sum", "http_request_duration_seconds_count",
                          "db_pool_connections", "cache_hits_total", "cache_misses_total",
                          "process_cpu_seconds_total", "process_resident_memory_bytes"})
        QVERIFY2(names.contains(QString::fromLatin1(n)), n);
    bool sawLabels = false;
    for (const auto &s : parsed->samples) {
        if (s.name == "http_requests_total") {
            QVERIFY(s.labels.has("method") && s.labels.has("route") && s.labels.has("status"));
            sawLabels = true;
        }
    }
    QVERIFY(sawLabels);
}

void TstDemoServer::health()
{
    auto res = get("/health");
    QVERIFY(res.has_value());
    QVERIFY(res->status == 200 || res->status == 503);
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(res->body));
    QVERIFY(doc.isObject());
    const auto o = doc.object();
    QVERIFY(o.value(QLatin1String("status")).isString());
    QVERIFY(o.value(QLatin1String("version")).isString());
    QVERIFY(o.value(QLatin1String("uptime_seconds")).isDouble());
    QVERIFY(o.value(QLatin1String("checks")).isObject());
    QVERIFY(o.value(QLatin1String("checks")).toObject().contains(QLatin1String("database")));
}

void TstDemoServer::stats()
{
    auto res = get("/api/stats");
    QVERIFY(res.has_value());
    QCOMPARE(res->status, 200);
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(res->body));
    QVERIFY(doc.isObject());
    QVERIFY(doc.object().value(QLatin1String("requests")).toObject().value(QLatin1String("total")).isDouble());
    QVERIFY(doc.object().value(QLatin1String("queue")).toObject().value(QLatin1String("depth")).isDouble());
}

void TstDemoServer::graphql_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("hasData");
    QTest::newRow("valid") << R"({"query":"{ stats { activeUsers queueDepth } }"})" << 200 << true;
    QTest::newRow("unknown field") << R"({"query":"{ stats { nope } }"})" << 200 << false;
    QTest::newRow("not json") << "this is not json" << 400 << false;
}

void TstDemoServer::graphql()
{
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(bool, hasData);
    auto res = get("/graphql", "POST", body.toStdString());
    QVERIFY(res.has_value());
    QCOMPARE(res->status, status);
    const auto o = QJsonDocument::fromJson(QByteArray::fromStdString(res->body)).object();
    if (hasData) {
        const auto s = o.value(QLatin1String("data")).toObject().value(QLatin1String("stats")).toObject();
        QVERIFY(s.value(QLatin1String("activeUsers")).isDouble());
        QVERIFY(s.value(QLatin1String("queueDepth")).isDouble());
        QVERIFY(!o.contains(QLatin1String("errors")));
    } else {
        QVERIFY(o.value(QLatin1String("errors")).isArray());
        QVERIFY(!o.value(QLatin1String("errors")).toArray().isEmpty());
    }
}

void TstDemoServer::unknownPathAndMethod()
{
    auto missing = get("/nope");
    QVERIFY(missing.has_value());
    QCOMPARE(missing->status, 404);
    auto wrongMethod = get("/metrics", "POST", "{}");
    QVERIFY(wrongMethod.has_value());
    QCOMPARE(wrongMethod->status, 405);
}

void TstDemoServer::logsAreWritten()
{
    m_clock.advance(5'000);
    // The server ticks every 250 ms; wait (bounded) for its first flush.
    const QString access = m_dir.filePath(QStringLiteral("access.log"));
    const QString app = m_dir.filePath(QStringLiteral("app.log"));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(access).size() > 0 && QFileInfo(app).size() > 0, 5000);
    QFile f(access);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString first = QString::fromUtf8(f.readLine()).trimmed();
    static const QRegularExpression combined(
        QStringLiteral(R"(^\S+ - \S+ \[[^\]]+\] "[A-Z]+ \S+ HTTP/1\.[01]" \d{3} \d+ "[^"]*" "[^"]*"$)"));
    QVERIFY2(combined.match(first).hasMatch(), qPrintable(first));
    QFile g(app);
    QVERIFY(g.open(QIODevice::ReadOnly));
    QVERIFY(QJsonDocument::fromJson(g.readLine()).isObject());
}

void TstDemoServer::endsAfterFor()
{
    demo::DemoServerOptions options;
    options.runForMs = 300;
    demo::DemoServer server(options);
    QVERIFY(server.start().has_value());
    server.wait(); // returns once --for has elapsed; the test's CTest timeout guards a hang
    server.stop();
}

QTEST_GUILESS_MAIN(TstDemoServer)
#include "tst_demo_server.moc"
