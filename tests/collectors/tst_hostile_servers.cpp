// Hostile servers beside healthy ones: 50 targets scraping the demo every second share the I/O
// threads with endpoints that drip, never answer, send endless or huge bodies, huge headers, redirect
// forever, reset, break chunking or gzip, answer in HTTP/0.9 or garbage, or present bad TLS
// certificates. Each hostile scrape fails with its own message within its timeout, the healthy
// targets' scrapes keep starting every second (±10 %), and memory stays bounded.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/scheduler.h"
#include "demo/demo_server.h"
#include "test_certificates.h"
#include "test_http_server.h"
#include "test_resources.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

using namespace pulse;
using pulse::test::gzipBytes;
using pulse::test::residentMiB;
using pulse::test::TestHttpServer;

namespace {

constexpr int kHealthy = 50;
constexpr auto kHostileTimeout = std::chrono::milliseconds(800);
#if defined(__SANITIZE_ADDRESS__)
// Under ASan every byte of a 16 MiB hostile body costs several times as much on the shared I/O
// threads: the rhythm is checked, but only to ±50 %.
constexpr std::int64_t kRhythmSlackMs = 500;
#else
constexpr std::int64_t kRhythmSlackMs = 100; // ±10 %
#endif

/// StartSink notes when each target's scrapes started (the scheduler's clock read as the scrape
/// began: late when an I/O thread was busy with something else), and nothing else.
class StartSink : public SampleSink {
public:
    void append(MetricBatch batch) override
    {
        std::lock_guard lock(m_mutex);
        m_starts[batch.target].push_back(batch.scrapeStartMs);
    }
    std::map<std::string, std::vector<std::int64_t>> starts()
    {
        std::lock_guard lock(m_mutex);
        return m_starts;
    }

private:
    std::mutex m_mutex;
    std::map<std::string, std::vector<std::int64_t>> m_starts;
};

struct Hostile {
    std::string name;
    TestHttpServer::Behaviour behaviour;
    std::string expected; ///< in the target's error
};

/// TlsServer is `openssl s_server -www` with the given certificate, on a free loopback port.
struct TlsServer {
    std::uint16_t port = 0;
    std::unique_ptr<QProcess> process;
};

} // namespace

class TstHostileServers : public QObject {
    Q_OBJECT
private slots:
    void hostileServersBesideHealthyOnes();
};

void TstHostileServers::hostileServersBesideHealthyOnes()
{
    using S = TestHttpServer;
    const auto bomb = std::make_shared<std::string>(gzipBytes(std::string(64 * 1024 * 1024, '\0')));
    const auto truncated = std::make_shared<std::string>(gzipBytes(std::string(100'000, 'a') + "\n"));
    std::vector<Hostile> hostiles = {
        {"slow-drip",
         [](int fd, const std::string &, const S &s) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
             for (int i = 0; i < 60 && !s.stopping(); ++i) {
                 S::sendAll(fd, "x");
                 std::this_thread::sleep_for(std::chrono::milliseconds(50));
             }
         },
         "timed out after 800ms while reading the response body"},
        {"never-answers", [](int fd, const std::string &, const S &s) { test::waitForClose(fd, s); },
         "timed out after 800ms while waiting for the response header"},
        {"endless-body",
         [](int fd, const std::string &, const S &s) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
             const std::string chunk = "10000\r\n" + std::string(0x10000, 'b') + "\r\n";
             for (int i = 0; i < 100'000 && !s.stopping(); ++i)
                 S::sendAll(fd, chunk);
         },
         "response body exceeds the limit of 16 MiB"},
        {"100-MB-body",
         [](int fd, const std::string &, const S &s) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"); // to the end of the stream
             const std::string block(1 << 20, 'c');
             for (int i = 0; i < 100 && !s.stopping(); ++i)
                 S::sendAll(fd, block);
         },
         "response body exceeds the limit of 16 MiB"},
        {"1-MiB-header",
         [](int fd, const std::string &, const S &) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nX-Big: " + std::string(1 << 20, 'h') + "\r\nContent-Length: 0\r\n\r\n");
         },
         "response header exceeds the limit of 64 KiB"},
        {"100k-headers",
         [](int fd, const std::string &, const S &) {
             std::string head = "HTTP/1.1 200 OK\r\n";
             for (int i = 0; i < 100'000; ++i)
                 head += "X-H: v\r\n";
             S::sendAll(fd, head + "Content-Length: 0\r\n\r\n");
         },
         "response header exceeds the limit of 64 KiB"},
        {"redirect-loop",
         [](int fd, const std::string &head, const S &) {
             // A new URL every time: /metrics -> /metrics/1 -> /metrics/1/1 -> ...
             const auto start = head.find(' ') + 1;
             const std::string path = head.substr(start, head.find(' ', start) - start);
             S::sendAll(fd, "HTTP/1.1 302 Found\r\nLocation: " + path + "/1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
         },
         "stopped after 5 redirects"},
        {"reset-mid-body",
         [](int fd, const std::string &, const S &) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial");
             std::this_thread::sleep_for(std::chrono::milliseconds(50));
             linger lg{1, 0}; // close with RST
             ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
         },
         "reading the response body"},
        {"bad-chunk",
         [](int fd, const std::string &, const S &) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n0\r\n\r\n");
         },
         "reading the response body: bad chunk"},
        {"gzip-bomb",
         [bomb](int fd, const std::string &, const S &) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + std::to_string(bomb->size())
                                + "\r\n\r\n" + *bomb);
         },
         "response body exceeds the limit of 16 MiB after decompression"},
        {"invalid-gzip",
         [](int fd, const std::string &, const S &) {
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at!");
         },
         "gzip body is corrupt"},
        {"truncated-gzip",
         [truncated](int fd, const std::string &, const S &) {
             const std::string half = truncated->substr(0, truncated->size() / 2);
             S::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + std::to_string(half.size())
                                + "\r\n\r\n" + half);
         },
         "gzip body is truncated"},
        {"http-0.9", [](int fd, const std::string &, const S &) { S::sendAll(fd, "up 1\nother_metric 2\n"); },
         "waiting for the response header"},
        {"garbage-status",
         [](int fd, const std::string &, const S &) {
             S::sendAll(fd, "HTTP/1.1 2x0 Fine\r\nContent-Length: 0\r\n\r\n");
         },
         "waiting for the response header"},
    };

    std::vector<std::unique_ptr<TestHttpServer>> servers;
    std::vector<TargetConfig> targets;
    for (const Hostile &h : hostiles) {
        servers.push_back(std::make_unique<TestHttpServer>(h.behaviour, TestHttpServer::Mode::ThreadPerConnection));
        TargetConfig t;
        t.name = h.name;
        t.http()->url = servers.back()->url("/metrics");
        t.interval = std::chrono::seconds(1);
        t.timeout = kHostileTimeout;
        targets.push_back(t);
    }

    // TLS: a certificate nobody trusts, one that expired yesterday, one for another host.
    std::vector<TlsServer> tls;
    std::map<std::string, std::string> tlsExpected;
    QTemporaryDir dir;
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    QVERIFY2(!openssl.isEmpty(), "openssl is needed for the TLS servers (Debian package openssl)");
    struct TlsCase {
        std::string name, host;
        long from, until;
        bool trusted;
        std::string expected;
    };
    const std::vector<TlsCase> tlsCases = {
        {"tls-self-signed", "localhost", -1, 30, false, "self-signed certificate"},
        {"tls-expired", "localhost", -30, -1, true, "certificate has expired"},
        {"tls-wrong-host", "wrong.example", -1, 30, true, "certificate verification failed: hostname mismatch"},
    };
    for (const TlsCase &c : tlsCases) {
        const std::string cert = dir.filePath(QString::fromStdString(c.name + ".pem")).toStdString();
        const std::string key = dir.filePath(QString::fromStdString(c.name + ".key")).toStdString();
        const std::string made = test::writeSelfSignedCertificate(cert, key, c.host, c.from, c.until);
        QVERIFY2(made.empty(), made.c_str());
        TlsServer server;
        {
            TestHttpServer portFinder(nullptr);
            server.port = portFinder.port();
        }
        server.process = std::make_unique<QProcess>();
        server.process->start(openssl, {QStringLiteral("s_server"), QStringLiteral("-accept"),
                                        QStringLiteral("127.0.0.1:%1").arg(server.port), QStringLiteral("-cert"),
                                        QString::fromStdString(cert), QStringLiteral("-key"),
                                        QString::fromStdString(key), QStringLiteral("-www"), QStringLiteral("-quiet")});
        QVERIFY(server.process->waitForStarted(5000));
        const std::uint16_t port = server.port;
        QTRY_VERIFY_WITH_TIMEOUT(test::acceptsConnections(port), 5000);
        TargetConfig t;
        t.name = c.name;
        t.http()->url = "https://localhost:" + std::to_string(port) + "/metrics";
        t.interval = std::chrono::seconds(1);
        t.timeout = kHostileTimeout;
        if (c.trusted)
            t.http()->tls.caFile = cert;
        targets.push_back(t);
        tlsExpected[c.name] = c.expected;
        tls.push_back(std::move(server));
    }

    demo::DemoServerOptions options;
    options.simulation.incidentEveryMs = 0;
    demo::DemoServer demo(options);
    auto address = demo.start();
    QVERIFY(address.has_value());
    for (int i = 0; i < kHealthy; ++i) {
        TargetConfig t;
        t.name = "healthy-" + std::to_string(i);
        t.http()->url = "http://" + *address + "/metrics";
        t.interval = std::chrono::seconds(1);
        t.timeout = std::chrono::seconds(1);
        targets.push_back(t);
    }

    IoRuntime io(2);
    HttpClient http(io);
    StartSink sink;
    SystemClock clock;
    Scheduler scheduler(io, http, sink, clock);
    std::mutex statusMutex;
    std::map<std::string, std::int64_t> worstHostileMs;
    scheduler.setStatusCallback([&](const TargetStatus &s) {
        std::lock_guard lock(statusMutex);
        worstHostileMs[s.name] = std::max(worstHostileMs[s.name], s.lastDurationMs);
    });
    scheduler.setTargets(targets);

    // Run 12 s; memory is measured from 4 s on, when every kind of hostile scrape has run.
    const auto start = std::chrono::steady_clock::now();
    std::int64_t rssAfterWarmUp = 0;
    std::int64_t rssMax = 0;
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(12)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        if (std::chrono::steady_clock::now() - start >= std::chrono::seconds(4)) {
            const std::int64_t rss = residentMiB();
            if (rssAfterWarmUp == 0)
                rssAfterWarmUp = rss;
            rssMax = std::max(rssMax, rss);
        }
    }
    const auto statuses = scheduler.statuses();
    const auto starts = sink.starts();
    scheduler.stop();
    io.stop();
    for (TlsServer &server : tls) {
        server.process->kill();
        server.process->waitForFinished();
    }

    std::map<std::string, std::string> expected = tlsExpected;
    for (const Hostile &h : hostiles)
        expected[h.name] = h.expected;
    int healthyChecked = 0;
    for (const TargetStatus &s : statuses) {
        if (s.name.starts_with("healthy-")) {
            QVERIFY2(s.health == TargetHealth::Up, (s.name + ": " + s.lastError).c_str());
            // Every second, give or take 10 %, for the whole run after its first scrape.
            const auto found = starts.find(s.name);
            QVERIFY2(found != starts.end(), (s.name + ": never scraped").c_str());
            const auto &times = found->second;
            QVERIFY2(times.size() >= 10, (s.name + ": only " + std::to_string(times.size()) + " scrapes").c_str());
            for (std::size_t i = 1; i < times.size(); ++i) {
                const std::int64_t ms = times[i] - times[i - 1];
                QVERIFY2(ms >= 1000 - kRhythmSlackMs && ms <= 1000 + kRhythmSlackMs,
                         (s.name + ": " + std::to_string(ms) + " ms between scrapes " + std::to_string(i - 1) + " and "
                          + std::to_string(i))
                             .c_str());
            }
            ++healthyChecked;
            continue;
        }
        const auto want = expected.find(s.name);
        QVERIFY2(want != expected.end(), s.name.c_str());
        QVERIFY2(s.health == TargetHealth::Down, (s.name + " is not down: " + s.lastError).c_str());
        QVERIFY2(s.lastError.find(want->second) != std::string::npos,
                 (s.name + ": \"" + s.lastError + "\" lacks \"" + want->second + "\"").c_str());
        QVERIFY2(s.consecutiveFailures >= 5, (s.name + ": " + std::to_string(s.consecutiveFailures)).c_str());
        std::lock_guard lock(statusMutex);
        // Within its timeout (plus what a busy 2-core machine adds to a timer).
        QVERIFY2(worstHostileMs[s.name] <= kHostileTimeout.count() + 300,
                 (s.name + " took " + std::to_string(worstHostileMs[s.name]) + " ms").c_str());
    }
    QCOMPARE(healthyChecked, kHealthy);
    QCOMPARE(statuses.size(), targets.size());
    constexpr std::int64_t kAllowedGrowthMiB = test::kAllowedRssGrowthMiB;
    qInfo("RSS %lld MiB after 4 s, %lld MiB max", static_cast<long long>(rssAfterWarmUp),
          static_cast<long long>(rssMax));
    QVERIFY2(rssMax - rssAfterWarmUp < kAllowedGrowthMiB,
             qPrintable(QStringLiteral("RSS grew by %1 MiB").arg(rssMax - rssAfterWarmUp)));
}

QTEST_GUILESS_MAIN(TstHostileServers)
#include "tst_hostile_servers.moc"
