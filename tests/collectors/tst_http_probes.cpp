// HttpProbe, JsonProbe and GraphQLProbe against the demo service and a scripted loopback server:
// each expectation that misses fails the run with a message naming what was expected and what came,
// a slow answer is Degraded, and every run reports probe_success / up with job and instance.
#include "collectors/graphql_probe.h"
#include "collectors/http_client.h"
#include "collectors/http_probe.h"
#include "collectors/io_runtime.h"
#include "collectors/json_pointer.h"
#include "collectors/json_probe.h"
#include "demo/demo_server.h"
#include "probe_test_support.h"
#include "test_http_server.h"

#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <thread>

using namespace pulse;
using pulse::test::TestHttpServer;
using pulse::test::findSample;
using pulse::test::healthText;
using pulse::test::runProbe;
using pulse::test::valueOf;

namespace {

std::string httpResponse(int status, const std::string &body, const std::string &contentType = "application/json")
{
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

/// ScriptedServer answers every request with the same bytes after `delayMs`, and remembers the last
/// request it read (head and whatever body came with it).
class ScriptedServer {
public:
    ScriptedServer(std::string answer, int delayMs = 0)
        : m_server([this, answer = std::move(answer), delayMs](int fd, const std::string &head, const TestHttpServer &) {
              {
                  std::lock_guard lock(m_mutex);
                  m_lastRequest = head;
              }
              std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
              TestHttpServer::sendAll(fd, answer);
          })
    {
    }
    std::string url(const std::string &path = "/") const { return m_server.url(path); }
    std::string lastRequest()
    {
        std::lock_guard lock(m_mutex);
        return m_lastRequest;
    }

private:
    std::mutex m_mutex;
    std::string m_lastRequest;
    TestHttpServer m_server;
};

/// checkTarget is a target named "check" of the kind whose options are T.
template <class T> TargetConfig checkTarget(const std::string &url)
{
    T options;
    options.http.url = url;
    TargetConfig t(std::move(options));
    t.name = "check";
    t.timeout = std::chrono::seconds(2);
    return t;
}

template <class T> T &opts(TargetConfig &t)
{
    return std::get<T>(t.options);
}

demo::DemoServerOptions quietDemo()
{
    demo::DemoServerOptions options;
    options.simulation.incidentEveryMs = 0; // no error bursts: /health stays 200
    return options;
}

} // namespace

Q_DECLARE_METATYPE(HttpExpectations)
Q_DECLARE_METATYPE(TargetHealth)

class TstHttpProbes : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_io = std::make_unique<IoRuntime>(2); m_http = std::make_unique<HttpClient>(*m_io); }
    void cleanupTestCase() { m_http.reset(); m_io->stop(); }

    void jsonPointer_data();
    void jsonPointer();
    void httpExpectations_data();
    void httpExpectations();
    void httpAgainstDemo();
    void httpRefused();
    void httpsCertificate();
    void json_data();
    void json();
    void jsonAgainstDemo();
    void jsonPostsItsBody();
    void graphql_data();
    void graphql();
    void graphqlAgainstDemo();

private:
    std::unique_ptr<IoRuntime> m_io;
    std::unique_ptr<HttpClient> m_http;
};

void TstHttpProbes::jsonPointer_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("expected"); // the value as text, or "error: <part of the message>"
    QTest::newRow("whole document") << "" << R"({"a":{"b/c":1,"m~n":[10,true,"7"]},"s":"x"})";
    QTest::newRow("member") << "/s" << "x";
    QTest::newRow("escaped slash") << "/a/b~1c" << "1";
    QTest::newRow("escaped tilde, index") << "/a/m~0n/0" << "10";
    QTest::newRow("boolean") << "/a/m~0n/1" << "true";
    QTest::newRow("missing member") << "/a/zz" << "error: '/a/zz' not found: /a has no member 'zz'";
    QTest::newRow("index out of range") << "/a/m~0n/3" << "error: /a/m~0n is an array of 3 elements, no element '3'";
    QTest::newRow("leading zero index") << "/a/m~0n/01" << "error: no element '01'";
    QTest::newRow("into a scalar") << "/s/x" << "error: /s is a string, not an object or array";
}

void TstHttpProbes::jsonPointer()
{
    QFETCH(QString, pointer);
    QFETCH(QString, expected);
    const auto doc = parseJsonBody(R"({"a":{"b/c":1,"m~n":[10,true,"7"]},"s":"x"})");
    QVERIFY(doc.has_value());
    const auto value = resolveJsonPointer(*doc, pointer.toStdString());
    if (expected.startsWith(QLatin1String("error: "))) {
        QVERIFY(!value.has_value());
        QVERIFY2(QString::fromStdString(value.error().message).contains(expected.mid(7)), value.error().message.c_str());
    } else {
        QVERIFY2(value.has_value(), value ? "" : value.error().message.c_str());
        QCOMPARE(QString::fromStdString(jsonValueText(*value)), expected);
    }
}

void TstHttpProbes::httpExpectations_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<HttpExpectations>("expect");
    QTest::addColumn<TargetHealth>("health");
    QTest::addColumn<QString>("error");

    const std::string okBody = R"({"status":"ok","checks":{"db":{"up":true,"latency_ms":3.5}}})";
    const QString ok = QString::fromStdString(httpResponse(200, okBody));
    HttpExpectations all;
    all.statusCodes = {200, 204};
    all.bodyContains = "\"ok\"";
    all.bodyRegex = "latency_ms\":[0-9.]+";
    all.jsonPointerEquals = {{"/status", "ok"}, {"/checks/db/up", "true"}, {"/checks/db/latency_ms", "3.5"}};
    all.maxLatency = std::chrono::seconds(1);
    QTest::newRow("every expectation met") << ok << 0 << all << TargetHealth::Up << "";
    QTest::newRow("no expect block, 2xx") << ok << 0 << HttpExpectations{} << TargetHealth::Up << "";

    HttpExpectations only200;
    only200.statusCodes = {200};
    QTest::newRow("wrong status") << QString::fromStdString(httpResponse(503, "busy")) << 0 << only200
                                  << TargetHealth::Down << "expected status 200, got 503";
    QTest::newRow("not 2xx") << QString::fromStdString(httpResponse(404, "nope")) << 0 << HttpExpectations{}
                             << TargetHealth::Down << "expected a 2xx status, got 404";
    HttpExpectations twoCodes;
    twoCodes.statusCodes = {200, 204};
    QTest::newRow("status list") << QString::fromStdString(httpResponse(500, "")) << 0 << twoCodes
                                 << TargetHealth::Down << "expected status 200 or 204, got 500";
    HttpExpectations contains;
    contains.bodyContains = "healthy";
    QTest::newRow("body contains") << ok << 0 << contains << TargetHealth::Down
                                   << "body does not contain \"healthy\"";
    HttpExpectations regex;
    regex.bodyRegex = "^OK$";
    QTest::newRow("body regex") << ok << 0 << regex << TargetHealth::Down << "body does not match /^OK$/";
    HttpExpectations pointer;
    pointer.jsonPointerEquals = {{"/status", "down"}};
    QTest::newRow("json pointer value") << ok << 0 << pointer << TargetHealth::Down
                                        << "/status is \"ok\", expected \"down\"";
    HttpExpectations missing;
    missing.jsonPointerEquals = {{"/checks/cache/up", "true"}};
    QTest::newRow("json pointer missing") << ok << 0 << missing << TargetHealth::Down
                                          << "JSON pointer '/checks/cache/up' not found: /checks has no member 'cache'";
    QTest::newRow("json pointer on non-JSON") << QString::fromStdString(httpResponse(200, "<html>", "text/html")) << 0
                                              << pointer << TargetHealth::Down << "response is not JSON";
    HttpExpectations fast;
    fast.maxLatency = std::chrono::milliseconds(50);
    QTest::newRow("slow answer is degraded") << ok << 300 << fast << TargetHealth::Degraded
                                             << "ms, max_latency is 50ms";
    HttpExpectations twoMisses;
    twoMisses.bodyContains = "healthy";
    twoMisses.jsonPointerEquals = {{"/status", "up"}};
    QTest::newRow("every miss is listed") << ok << 0 << twoMisses << TargetHealth::Down
                                          << "body does not contain \"healthy\"; /status is \"ok\", expected \"up\"";
    HttpExpectations statusFirst;
    statusFirst.statusCodes = {200};
    statusFirst.bodyContains = "healthy";
    QTest::newRow("a wrong status is the whole story") << QString::fromStdString(httpResponse(503, "busy")) << 0
                                                       << statusFirst << TargetHealth::Down
                                                       << "expected status 200, got 503";
}

void TstHttpProbes::httpExpectations()
{
    QFETCH(QString, answer);
    QFETCH(int, delayMs);
    QFETCH(HttpExpectations, expect);
    QFETCH(TargetHealth, health);
    QFETCH(QString, error);
    ScriptedServer server(answer.toStdString(), delayMs);
    auto target = checkTarget<HttpCheckOptions>(server.url("/healthz"));
    opts<HttpCheckOptions>(target).expect = expect;
    HttpProbe probe(target, *m_http);
    const auto outcome = runProbe(probe);
    QCOMPARE(healthText(outcome.health), healthText(health));
    if (error.isEmpty())
        QVERIFY2(outcome.error.empty(), outcome.error.c_str());
    else
        QVERIFY2(QString::fromStdString(outcome.error).startsWith(error) ||
                     (health == TargetHealth::Degraded && QString::fromStdString(outcome.error).contains(error)),
                 outcome.error.c_str());
    QCOMPARE(valueOf(outcome, "probe_success"), health == TargetHealth::Down ? 0.0 : 1.0);
    QCOMPARE(valueOf(outcome, "up"), health == TargetHealth::Down ? 0.0 : 1.0);
    QVERIFY(valueOf(outcome, "probe_http_status_code") >= 200);
    QVERIFY(valueOf(outcome, "probe_duration_seconds") >= delayMs / 1000.0);
    const Sample *success = findSample(outcome, "probe_success");
    QCOMPARE(success->labels.value("job"), std::string_view("check"));
    QCOMPARE(success->labels.value("instance"), std::string_view(pulse::instanceLabel(target.http()->url)));
    QCOMPARE(success->timestampMs, std::int64_t(1'700'000'000'000));
}

void TstHttpProbes::httpAgainstDemo()
{
    demo::DemoServer demo(quietDemo());
    const auto address = demo.start();
    QVERIFY(address.has_value());
    auto target = checkTarget<HttpCheckOptions>("http://" + *address + "/health");
    target.labels.set("team", "core");
    HttpExpectations expect;
    expect.statusCodes = {200};
    expect.jsonPointerEquals = {{"/status", "ok"}, {"/checks/cache/status", "ok"}};
    opts<HttpCheckOptions>(target).expect = expect;
    HttpProbe probe(target, *m_http);
    const auto outcome = runProbe(probe);
    QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
    QCOMPARE(valueOf(outcome, "probe_http_status_code"), 200.0);
    QCOMPARE(valueOf(outcome, "probe_success", {{"job", "check"}, {"instance", address->c_str()}, {"team", "core"}}), 1.0);
    QVERIFY(findSample(outcome, "probe_http_duration_seconds", {{"phase", "connect"}}));
    QVERIFY(findSample(outcome, "probe_http_duration_seconds", {{"phase", "transfer"}}));
    QVERIFY(!findSample(outcome, "probe_http_duration_seconds", {{"phase", "tls"}}));
    QVERIFY(!findSample(outcome, "probe_ssl_earliest_cert_expiry")); // plain HTTP
    QVERIFY(valueOf(outcome, "probe_http_uncompressed_body_length") > 10);

    target.http()->url = "http://" + *address + "/nowhere";
    HttpProbe missing(target, *m_http);
    const auto notFound = runProbe(missing);
    QCOMPARE(healthText(notFound.health), healthText(TargetHealth::Down));
    QCOMPARE(QString::fromStdString(notFound.error), QStringLiteral("expected status 200, got 404"));
}

void TstHttpProbes::httpRefused()
{
    std::uint16_t port = 0;
    {
        TestHttpServer gone(nullptr);
        port = gone.port();
    }
    HttpProbe probe(checkTarget<HttpCheckOptions>("http://127.0.0.1:" + std::to_string(port) + "/"), *m_http);
    const auto outcome = runProbe(probe);
    QCOMPARE(healthText(outcome.health), healthText(TargetHealth::Down));
    QVERIFY2(QString::fromStdString(outcome.error).contains(QLatin1String("refused")), outcome.error.c_str());
    QCOMPARE(valueOf(outcome, "probe_success"), 0.0);
    QCOMPARE(valueOf(outcome, "probe_http_status_code"), 0.0);
    QCOMPARE(valueOf(outcome, "up"), 0.0);
}

void TstHttpProbes::httpsCertificate()
{
    // A real TLS server: `openssl s_server -www` with a fresh 30-day certificate for localhost.
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("openssl is not installed");
    QTemporaryDir dir;
    const QString cert = dir.filePath(QStringLiteral("cert.pem"));
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    QProcess req;
    req.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                        QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                        QStringLiteral("-days"), QStringLiteral("30"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                        QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost")});
    QVERIFY(req.waitForFinished(30000) && req.exitCode() == 0);
    std::uint16_t port = 0;
    {
        TestHttpServer probePort(nullptr);
        port = probePort.port();
    }
    QProcess server;
    server.start(openssl, {QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
                           QStringLiteral("-cert"), cert, QStringLiteral("-key"), key, QStringLiteral("-www"),
                           QStringLiteral("-quiet")});
    QVERIFY(server.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(pulse::test::acceptsConnections(port), 5000);

    auto target = checkTarget<HttpCheckOptions>("https://localhost:" + std::to_string(port) + "/");
    target.http()->tls.caFile = cert.toStdString();
    HttpProbe trusted(target, *m_http);
    for (int i = 0; i < 2; ++i) { // the second run uses the cached TLS context
        const auto outcome = runProbe(trusted);
        QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
        const double days = valueOf(outcome, "probe_ssl_days_to_expiry");
        QVERIFY2(days > 29.9 && days <= 30.01, qPrintable(QString::number(days)));
        QVERIFY(valueOf(outcome, "probe_ssl_earliest_cert_expiry") > 1.7e9);
        QVERIFY(findSample(outcome, "probe_http_duration_seconds", {{"phase", "tls"}}));
    }

    target.http()->tls.caFile.clear();
    HttpProbe untrusted(target, *m_http);
    const auto refused = runProbe(untrusted);
    QCOMPARE(healthText(refused.health), healthText(TargetHealth::Down));
    QVERIFY2(QString::fromStdString(refused.error).contains(QLatin1String("certificate verification failed")),
             refused.error.c_str());
    QVERIFY(!findSample(refused, "probe_ssl_days_to_expiry"));

    target.http()->tls.insecureSkipVerify = true;
    HttpProbe insecure(target, *m_http);
    const auto accepted = runProbe(insecure);
    QVERIFY2(accepted.health == TargetHealth::Up, accepted.error.c_str());
    server.kill();
    server.waitForFinished();
}

void TstHttpProbes::json_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("error");
    QTest::addColumn<double>("connections"); // expected db_connections when the run succeeds

    const std::string body = R"({"db":{"connections":12,"ready":true,"lag":"0.25"},"items":[{"n":1},{"n":2}],"name":"x"})";
    QTest::newRow("numbers, booleans, numeric strings") << QString::fromStdString(httpResponse(200, body)) << "" << 12.0;
    QTest::newRow("not JSON") << QString::fromStdString(httpResponse(200, "{\"db\":", "application/json")) << "response is not JSON"
                              << 0.0;
    QTest::newRow("server error") << QString::fromStdString(httpResponse(500, body)) << "expected a 2xx status, got 500"
                                  << 0.0;
    const std::string noDb = R"({"db":{"ready":true,"lag":"0.25"},"items":[{"n":1},{"n":2}]})";
    QTest::newRow("missing pointer names it") << QString::fromStdString(httpResponse(200, noDb))
                                              << "JSON pointer '/db/connections' not found: /db has no member "
                                                 "'connections' (for metric db_connections)"
                                              << 0.0;
    const std::string objectThere = R"({"db":{"connections":{"active":3},"ready":true,"lag":"0.25"},"items":[{"n":1},{"n":2}]})";
    QTest::newRow("not a number") << QString::fromStdString(httpResponse(200, objectThere))
                                  << "JSON pointer '/db/connections' is an object, not a number" << 0.0;
}

void TstHttpProbes::json()
{
    QFETCH(QString, answer);
    QFETCH(QString, error);
    QFETCH(double, connections);
    ScriptedServer server(answer.toStdString());
    auto target = checkTarget<JsonOptions>(server.url("/stats"));
    opts<JsonOptions>(target).extract = {{"db_connections", "/db/connections"}, {"db_ready", "/db/ready"}, {"replica_lag", "/db/lag"},
                      {"second_item", "/items/1/n"}};
    JsonProbe probe(target, *m_http);
    const auto outcome = runProbe(probe);
    if (error.isEmpty()) {
        QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
        QCOMPARE(valueOf(outcome, "db_connections", {{"job", "check"}}), connections);
        QCOMPARE(valueOf(outcome, "db_ready"), 1.0);
        QCOMPARE(valueOf(outcome, "replica_lag"), 0.25);
        QCOMPARE(valueOf(outcome, "second_item"), 2.0);
        QCOMPARE(valueOf(outcome, "probe_success"), 1.0);
    } else {
        QCOMPARE(healthText(outcome.health), healthText(TargetHealth::Down));
        QVERIFY2(QString::fromStdString(outcome.error).startsWith(error), outcome.error.c_str());
        QVERIFY(!findSample(outcome, "db_connections")); // all-or-nothing
        QVERIFY(!findSample(outcome, "db_ready"));
        QCOMPARE(valueOf(outcome, "probe_success"), 0.0);
        QCOMPARE(valueOf(outcome, "up"), 0.0);
    }
}

void TstHttpProbes::jsonAgainstDemo()
{
    demo::DemoServer demo(quietDemo());
    const auto address = demo.start();
    QVERIFY(address.has_value());
    auto target = checkTarget<JsonOptions>("http://" + *address + "/api/stats");
    opts<JsonOptions>(target).extract = {{"demo_db_active", "/db/connections/active"},
                      {"demo_users", "/users/active"},
                      {"demo_hit_ratio", "/cache/hit_ratio"}};
    JsonProbe probe(target, *m_http);
    const auto outcome = runProbe(probe);
    QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
    QVERIFY(valueOf(outcome, "demo_db_active", {{"instance", address->c_str()}}) >= 0);
    QVERIFY(valueOf(outcome, "demo_users") >= 0);
    const double hit = valueOf(outcome, "demo_hit_ratio");
    QVERIFY(hit >= 0 && hit <= 1);
    QCOMPARE(valueOf(outcome, "probe_http_status_code"), 200.0);
}

void TstHttpProbes::jsonPostsItsBody()
{
    ScriptedServer server(httpResponse(200, R"({"depth":4})"));
    auto target = checkTarget<JsonOptions>(server.url("/query"));
    opts<JsonOptions>(target).method = "POST";
    opts<JsonOptions>(target).body = R"({"queue":"emails"})";
    opts<JsonOptions>(target).extract = {{"queue_depth", "/depth"}};
    JsonProbe probe(target, *m_http);
    const auto outcome = runProbe(probe);
    QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
    QCOMPARE(valueOf(outcome, "queue_depth"), 4.0);
    const QString request = QString::fromStdString(server.lastRequest());
    QVERIFY2(request.startsWith(QLatin1String("POST /query ")), qPrintable(request));
    QVERIFY2(request.contains(QLatin1String("Content-Type: application/json"), Qt::CaseInsensitive), qPrintable(request));
}

void TstHttpProbes::graphql_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QString>("error");
    QTest::newRow("data") << QString::fromStdString(httpResponse(200, R"({"data":{"stats":{"activeUsers":41}}})")) << "";
    QTest::newRow("errors with 400") << QString::fromStdString(httpResponse(400, R"({"errors":[{"message":"Syntax Error: Expected Name","locations":[{"line":1,"column":9}]}]})"))
                                     << "GraphQL error: Syntax Error: Expected Name (line 1, column 9)";
    QTest::newRow("errors with 200") << QString::fromStdString(httpResponse(200, R"({"data":null,"errors":[{"message":"a"},{"message":"b"}]})"))
                                     << "GraphQL errors: a; b";
    QTest::newRow("no data") << QString::fromStdString(httpResponse(200, R"({"data":null})")) << "GraphQL answer has no data";
    QTest::newRow("bad gateway") << QString::fromStdString(httpResponse(502, "<html>bad gateway</html>", "text/html"))
                                 << "expected a 2xx status, got 502";
    QTest::newRow("missing pointer") << QString::fromStdString(httpResponse(200, R"({"data":{"stats":null}})"))
                                     << "JSON pointer '/data/stats/activeUsers' not found: /data/stats is null, not an "
                                        "object or array (for metric active_users)";
}

void TstHttpProbes::graphql()
{
    QFETCH(QString, answer);
    QFETCH(QString, error);
    ScriptedServer server(answer.toStdString());
    auto target = checkTarget<GraphQLOptions>(server.url("/graphql"));
    opts<GraphQLOptions>(target).query = "query Q($n: Int) { stats { activeUsers } }";
    opts<GraphQLOptions>(target).variables = QJsonObject{{QStringLiteral("n"), 3}};
    opts<GraphQLOptions>(target).extract = {{"active_users", "/data/stats/activeUsers"}};
    GraphQLProbe probe(target, *m_http);
    const auto outcome = runProbe(probe);
    if (error.isEmpty()) {
        QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
        QCOMPARE(valueOf(outcome, "active_users"), 41.0);
    } else {
        QCOMPARE(healthText(outcome.health), healthText(TargetHealth::Down));
        QCOMPARE(QString::fromStdString(outcome.error), error);
        QCOMPARE(valueOf(outcome, "probe_success"), 0.0);
    }
    const QString request = QString::fromStdString(server.lastRequest());
    QVERIFY2(request.startsWith(QLatin1String("POST /graphql ")), qPrintable(request));
    QVERIFY2(request.contains(QLatin1String(R"("variables":{"n":3})")), qPrintable(request));
}

void TstHttpProbes::graphqlAgainstDemo()
{
    demo::DemoServer demo(quietDemo());
    const auto address = demo.start();
    QVERIFY(address.has_value());
    auto target = checkTarget<GraphQLOptions>("http://" + *address + "/graphql");
    opts<GraphQLOptions>(target).query = "{ stats { activeUsers queueDepth } health { status } }";
    opts<GraphQLOptions>(target).extract = {{"demo_active_users", "/data/stats/activeUsers"}, {"demo_queue_depth", "/data/stats/queueDepth"}};
    GraphQLProbe probe(target, *m_http);
    const auto outcome = runProbe(probe);
    QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
    QVERIFY(valueOf(outcome, "demo_active_users") >= 0);
    QVERIFY(valueOf(outcome, "demo_queue_depth") >= 0);

    opts<GraphQLOptions>(target).query = "{ stats { noSuchField } }";
    GraphQLProbe bad(target, *m_http);
    const auto failed = runProbe(bad);
    QCOMPARE(healthText(failed.health), healthText(TargetHealth::Down));
    QVERIFY2(QString::fromStdString(failed.error).startsWith(QLatin1String("GraphQL error: ")), failed.error.c_str());
    QVERIFY2(QString::fromStdString(failed.error).contains(QLatin1String("noSuchField")), failed.error.c_str());
}

QTEST_GUILESS_MAIN(TstHttpProbes)
#include "tst_http_probes.moc"
