// HttpClient against servers that misbehave on purpose: each failure is specific and within its
// deadline, and good answers (plain, gzip, redirected) come through intact.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "demo/demo_server.h"
#include "test_http_server.h"
#include "test_resources.h"

#include <QElapsedTimer>
#include <QTest>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <functional>
#include <future>
#include <thread>

using namespace pulse;
using pulse::test::readHead;
using pulse::test::gzipBytes;
using pulse::test::TestHttpServer;
using pulse::test::waitForClose;

namespace {

std::string response(const std::string &body, const std::string &extraHeaders = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n" + extraHeaders + "\r\n" + body;
}

using Behaviour = TestHttpServer::Behaviour;

/// KeepAliveServer answers requests on each connection in turn, counting connections and
/// requests. `policy(requestOnConnection)` says what to do with the n-th request (0-based) of a
/// connection: answer and keep the connection, answer with "Connection: close", or hang up unanswered.
enum class Reply { KeepAlive, Close, HangUp };

class KeepAliveServer {
public:
    explicit KeepAliveServer(std::function<Reply(int)> policy)
        : m_policy(std::move(policy)), m_server([this](int fd, const std::string &first, const TestHttpServer &) {
              ++m_connections;
              std::string head = first;
              for (int n = 0; !head.empty(); ++n) {
                  ++m_requests;
                  const Reply reply = m_policy(n);
                  if (reply == Reply::HangUp)
                      return;
                  const std::string body = "request " + std::to_string(n);
                  TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                                                  (reply == Reply::Close ? "\r\nConnection: close" : "") + "\r\n\r\n" +
                                                  body);
                  if (reply == Reply::Close)
                      return;
                  head = readHead(fd);
              }
          })
    {
    }
    std::string url() const { return m_server.url("/metrics"); }
    int connections() const { return m_connections; }
    int requests() const { return m_requests; }

private:
    std::function<Reply(int)> m_policy;
    std::atomic<int> m_connections{0};
    std::atomic<int> m_requests{0};
    TestHttpServer m_server;
};

} // namespace

Q_DECLARE_METATYPE(Behaviour)

class TstHttpClient : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_io = std::make_unique<IoRuntime>(2); }
    void cleanupTestCase() { m_io->stop(); }
    void failures_data();
    void failures();
    void goodAnswers();
    void refusedConnection();
    void badUrl();
    void blockingFetchOnAnIoThreadFails();
    void keepAlive_data();
    void keepAlive();
    void idleTimeoutClosesConnections();
    void keepAliveWithTheDemo();

private:
    std::unique_ptr<IoRuntime> m_io;
};

void TstHttpClient::failures_data()
{
    QTest::addColumn<Behaviour>("behaviour");
    QTest::addColumn<QString>("expected");

    QTest::newRow("never answers") << Behaviour([](int fd, const std::string &, const TestHttpServer &s) {
        waitForClose(fd, s);
    }) << "timed out after 800ms while waiting for the response header";
    QTest::newRow("drips one byte at a time") << Behaviour([](int fd, const std::string &, const TestHttpServer &s) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        for (int i = 0; i < 100 && !s.stopping(); ++i) {
            TestHttpServer::sendAll(fd, "x");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }) << "timed out after 800ms while reading the response body";
    QTest::newRow("body over the limit") << Behaviour([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, response(std::string(2 * 1024 * 1024, 'a')));
    }) << "response body exceeds the limit of 1 MiB";
    QTest::newRow("endless chunked body") << Behaviour([](int fd, const std::string &, const TestHttpServer &s) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        const std::string chunk = "10000\r\n" + std::string(0x10000, 'b') + "\r\n";
        for (int i = 0; i < 64 && !s.stopping(); ++i)
            TestHttpServer::sendAll(fd, chunk);
    }) << "response body exceeds the limit of 1 MiB";
    // Compressed once here, not inside the timed exchange: deflating 64 MiB is slow in a Debug build.
    const auto bomb = std::make_shared<std::string>(response(gzipBytes(std::string(64 * 1024 * 1024, '\0')),
                                                             "Content-Encoding: gzip\r\n"));
    QTest::newRow("gzip bomb") << Behaviour([bomb](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, *bomb);
    }) << "response body exceeds the limit of 1 MiB after decompression";
    QTest::newRow("1 MiB header") << Behaviour([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nX-Big: " + std::string(1024 * 1024, 'h') +
                                        "\r\nContent-Length: 0\r\n\r\n");
    }) << "response header exceeds the limit of 64 KiB";
    QTest::newRow("redirect loop") << Behaviour([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
    }) << "stopped after 5 redirects";
    QTest::newRow("short Content-Length") << Behaviour([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten b");
    }) << "connection closed before the whole body arrived";
    QTest::newRow("reset mid-body") << Behaviour([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        linger lg{1, 0}; // close with RST
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }) << "reading the response body";
    QTest::newRow("not HTTP") << Behaviour([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
    }) << "waiting for the response header";
}

void TstHttpClient::failures()
{
    QFETCH(Behaviour, behaviour);
    QFETCH(QString, expected);
    TestHttpServer real(behaviour);
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = real.url("/metrics");
    req.timeout = std::chrono::milliseconds(800);
    req.maxBodyBytes = 1024 * 1024;
    QElapsedTimer timer;
    timer.start();
    auto res = client.fetchBlocking(req);
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(!res.has_value(), "the request should have failed");
    QVERIFY2(QString::fromStdString(res.error().message).contains(expected), res.error().message.c_str());
    QVERIFY2(elapsed < 3000, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
}

void TstHttpClient::goodAnswers()
{
    const std::string body = "# TYPE up gauge\nup 1\n";
    TestHttpServer server([&](int fd, const std::string &head, const TestHttpServer &) {
        if (head.rfind("GET /moved", 0) == 0)
            TestHttpServer::sendAll(fd, "HTTP/1.1 301 Moved\r\nLocation: /gz\r\nContent-Length: 0\r\n\r\n");
        else if (head.rfind("GET /gz", 0) == 0)
            TestHttpServer::sendAll(fd, response(gzipBytes(body), "Content-Encoding: gzip\r\n"));
        else
            TestHttpServer::sendAll(fd, response(body));
    });
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = server.url("/plain");
    auto plain = client.fetchBlocking(req);
    QVERIFY(plain.has_value());
    QCOMPARE(plain->status, 200);
    QCOMPARE(plain->body, body);
    QVERIFY(plain->timings.totalMs >= plain->timings.firstByteMs);
    QVERIFY(plain->timings.firstByteMs >= plain->timings.connectMs);

    req.url = server.url("/moved");
    auto moved = client.fetchBlocking(req);
    QVERIFY2(moved.has_value(), moved ? "" : moved.error().message.c_str());
    QCOMPARE(moved->body, body);
    QCOMPARE(moved->redirects, 1);
    QVERIFY(QString::fromStdString(moved->finalUrl).endsWith(QLatin1String("/gz")));
}

void TstHttpClient::refusedConnection()
{
    std::uint16_t port = 0;
    {
        TestHttpServer s(nullptr);
        port = s.port();
    } // closed: nothing listens there now
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
    req.timeout = std::chrono::seconds(2);
    auto res = client.fetchBlocking(req);
    QVERIFY(!res.has_value());
    QVERIFY2(QString::fromStdString(res.error().message).contains(QLatin1String("refused")),
             res.error().message.c_str());
}

void TstHttpClient::badUrl()
{
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = "ftp://127.0.0.1/metrics";
    auto res = client.fetchBlocking(req);
    QVERIFY(!res.has_value());
    QVERIFY(QString::fromStdString(res.error().message).contains(QLatin1String("unsupported URL scheme")));
}

void TstHttpClient::blockingFetchOnAnIoThreadFails()
{
    // Each I/O thread runs its own loop: a blocking request there would wait on itself forever.
    HttpClient client(*m_io);
    std::promise<std::string> message;
    m_io->post([&] {
        HttpRequest req;
        req.url = "http://127.0.0.1:1/metrics";
        auto res = client.fetchBlocking(req);
        message.set_value(res ? std::string("answered") : res.error().message);
    });
    auto future = message.get_future();
    QVERIFY(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    QVERIFY(QString::fromStdString(future.get()).contains(QLatin1String("on an I/O thread")));
}

void TstHttpClient::keepAlive_data()
{
    QTest::addColumn<int>("policy"); // 0 keep alive, 1 Connection: close, 2 hang up on the 2nd request
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("connections");
    QTest::addColumn<QString>("error"); // of the second request; empty = success
    QTest::newRow("reused") << 0 << "GET" << 1 << "";
    QTest::newRow("Connection: close is honoured") << 1 << "GET" << 3 << "";
    QTest::newRow("stale connection: GET retried once") << 2 << "GET" << 3 << "";
    QTest::newRow("stale connection: POST not resent") << 2 << "POST" << 2
                                                       << "waiting for the response header";
}

void TstHttpClient::keepAlive()
{
    QFETCH(int, policy);
    QFETCH(QString, method);
    QFETCH(int, connections);
    QFETCH(QString, error);
    KeepAliveServer server([policy](int n) {
        if (policy == 1)
            return Reply::Close;
        if (policy == 2 && n == 1)
            return Reply::HangUp;
        return Reply::KeepAlive;
    });
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = server.url();
    req.timeout = std::chrono::seconds(2);
    auto first = client.fetchBlocking(req);
    QVERIFY2(first.has_value(), first ? "" : first.error().message.c_str());
    QVERIFY(!first->reusedConnection);
    QVERIFY(first->timings.connectMs >= 0);

    req.method = method.toStdString();
    auto second = client.fetchBlocking(req);
    if (!error.isEmpty()) {
        QVERIFY(!second.has_value());
        QVERIFY2(QString::fromStdString(second.error().message).contains(error), second.error().message.c_str());
    } else {
        QVERIFY2(second.has_value(), second ? "" : second.error().message.c_str());
        QCOMPARE(second->reusedConnection, policy == 0);
        if (policy == 0) {
            QCOMPARE(second->body, std::string("request 1"));
            QCOMPARE(second->timings.connectMs, -1.0); // no connect on a reused connection
        }
    }
    req.method = "GET";
    auto third = client.fetchBlocking(req);
    QVERIFY2(third.has_value(), third ? "" : third.error().message.c_str());
    QTRY_COMPARE(server.connections(), connections);
    QCOMPARE(client.idleConnections(), std::size_t(policy == 1 ? 0 : 1));
}

void TstHttpClient::idleTimeoutClosesConnections()
{
    KeepAliveServer server([](int) { return Reply::KeepAlive; });
    // Idle connections age by a clock the test moves: no sleeping through the timeout.
    std::atomic<std::int64_t> idleMs{0};
    HttpClientOptions options;
    options.idleTimeout = std::chrono::milliseconds(100);
    options.idleClock = [&idleMs] { return std::chrono::steady_clock::time_point(std::chrono::milliseconds(idleMs.load())); };
    HttpClient client(*m_io, options);
    HttpRequest req;
    req.url = server.url();
    QVERIFY(client.fetchBlocking(req).has_value());
    QVERIFY(client.fetchBlocking(req)->reusedConnection);
    idleMs += 250;
    auto late = client.fetchBlocking(req);
    QVERIFY(late.has_value());
    QVERIFY(!late->reusedConnection);
    QTRY_COMPARE(server.connections(), 2);

    HttpClientOptions off;
    off.maxIdlePerHost = 0;
    HttpClient noReuse(*m_io, off);
    QVERIFY(noReuse.fetchBlocking(req).has_value());
    QVERIFY(!noReuse.fetchBlocking(req)->reusedConnection);
    QCOMPARE(noReuse.idleConnections(), std::size_t(0));
}

void TstHttpClient::keepAliveWithTheDemo()
{
    demo::DemoServer demo(demo::DemoServerOptions{});
    auto address = demo.start();
    QVERIFY(address.has_value());
    HttpClient client(*m_io);
    HttpRequest req;
    req.url = "http://" + *address + "/metrics";
    int reused = 0;
    for (int i = 0; i < 5; ++i) {
        auto res = client.fetchBlocking(req);
        QVERIFY2(res.has_value(), res ? "" : res.error().message.c_str());
        QCOMPARE(res->status, 200);
        reused += res->reusedConnection;
    }
    QCOMPARE(reused, 4);
}

QTEST_GUILESS_MAIN(TstHttpClient)
#include "tst_http_client.moc"
