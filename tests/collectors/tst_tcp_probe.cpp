// TcpProbe against small loopback servers: connect, send, banner found / wrong / never sent, refused,
// and the deadline — each failure is specific and within the timeout.
#include "collectors/io_runtime.h"
#include "collectors/name_resolver.h"
#include "collectors/tcp_probe.h"
#include "probe_test_support.h"

#include <QElapsedTimer>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace pulse;
using pulse::test::healthText;
using pulse::test::runProbe;
using pulse::test::valueOf;

namespace {

/// LineServer accepts on 127.0.0.1 (free port); for each connection it writes `greeting`, then, if
/// `echo`, writes back what it reads (otherwise hangs up on the first input), until the peer closes
/// or 2 s pass.
class LineServer {
public:
    LineServer(std::string greeting, bool echo) : m_greeting(std::move(greeting)), m_echo(echo)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
        ::listen(m_fd, 8);
        socklen_t len = sizeof addr;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~LineServer()
    {
        m_stop = true;
        m_thread.join();
        ::close(m_fd);
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0)
                continue;
            const int fd = ::accept(m_fd, nullptr, nullptr);
            if (fd < 0)
                continue;
            if (!m_greeting.empty())
                ::send(fd, m_greeting.data(), m_greeting.size(), MSG_NOSIGNAL);
            char buffer[512];
            for (int i = 0; i < 100 && !m_stop; ++i) {
                pollfd q{fd, POLLIN, 0};
                if (::poll(&q, 1, 20) <= 0)
                    continue;
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n <= 0)
                    break;
                if (!m_echo)
                    break; // a command it does not speak: hang up, as servers do
                ::send(fd, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL);
            }
            ::close(fd);
        }
    }

    std::string m_greeting;
    bool m_echo;
    int m_fd = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

TargetConfig tcpTarget(const std::string &address)
{
    TcpOptions tcp;
    tcp.address = address;
    TargetConfig t{tcp};
    t.name = "db";
    t.timeout = std::chrono::milliseconds(500);
    return t;
}

} // namespace

class TstTcpProbe : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_io = std::make_unique<IoRuntime>(2); }
    void cleanupTestCase() { m_io->stop(); }
    void probes_data();
    void probes();
    void refused();
    void namesGoThroughTheResolver();

private:
    std::unique_ptr<IoRuntime> m_io;
    NameResolver m_resolver;
};

void TstTcpProbe::probes_data()
{
    QTest::addColumn<QString>("greeting");
    QTest::addColumn<bool>("echo");
    QTest::addColumn<QString>("send");
    QTest::addColumn<QString>("expectBanner");
    QTest::addColumn<QString>("error"); // empty = success

    QTest::newRow("connect only") << "" << false << "" << "" << "";
    QTest::newRow("banner") << "SSH-2.0-OpenSSH_9.2\r\n" << false << "" << "SSH-2.0" << "";
    QTest::newRow("send, expect the answer") << "" << true << "PING\r\n" << "PING" << "";
    QTest::newRow("wrong banner, then close")
        << "220 smtp ready\r\n" << false << "QUIT\r\n" << "SSH-"
        << "connection closed without the expected banner \"SSH-\"; got \"220 smtp ready\\r\\n\"";
    QTest::newRow("silent server") << "" << false << "" << "+PONG"
                                   << "timed out after 500ms while waiting for the banner";
}

void TstTcpProbe::probes()
{
    QFETCH(QString, greeting);
    QFETCH(bool, echo);
    QFETCH(QString, send);
    QFETCH(QString, expectBanner);
    QFETCH(QString, error);
    LineServer server(greeting.toStdString(), echo);
    auto target = tcpTarget(server.address());
    std::get<TcpOptions>(target.options).send = send.toStdString();
    std::get<TcpOptions>(target.options).expectBanner = expectBanner.toStdString();
    TcpProbe probe(target, *m_io, m_resolver);
    QElapsedTimer timer;
    timer.start();
    const auto outcome = runProbe(probe);
    QVERIFY2(timer.elapsed() < 1500, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
    QCOMPARE(QString::fromStdString(outcome.error), error);
    QCOMPARE(healthText(outcome.health), healthText(error.isEmpty() ? TargetHealth::Up : TargetHealth::Down));
    QCOMPARE(valueOf(outcome, "probe_success", {{"job", "db"}, {"instance", server.address().c_str()}}),
             error.isEmpty() ? 1.0 : 0.0);
    QCOMPARE(valueOf(outcome, "up"), error.isEmpty() ? 1.0 : 0.0);
    QVERIFY(valueOf(outcome, "probe_duration_seconds") >= 0);
    QVERIFY(valueOf(outcome, "probe_tcp_connect_duration_seconds") >= 0);
}

void TstTcpProbe::refused()
{
    std::string address;
    {
        LineServer gone("", false);
        address = gone.address();
    }
    TcpProbe probe(tcpTarget(address), *m_io, m_resolver);
    const auto outcome = runProbe(probe);
    QCOMPARE(healthText(outcome.health), healthText(TargetHealth::Down));
    QVERIFY2(QString::fromStdString(outcome.error).startsWith(QString::fromStdString("connecting to " + address + ": ")),
             outcome.error.c_str());
    QVERIFY2(QString::fromStdString(outcome.error).contains(QLatin1String("refused")), outcome.error.c_str());
    QCOMPARE(valueOf(outcome, "probe_success"), 0.0);
    QVERIFY(!pulse::test::findSample(outcome, "probe_tcp_connect_duration_seconds"));
}

void TstTcpProbe::namesGoThroughTheResolver()
{
    // Names are looked up by the shared NameResolver (off the I/O threads); one that never answers
    // times out "while resolving" on the probe's own deadline.
    LineServer server("", false);
    const std::string port = server.address().substr(server.address().rfind(':') + 1);
    NameResolver resolver([](const std::string &host) -> Result<std::vector<std::string>> {
        if (host == "stuck.test")
            std::this_thread::sleep_for(std::chrono::seconds(2));
        return std::vector<std::string>{"127.0.0.1"};
    });
    TcpProbe named(tcpTarget("db.test:" + port), *m_io, resolver);
    const auto ok = runProbe(named);
    QVERIFY2(ok.error.empty(), ok.error.c_str());
    QVERIFY(valueOf(ok, "probe_dns_lookup_time_seconds") >= 0);
    TcpProbe stuck(tcpTarget("stuck.test:" + port), *m_io, resolver);
    QElapsedTimer timer;
    timer.start();
    const auto late = runProbe(stuck);
    QCOMPARE(QString::fromStdString(late.error), QStringLiteral("timed out after 500ms while resolving stuck.test"));
    QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TstTcpProbe)
#include "tst_tcp_probe.moc"
