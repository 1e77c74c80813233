// HttpClient where a server can aim at its edges: a deadline expiring in the same loop turn as the
// answer, bytes no request asked for (smuggled responses), ambiguous framing headers, informational
// answers, and credentials on redirects to another origin.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/probe_http_request.h"
#include "test_http_server.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

using namespace pulse;
using pulse::test::readHead;
using pulse::test::TestHttpServer;
using pulse::test::waitForClose;
using Clock = std::chrono::steady_clock;

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string answer(const std::string &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// Fetched is what one request to a server that sends fixed bytes gave back, and how many
/// connections the client then kept for reuse.
struct Fetched {
    Result<HttpResponse> result;
    std::size_t idle = 0;
};

Fetched fetchReply(IoRuntime &io, const std::string &bytes, const std::string &method)
{
    TestHttpServer server([&](int fd, const std::string &, const TestHttpServer &s) {
        TestHttpServer::sendAll(fd, bytes);
        waitForClose(fd, s);
    });
    HttpClient client(io);
    HttpRequest req;
    req.method = method;
    req.url = server.url("/metrics");
    req.timeout = std::chrono::seconds(2);
    Result<HttpResponse> result = client.fetchBlocking(req);
    return {std::move(result), client.idleConnections()};
}

/// waitFor polls `done` for up to five seconds (the server thread sets it).
bool waitFor(const std::atomic<bool> &done)
{
    for (int i = 0; i < 5000 && !done; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return done;
}

} // namespace

class TstHttpFraming : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_io = std::make_unique<IoRuntime>(2); }
    void cleanupTestCase() { m_io->stop(); }
    void deadlineInTheSameTurnAsTheAnswer_data();
    void deadlineInTheSameTurnAsTheAnswer();
    void answersJustBeforeTheDeadline();
    void refusedFraming_data();
    void refusedFraming();
    void acceptedFraming_data();
    void acceptedFraming();
    void smuggledBytesNeverReachTheNextRequest();
    void redirectsKeepCredentialsAtTheirOrigin();
    void headerInjectionIsRefused();
    void secretHeadersStayAtTheirOrigin();

private:
    std::unique_ptr<IoRuntime> m_io;
};

void TstHttpFraming::deadlineInTheSameTurnAsTheAnswer_data()
{
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("kept alive (connection pooled)") << true;
    QTest::newRow("Connection: close (connection closed)") << false;
}

void TstHttpFraming::deadlineInTheSameTurnAsTheAnswer()
{
    // Deterministic form of the race: the body's last bytes and the deadline both become ready while
    // the exchange's only loop is busy (a task posted to it sleeps past the deadline), so one loop
    // turn queues the body's completion and then the timer's. The completion ends the exchange;
    // the expiry must find nothing to close rather than a connection already released.
    QFETCH(bool, keepAlive);
    IoRuntime io(1);
    constexpr auto kTimeout = std::chrono::milliseconds(300);
    std::atomic<Clock::time_point> started{};
    std::atomic<bool> blocked{false};
    TestHttpServer server([&](int fd, const std::string &, const TestHttpServer &s) {
        TestHttpServer::sendAll(fd, std::string("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n") +
                                        (keepAlive ? "" : "Connection: close\r\n") + "\r\n12345");
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the client now waits for the body
        io.post([&] {
            blocked = true;
            std::this_thread::sleep_until(started.load() + kTimeout + std::chrono::milliseconds(50));
        });
        while (!blocked)
            std::this_thread::yield();
        TestHttpServer::sendAll(fd, "67890");
        waitForClose(fd, s);
    });
    HttpClient client(io);
    HttpRequest req;
    req.url = server.url("/metrics");
    req.timeout = kTimeout;
    started.store(Clock::now());
    const auto res = client.fetchBlocking(req);
    // Both are right: the answer was complete when the deadline was looked at, or it was not.
    if (res)
        QCOMPARE(res->body, std::string("1234567890"));
    else
        QVERIFY2(res.error().message.starts_with("timed out"), res.error().message.c_str());
}

void TstHttpFraming::answersJustBeforeTheDeadline()
{
    // The statistical form (a server can aim for it: the timeout is sent in
    // X-Prometheus-Scrape-Timeout-Seconds): four servers finish each body at timeout - delta for delta
    // from 0 to 2 ms, 1,200 fetches in all. Each result is the whole body or "timed out".
    constexpr auto kTimeout = std::chrono::milliseconds(15);
    constexpr int kStreams = 4;
    constexpr int kFetchesPerStream = 300;
    std::vector<std::unique_ptr<TestHttpServer>> servers;
    servers.reserve(kStreams);
    for (int i = 0; i < kStreams; ++i) {
        servers.push_back(
            std::make_unique<TestHttpServer>([&](int fd, const std::string &first, const TestHttpServer &) {
                std::string head = first;
                for (int n = 0; !head.empty(); ++n) {
                    const auto received = Clock::now();
                    const auto delta = std::chrono::microseconds(100 * (n % 21));
                    TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbo");
                    std::this_thread::sleep_until(received + kTimeout - delta);
                    TestHttpServer::sendAll(fd, "dy");
                    head = readHead(fd);
                }
            }));
    }
    HttpClient client(*m_io);
    std::atomic<int> complete{0};
    std::atomic<int> timedOut{0};
    std::atomic<int> other{0};
    std::vector<std::thread> streams;
    streams.reserve(kStreams);
    for (int i = 0; i < kStreams; ++i) {
        streams.emplace_back([&, url = servers[static_cast<std::size_t>(i)]->url("/metrics")] {
            HttpRequest req;
            req.url = url;
            req.timeout = kTimeout;
            for (int n = 0; n < kFetchesPerStream; ++n) {
                const auto res = client.fetchBlocking(req);
                if (res && res->body == "body")
                    ++complete;
                else if (!res && res.error().message.starts_with("timed out"))
                    ++timedOut;
                else
                    ++other;
            }
        });
    }
    for (auto &t : streams)
        t.join();
    QCOMPARE(other.load(), 0);
    QCOMPARE(complete + timedOut, kStreams * kFetchesPerStream);
}

void TstHttpFraming::refusedFraming_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("expected");
    const QString exposition = QStringLiteral("# TYPE up gauge\nup 1\n"); // 21 bytes
    QTest::newRow("smuggled second response")
        << QStringLiteral("HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\n") + exposition +
               QStringLiteral("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nsmuggled 1\n\n")
        << "the server sent 51 bytes after the 21-byte response that no request asked for (a second response?); "
           "connection closed";
    QTest::newRow("two different Content-Length")
        << QStringLiteral("HTTP/1.1 200 OK\r\nContent-Length: 21\r\nContent-Length: 70\r\n\r\n") + exposition
        << "response has two different Content-Length headers (the first says 21)";
    QTest::newRow("Transfer-Encoding, then Content-Length")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        << "response has both Transfer-Encoding and Content-Length (ambiguous framing)";
    QTest::newRow("Content-Length, then Transfer-Encoding")
        << "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        << "response has both Content-Length and Transfer-Encoding (ambiguous framing)";
    QTest::newRow("invalid Content-Length") << "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\nhello"
                                            << "response has an invalid Content-Length";
    QTest::newRow("204 with a body") << "HTTP/1.1 204 No Content\r\n\r\nsurprise"
                                     << "a 204 response carried a body (8 bytes), which it must not have; "
                                        "connection closed";
    QTest::newRow("endless informational answers") << QStringLiteral("HTTP/1.1 103 Early Hints\r\n\r\n").repeated(9)
                                                   << "more than 8 informational (1xx) responses before an answer";
}

void TstHttpFraming::refusedFraming()
{
    QFETCH(QString, reply);
    QFETCH(QString, expected);
    const Fetched fetched = fetchReply(*m_io, reply.toStdString(), "GET");
    QVERIFY2(!fetched.result.has_value(), "the scrape should have failed");
    QCOMPARE(QString::fromStdString(fetched.result.error().message), expected);
    QCOMPARE(fetched.idle, std::size_t(0)); // never reused
}

void TstHttpFraming::acceptedFraming_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("body");
    QTest::newRow("103 Early Hints before the answer")
        << "GET"
        << "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n"
           "Content-Length: 2\r\n\r\nok"
        << "ok";
    QTest::newRow("the same Content-Length twice (RFC 9110 allows it)")
        << "GET"
        << "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"
        << "ok";
    QTest::newRow("HEAD: Content-Length without a body") << "HEAD"
                                                         << "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
                                                         << "";
}

void TstHttpFraming::acceptedFraming()
{
    QFETCH(QString, method);
    QFETCH(QString, reply);
    QFETCH(QString, body);
    const Fetched fetched = fetchReply(*m_io, reply.toStdString(), method.toStdString());
    const auto &res = fetched.result;
    QVERIFY2(res.has_value(), res ? "" : res.error().message.c_str());
    QCOMPARE(res->status, 200);
    QCOMPARE(QString::fromStdString(res->body), body);
    QCOMPARE(fetched.idle, std::size_t(1));
}

void TstHttpFraming::smuggledBytesNeverReachTheNextRequest()
{
    // The answer is framed correctly; the smuggled response arrives once the connection is idle in
    // the pool. The next scrape must not take it for its answer: it goes on a fresh connection.
    std::atomic<int> connections{0};
    std::atomic<bool> smuggled{false};
    TestHttpServer server([&](int fd, const std::string &, const TestHttpServer &s) {
        if (connections++ == 0) {
            TestHttpServer::sendAll(fd, answer("first\n"));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            TestHttpServer::sendAll(fd, answer("smuggled\n"));
            smuggled = true;
        } else {
            TestHttpServer::sendAll(fd, answer("second\n"));
        }
        waitForClose(fd, s);
    });
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = server.url("/metrics");
    req.timeout = std::chrono::seconds(2);
    const auto first = client.fetchBlocking(req);
    QVERIFY2(first.has_value(), first ? "" : first.error().message.c_str());
    QCOMPARE(first->body, std::string("first\n"));
    QVERIFY(waitFor(smuggled)); // on loopback the bytes are in our receive buffer once send returned
    const auto second = client.fetchBlocking(req);
    QVERIFY2(second.has_value(), second ? "" : second.error().message.c_str());
    QCOMPARE(second->body, std::string("second\n"));
    QVERIFY(!second->reusedConnection);
    QCOMPARE(connections.load(), 2);
}

void TstHttpFraming::redirectsKeepCredentialsAtTheirOrigin()
{
    // `elsewhere` is another origin (another port): it must not see the credentials; a redirect on
    // the same origin keeps them.
    TestHttpServer elsewhere(
        [](int fd, const std::string &head, const TestHttpServer &) { TestHttpServer::sendAll(fd, answer(head)); });
    const std::string away = elsewhere.url("/landed");
    TestHttpServer origin([&](int fd, const std::string &head, const TestHttpServer &) {
        if (head.starts_with("GET /away"))
            TestHttpServer::sendAll(fd, "HTTP/1.1 302 Found\r\nLocation: " + away + "\r\nContent-Length: 0\r\n\r\n");
        else if (head.starts_with("GET /here"))
            TestHttpServer::sendAll(fd, "HTTP/1.1 308 Moved\r\nLocation: /landed\r\nContent-Length: 0\r\n\r\n");
        else
            TestHttpServer::sendAll(fd, answer(head));
    });
    HttpClientOptions noReuse;
    noReuse.maxIdlePerHost = 0; // each TestHttpServer serves one request per connection here
    HttpClient client(*m_io, noReuse);
    HttpRequest req;
    req.timeout = std::chrono::seconds(2);
    req.headers = {{"Authorization", "Bearer s3cr3t-token"},
                   {"Cookie", "session=c00kie"},
                   {"X-Auth-Key", "k3y-value"},
                   {"X-Tenant", "blue"}};
    req.secretHeaders = {"X-Auth-Key"};

    req.url = origin.url("/here");
    const auto same = client.fetchBlocking(req);
    QVERIFY2(same.has_value(), same ? "" : same.error().message.c_str());
    QCOMPARE(same->redirects, 1);
    for (const char *kept :
         {"authorization: bearer s3cr3t-token", "cookie: session=c00kie", "x-auth-key: k3y-value", "x-tenant: blue"})
        QVERIFY2(lower(same->body).find(kept) != std::string::npos, kept);

    req.url = origin.url("/away");
    const auto moved = client.fetchBlocking(req);
    QVERIFY2(moved.has_value(), moved ? "" : moved.error().message.c_str());
    QCOMPARE(moved->redirects, 1);
    QVERIFY(moved->body.starts_with("GET /landed"));
    for (const char *secret : {"s3cr3t-token", "c00kie", "k3y-value"})
        QVERIFY2(moved->body.find(secret) == std::string::npos, moved->body.c_str());
    QVERIFY(lower(moved->body).find("x-tenant: blue") != std::string::npos);
}

void TstHttpFraming::headerInjectionIsRefused()
{
    // A token file edited on another system ends up with "\r\n" inside, or a header value carries
    // one: it must not become a header of its own on the wire.
    std::atomic<bool> asked{false};
    TestHttpServer server([&](int fd, const std::string &head, const TestHttpServer &) {
        asked = asked || !head.empty();
        TestHttpServer::sendAll(fd, answer("x"));
    });
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = server.url("/metrics");
    req.timeout = std::chrono::seconds(2);
    req.headers = {{"X-Tenant", "blue\r\nX-Admin: yes"}};
    const auto res = client.fetchBlocking(req);
    QVERIFY(!res.has_value());
    QCOMPARE(QString::fromStdString(res.error().message),
             QStringLiteral("header 'X-Tenant' holds a line break; refusing to send it"));
    QVERIFY(!asked); // nothing was sent

    QTemporaryDir dir;
    const std::string tokenFile = dir.filePath(QStringLiteral("token")).toStdString();
    {
        std::ofstream f(tokenFile, std::ios::binary);
        f << "abc\r\nX-Admin: yes\n";
    }
    TargetConfig target; // a prometheus target
    target.http()->url = server.url("/metrics");
    target.http()->bearerToken = Secret::fromFile(tokenFile);
    const auto built = httpRequestFor(target);
    QVERIFY(!built.has_value());
    QCOMPARE(QString::fromStdString(built.error().message),
             QStringLiteral("bearer_token_file holds a line break inside the token (only a trailing one is ignored)"));
    {
        std::ofstream f(tokenFile, std::ios::binary | std::ios::trunc);
        f << "abc\n"; // the usual trailing newline is fine
    }
    QVERIFY(httpRequestFor(target).has_value());
}

void TstHttpFraming::secretHeadersStayAtTheirOrigin()
{
    // A header the config marks secret (`secret_headers: [x-scope]`) is kept from another origin like
    // Authorization, whatever case either side spells it in; one that is neither marked nor named
    // like a credential still follows.
    TestHttpServer elsewhere(
        [](int fd, const std::string &head, const TestHttpServer &) { TestHttpServer::sendAll(fd, answer(head)); });
    const std::string away = elsewhere.url("/landed");
    TestHttpServer origin([&](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 302 Found\r\nLocation: " + away + "\r\nContent-Length: 0\r\n\r\n");
    });
    TargetConfig target; // a prometheus target
    target.http()->url = origin.url("/away");
    target.timeout = std::chrono::seconds(2);
    target.http()->headers = {{"X-Scope", "tenant-s3cr3t"}, {"X-Tenant", "blue"}};
    target.http()->secretHeaders = {"x-scope"};
    auto req = httpRequestFor(target);
    QVERIFY(req.has_value());
    QCOMPARE(req->secretHeaders, std::vector<std::string>{"X-Scope"});
    HttpClientOptions noReuse;
    noReuse.maxIdlePerHost = 0;
    HttpClient client(*m_io, noReuse);
    const auto moved = client.fetchBlocking(*req);
    QVERIFY2(moved.has_value(), moved ? "" : moved.error().message.c_str());
    QVERIFY(moved->body.starts_with("GET /landed"));
    QVERIFY2(moved->body.find("tenant-s3cr3t") == std::string::npos, moved->body.c_str());
    QVERIFY(lower(moved->body).find("x-tenant: blue") != std::string::npos);
}

QTEST_GUILESS_MAIN(TstHttpFraming)
#include "tst_http_framing.moc"
