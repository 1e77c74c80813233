// HttpClient against servers that misbehave on purpose: each failure is specific and within its
// deadline, and good answers (plain, gzip, redirected) come through intact.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "test_http_server.h"

#include <QElapsedTimer>
#include <QTest>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <thread>

using namespace pulse;
using pulse::test::TestHttpServer;

namespace {

std::string gzipBytes(const std::string &in)
{
    z_stream zs{};
    deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

std::string response(const std::string &body, const std::string &extraHeaders = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n" + extraHeaders + "\r\n" + body;
}

/// waitForClose keeps a connection open until the client gives up or the server stops.
void waitForClose(int fd, const TestHttpServer &server)
{
    char buf[256];
    while (!server.stopping()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 20) > 0 && ::recv(fd, buf, sizeof buf, 0) <= 0)
            return;
    }
}

using Behaviour = TestHttpServer::Behaviour;

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
    QTest::newRow("gzip bomb") << Behaviour([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, response(gzipBytes(std::string(64 * 1024 * 1024, '\0')),
                                             "Content-Encoding: gzip\r\n"));
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

QTEST_GUILESS_MAIN(TstHttpClient)
#include "tst_http_client.moc"
