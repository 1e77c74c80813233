// Scheduler + PrometheusProbe against the real demo service on loopback: every run reports `up`,
// series carry job/instance, a dead target is data (up 0) with a specific error, reloads apply.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/probe.h"
#include "collectors/scheduler.h"
#include "demo/demo_server.h"
#include "test_http_server.h"

#include <QTest>

#include <optional>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

using namespace pulse;

namespace {

/// CollectingSink keeps every batch; tests read it under its lock.
class CollectingSink : public SampleSink {
public:
    void append(MetricBatch batch) override
    {
        std::lock_guard lock(m_mutex);
        m_batches.push_back(std::move(batch));
    }
    std::vector<MetricBatch> batchesFor(const std::string &target)
    {
        std::lock_guard lock(m_mutex);
        std::vector<MetricBatch> out;
        for (const auto &b : m_batches)
            if (b.target == target)
                out.push_back(b);
        return out;
    }

private:
    std::mutex m_mutex;
    std::vector<MetricBatch> m_batches;
};

// find returns the first sample named `metric`, in either of a batch's forms (the scraped samples
// come by reference to the probe's SeriesTable).
std::optional<Sample> find(const MetricBatch &b, const std::string &metric)
{
    std::optional<Sample> found;
    b.forEachSample([&](std::string_view name, const Labels &labels, std::int64_t ts, double value) {
        if (!found && name == metric)
            found = Sample{std::string(name), labels, ts, value};
    });
    return found;
}

constexpr std::int64_t kBase = 1'800'000'000'000;

/// slotOf is the first moment at or after `base` when a target with this name and interval runs:
/// starting a ManualClock there makes its first run start at once.
std::int64_t slotOf(const std::string &name, std::int64_t intervalMs = 200, std::int64_t base = kBase)
{
    const std::int64_t offset = Scheduler::jitterOffsetMs(name, intervalMs);
    return base + ((offset - base % intervalMs) % intervalMs + intervalMs) % intervalMs;
}

/// keptAliveServer answers every request on a kept-alive connection with `body`.
std::unique_ptr<pulse::test::TestHttpServer> keptAliveServer(std::string body)
{
    return std::make_unique<pulse::test::TestHttpServer>(
        [body = std::move(body)](int fd, const std::string &first, const pulse::test::TestHttpServer &) {
            for (std::string head = first; !head.empty(); head = pulse::test::readHead(fd))
                pulse::test::TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: " +
                                                             std::to_string(body.size()) + "\r\n\r\n" + body);
        });
}

/// QuietDemo is the demo service on a clock of its own, a minute past its start and without
/// incidents: on the wall clock its traffic is 5 requests/s at 03:00 UTC, so a scrape right after
/// start could find none yet, and a refused-connections incident could be on.
struct QuietDemo {
    static demo::DemoServerOptions optionsFor(ManualClock &clock)
    {
        demo::DemoServerOptions options;
        options.simulation.incidentEveryMs = 0;
        options.clock = &clock;
        return options;
    }
    static Result<std::string> started(demo::DemoServer &server, ManualClock &clock)
    {
        auto address = server.start();
        clock.advance(60'000);
        return address;
    }

    ManualClock clock{kBase};
    demo::DemoServer server{optionsFor(clock)};
    Result<std::string> address = started(server, clock);
};

TargetConfig target(const std::string &name, const std::string &url)
{
    PrometheusOptions scrape;
    scrape.http.url = url;
    TargetConfig t{scrape};
    t.name = name;
    t.interval = std::chrono::milliseconds(200);
    t.timeout = std::chrono::milliseconds(200);
    return t;
}

} // namespace

class TstScheduler : public QObject {
    Q_OBJECT
private slots:
    void jitterIsStableAndSpread();
    void instanceLabel_data();
    void instanceLabel();
    void scrapesTheDemo();
    void deadTargetIsData();
    void reloadStopsRemovedTargets();
    void reloadStopsRemovedTargetsOnTheWallClock();
    void reloadWithARotatedTokenRestartsTheTarget();
    void slowButSuccessfulIsDegraded();
    void serverErrorTextIsBounded();
    void repeatedSeriesKeepTheTargetUp();
    void runsFollowTheClock();
    void aClockThatGoesBackKeepsTheTargetRunning();
};

void TstScheduler::jitterIsStableAndSpread()
{
    const std::int64_t interval = 15000;
    QCOMPARE(Scheduler::jitterOffsetMs("api", interval), Scheduler::jitterOffsetMs("api", interval));
    std::set<std::int64_t> offsets;
    for (int i = 0; i < 1000; ++i) {
        const auto o = Scheduler::jitterOffsetMs("target-" + std::to_string(i), interval);
        QVERIFY(o >= 0 && o < interval);
        offsets.insert(o / 1000);
    }
    QCOMPARE(offsets.size(), std::size_t(15)); // every second of the interval gets some targets
}

void TstScheduler::instanceLabel_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("instance");
    QTest::newRow("explicit port") << "http://127.0.0.1:9100/metrics" << "127.0.0.1:9100";
    QTest::newRow("http default") << "http://example.test/metrics" << "example.test:80";
    QTest::newRow("https default") << "https://example.test/metrics" << "example.test:443";
    QTest::newRow("ipv6") << "http://[::1]:9090/metrics" << "[::1]:9090";
}

void TstScheduler::instanceLabel()
{
    QFETCH(QString, url);
    QFETCH(QString, instance);
    QCOMPARE(QString::fromStdString(pulse::instanceLabel(url.toStdString())), instance);
}

void TstScheduler::scrapesTheDemo()
{
    QuietDemo demo;
    const auto &address = demo.address;
    QVERIFY(address.has_value());
    IoRuntime io(2);
    HttpClient http(io);
    CollectingSink sink;
    const std::int64_t t0 = slotOf("demo");
    ManualClock clock(t0);
    Scheduler scheduler(io, http, sink, clock);
    auto t = target("demo", "http://" + *address + "/metrics");
    t.labels.set("env", "test");
    scheduler.setTargets({t});
    QTRY_VERIFY_WITH_TIMEOUT(!sink.batchesFor("demo").empty(), 5000);
    const auto batch = sink.batchesFor("demo").front();
    QCOMPARE(batch.scrapeStartMs, t0);
    const auto up = find(batch, "up");
    QVERIFY(up);
    QCOMPARE(up->value, 1.0);
    QCOMPARE(up->labels.value("job"), std::string_view("demo"));
    QCOMPARE(up->labels.value("instance"), std::string_view(*address));
    QVERIFY(find(batch, "scrape_duration_seconds"));
    const auto scraped = find(batch, "scrape_samples_scraped");
    QVERIFY(scraped && scraped->value > 10);
    const auto requests = find(batch, "http_requests_total");
    QVERIFY(requests);
    QCOMPARE(requests->labels.value("job"), std::string_view("demo"));
    QCOMPARE(requests->labels.value("env"), std::string_view("test"));
    QCOMPARE(requests->timestampMs, t0);
    const auto statuses = scheduler.statuses();
    QCOMPARE(statuses.size(), std::size_t(1));
    QTRY_COMPARE(QString::fromLatin1(healthName(scheduler.statuses().front().health)), QStringLiteral("up"));
    scheduler.stop();
    io.stop();
}

void TstScheduler::deadTargetIsData()
{
    std::uint16_t port = 0;
    {
        demo::DemoServer d(demo::DemoServerOptions{});
        QVERIFY(d.start().has_value());
        port = d.port();
    } // stopped: the port refuses now
    IoRuntime io(1);
    HttpClient http(io);
    CollectingSink sink;
    ManualClock clock(slotOf("dead"));
    Scheduler scheduler(io, http, sink, clock);
    scheduler.setTargets({target("dead", "http://127.0.0.1:" + std::to_string(port) + "/metrics")});
    QTRY_VERIFY_WITH_TIMEOUT(sink.batchesFor("dead").size() == 1, 5000);
    clock.advance(200); // the next slot
    QTRY_VERIFY_WITH_TIMEOUT(sink.batchesFor("dead").size() == 2, 5000);
    const auto batch = sink.batchesFor("dead").front();
    QCOMPARE(batch.samples.size(), std::size_t(3)); // up, scrape_duration_seconds, scrape_samples_scraped
    QCOMPARE(find(batch, "up")->value, 0.0);
    QTRY_VERIFY(scheduler.statuses().front().consecutiveFailures >= 2);
    const auto status = scheduler.statuses().front();
    QCOMPARE(QString::fromLatin1(healthName(status.health)), QStringLiteral("down"));
    QVERIFY2(QString::fromStdString(status.lastError).contains(QLatin1String("refused")), status.lastError.c_str());
    scheduler.stop();
    io.stop();
}

void TstScheduler::reloadStopsRemovedTargets()
{
    QuietDemo demo;
    const auto &address = demo.address;
    QVERIFY(address.has_value());
    IoRuntime io(2);
    HttpClient http(io);
    CollectingSink sink;
    ManualClock clock(kBase);
    Scheduler scheduler(io, http, sink, clock);
    const auto a = target("a", "http://" + *address + "/metrics");
    const auto b = target("b", "http://" + *address + "/metrics");
    scheduler.setTargets({a, b});
    // One interval later each target has passed exactly one slot of its own.
    clock.advance(200);
    QTRY_VERIFY_WITH_TIMEOUT(sink.batchesFor("a").size() == 1 && sink.batchesFor("b").size() == 1, 5000);
    scheduler.setTargets({a});
    QCOMPARE(scheduler.statuses().size(), std::size_t(1));
    for (std::size_t runs = 2; runs <= 3; ++runs) {
        clock.advance(200);
        QTRY_COMPARE_WITH_TIMEOUT(sink.batchesFor("a").size(), runs, 5000);
    }
    QCOMPARE(sink.batchesFor("b").size(), std::size_t(1));
    scheduler.stop();
    io.stop();
}

void TstScheduler::reloadStopsRemovedTargetsOnTheWallClock()
{
    // The production path: real timers waiting for a clock that moves by itself. A ManualClock's
    // waits never end on their own, so only this shows a removed target's timer is really cancelled.
    QuietDemo demo;
    const auto &address = demo.address;
    QVERIFY(address.has_value());
    IoRuntime io(2);
    HttpClient http(io);
    CollectingSink sink;
    SystemClock clock;
    Scheduler scheduler(io, http, sink, clock);
    const auto a = target("a", "http://" + *address + "/metrics");
    const auto b = target("b", "http://" + *address + "/metrics");
    scheduler.setTargets({a, b});
    QTRY_VERIFY_WITH_TIMEOUT(!sink.batchesFor("a").empty() && !sink.batchesFor("b").empty(), 5000);
    scheduler.setTargets({a});
    // Let any run of b that was in flight land (a's next two runs take longer than b's timeout), then
    // check that no new ones start.
    const auto aAtReload = sink.batchesFor("a").size();
    QTRY_VERIFY_WITH_TIMEOUT(sink.batchesFor("a").size() >= aAtReload + 2, 5000);
    const auto bCount = sink.batchesFor("b").size();
    const auto aCount = sink.batchesFor("a").size();
    QTRY_VERIFY_WITH_TIMEOUT(sink.batchesFor("a").size() >= aCount + 2, 5000);
    QCOMPARE(sink.batchesFor("b").size(), bCount);
    scheduler.stop();
    io.stop();
}

void TstScheduler::reloadWithARotatedTokenRestartsTheTarget()
{
    // Only the credential changes: the target must start sending the new one (a reload comparing a
    // hand-kept list of fields once saw "a token is set" on both sides and kept the old probe).
    std::mutex mutex;
    std::vector<std::string> seen;
    pulse::test::TestHttpServer server([&](int fd, const std::string &head, const pulse::test::TestHttpServer &) {
        const auto at = head.find("Authorization: ");
        {
            std::lock_guard lock(mutex);
            seen.push_back(at == std::string::npos ? std::string() : head.substr(at + 15, head.find("\r\n", at) - at - 15));
        }
        pulse::test::TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nup_x 1\n");
    });
    auto saw = [&](const std::string &value) {
        std::lock_guard lock(mutex);
        return std::find(seen.begin(), seen.end(), value) != seen.end();
    };
    IoRuntime io(1);
    HttpClient http(io);
    CollectingSink sink;
    ManualClock clock(slotOf("secured")); // a restarted target's first slot is now: no waiting
    Scheduler scheduler(io, http, sink, clock);
    auto t = target("secured", server.url("/metrics"));
    t.http()->bearerToken = Secret::fromValue("old-token");
    scheduler.setTargets({t});
    QTRY_VERIFY_WITH_TIMEOUT(saw("Bearer old-token"), 5000);
    t.http()->bearerToken = Secret::fromValue("new-token");
    scheduler.setTargets({t});
    QTRY_VERIFY_WITH_TIMEOUT(saw("Bearer new-token"), 5000);
    scheduler.stop();
    io.stop();
}

void TstScheduler::slowButSuccessfulIsDegraded()
{
    // An http check whose only miss is max_latency, and a prometheus scrape that used more than 80%
    // of its timeout: both succeed (up 1, last success advances) but are Degraded, and say why.
    // The scheduler times a run by its clock, which the server moves by 180 ms (of a 200 ms
    // timeout); the probe times the exchange itself, so the server is also slow for real, by more
    // than the check's 50 ms max_latency and well inside the real 200 ms deadline.
    const std::string body = "# TYPE x gauge\nx 1\n";
    ManualClock clock(kBase);
    pulse::test::TestHttpServer slow([&](int fd, const std::string &, const pulse::test::TestHttpServer &) {
        std::this_thread::sleep_for(std::chrono::milliseconds(70));
        clock.advance(180);
        pulse::test::TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                                     std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                                     body);
    });
    IoRuntime io(2);
    HttpClient http(io);
    CollectingSink sink;
    Scheduler scheduler(io, http, sink, clock);
    auto check = target("check", slow.url("/healthz"));
    HttpCheckOptions checkOptions;
    checkOptions.http.url = slow.url("/healthz");
    checkOptions.expect = HttpExpectations{};
    checkOptions.expect->maxLatency = std::chrono::milliseconds(50);
    check.options = checkOptions;
    check.interval = std::chrono::seconds(1);
    check.timeout = std::chrono::seconds(1);
    auto scrape = target("scrape", slow.url("/metrics"));
    scrape.interval = std::chrono::seconds(1);
    scrape.timeout = std::chrono::milliseconds(200);
    scheduler.setTargets({check, scrape});
    clock.advance(1000); // both slots pass
    auto health = [&](std::size_t i) { return QString::fromLatin1(healthName(scheduler.statuses().at(i).health)); };
    QTRY_COMPARE_WITH_TIMEOUT(health(0), QStringLiteral("degraded"), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(health(1), QStringLiteral("degraded"), 5000);
    for (const auto &s : scheduler.statuses()) {
        QVERIFY2(QString::fromStdString(s.lastError).startsWith(QLatin1String("slow: took ")), s.lastError.c_str());
        QCOMPARE(s.lastSuccessMs, s.lastRunMs);
        QCOMPARE(s.consecutiveFailures, std::uint32_t(0));
    }
    QVERIFY(QString::fromStdString(scheduler.statuses().at(0).lastError).contains(QLatin1String("max_latency is 50ms")));
    QVERIFY(QString::fromStdString(scheduler.statuses().at(1).lastError).contains(QLatin1String("of its 200ms timeout")));
    const auto batch = sink.batchesFor("check").front();
    QCOMPARE(find(batch, "probe_success")->value, 1.0);
    QCOMPARE(find(batch, "up")->value, 1.0);
    scheduler.stop();
    io.stop();
}

void TstScheduler::serverErrorTextIsBounded()
{
    // A GraphQL server's error message is quoted in the target's status: 200 kB of it (with
    // multi-byte characters at the cut) must not be copied into every status snapshot and tooltip.
    std::string message;
    while (message.size() < 200'000)
        message += "\xC3\xA9rror ";
    const std::string body = "{\"errors\":[{\"message\":\"" + message + "\"}]}";
    // Connection: close, then read what is left (the POST body) until the client hangs up: closing
    // with unread bytes would reset the connection under the answer.
    test::TestHttpServer server([&](int fd, const std::string &, const test::TestHttpServer &s) {
        test::TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                          "Content-Length: " +
                                              std::to_string(body.size()) + "\r\n\r\n" + body);
        test::waitForClose(fd, s);
    });
    IoRuntime io(1);
    HttpClient http(io);
    CollectingSink sink;
    ManualClock clock(slotOf("gql"));
    Scheduler scheduler(io, http, sink, clock);
    TargetConfig t = target("gql", server.url("/graphql"));
    GraphQLOptions gql;
    gql.http.url = server.url("/graphql");
    gql.query = "{ up }";
    t.options = gql;
    scheduler.setTargets({t});
    QTRY_VERIFY_WITH_TIMEOUT(!scheduler.statuses().front().lastError.empty(), 5000);
    const std::string error = scheduler.statuses().front().lastError;
    QVERIFY2(error.starts_with("GraphQL error: \xC3\xA9rror"), error.substr(0, 80).c_str());
    QVERIFY2(error.size() <= kMaxLastErrorBytes + 40, std::to_string(error.size()).c_str());
    QVERIFY2(error.ends_with(" bytes in all)"), error.c_str());
    QVERIFY(QString::fromUtf8(error.data(), qsizetype(error.size())).toUtf8().toStdString() == error); // valid UTF-8
    scheduler.stop();
    io.stop();
}

void TstScheduler::repeatedSeriesKeepTheTargetUp()
{
    // Prometheus keeps the first sample of a series repeated within a scrape, counts the rest and
    // keeps the target up; `b{x=""}` and `b` are the same series.
    const std::string body = "a 1\na 2\nb{x=\"\"} 3\nb 4\nc 5\n";
    test::TestHttpServer server([&](int fd, const std::string &first, const test::TestHttpServer &) {
        for (std::string head = first; !head.empty(); head = test::readHead(fd)) // kept alive: every scrape
            test::TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                                  std::to_string(body.size()) + "\r\n\r\n" + body);
    });
    IoRuntime io(1);
    HttpClient http(io);
    CollectingSink sink;
    ManualClock clock(slotOf("dups"));
    Scheduler scheduler(io, http, sink, clock);
    scheduler.setTargets({target("dups", server.url("/metrics"))});
    QTRY_VERIFY_WITH_TIMEOUT(!sink.batchesFor("dups").empty(), 5000);
    const MetricBatch batch = sink.batchesFor("dups").front();
    QCOMPARE(find(batch, "up")->value, 1.0);
    QCOMPARE(find(batch, "scrape_samples_scraped")->value, 5.0); // every sample line
    QCOMPARE(find(batch, "a")->value, 1.0);                       // the first one stands
    QCOMPARE(find(batch, "b")->value, 3.0);
    QVERIFY(!find(batch, "b")->labels.has("x"));                  // an empty value is no label
    int stored = 0;
    batch.forEachSample([&](std::string_view name, const Labels &, std::int64_t, double) {
        stored += name == "a" || name == "b" || name == "c";
    });
    QCOMPARE(stored, 3);
    QTRY_COMPARE(scheduler.statuses().front().duplicatesLastRun, std::uint64_t(2));
    QCOMPARE(QString::fromLatin1(healthName(scheduler.statuses().front().health)), QStringLiteral("up"));
    scheduler.stop();
    io.stop();
}

void TstScheduler::runsFollowTheClock()
{
    // Runs start on the target's grid of the injected clock and only when it gets there; slots the
    // clock jumped over are skipped, not queued up.
    const auto server = keptAliveServer("x 1\n");
    IoRuntime io(1);
    HttpClient http(io);
    CollectingSink sink;
    const std::int64_t t0 = slotOf("grid", 10'000);
    ManualClock clock(t0 - 1); // a millisecond before its slot
    Scheduler scheduler(io, http, sink, clock);
    auto t = target("grid", server->url("/metrics"));
    t.interval = std::chrono::seconds(10);
    t.timeout = std::chrono::seconds(5);
    scheduler.setTargets({t});
    auto starts = [&] {
        std::vector<std::int64_t> out;
        for (const auto &b : sink.batchesFor("grid"))
            out.push_back(b.scrapeStartMs);
        return out;
    };
    clock.advance(1);
    QTRY_COMPARE_WITH_TIMEOUT(starts(), (std::vector<std::int64_t>{t0}), 5000);
    clock.advance(9'999); // a millisecond short of the next slot...
    clock.advance(1);     // ...and there: the run starts on the slot, not before it
    QTRY_COMPARE_WITH_TIMEOUT(starts(), (std::vector<std::int64_t>{t0, t0 + 10'000}), 5000);
    clock.advance(35'000); // over three slots: one run now, then back on the grid
    QTRY_COMPARE_WITH_TIMEOUT(starts(), (std::vector<std::int64_t>{t0, t0 + 10'000, t0 + 45'000}), 5000);
    clock.advance(4'999);
    clock.advance(1);
    QTRY_COMPARE_WITH_TIMEOUT(starts(), (std::vector<std::int64_t>{t0, t0 + 10'000, t0 + 45'000, t0 + 50'000}), 5000);
    scheduler.stop();
    io.stop();
}

void TstScheduler::aClockThatGoesBackKeepsTheTargetRunning()
{
    // The wall clock set back an hour (NTP, a user fixing the time) must not leave a target silent
    // until the old slot comes round: it resumes on its grid from the new time.
    const auto server = keptAliveServer("x 1\n");
    IoRuntime io(1);
    HttpClient http(io);
    CollectingSink sink;
    const std::int64_t t0 = slotOf("back", 10'000);
    ManualClock clock(t0);
    Scheduler scheduler(io, http, sink, clock);
    auto t = target("back", server->url("/metrics"));
    t.interval = std::chrono::seconds(10);
    t.timeout = std::chrono::seconds(5);
    scheduler.setTargets({t});
    QTRY_COMPARE_WITH_TIMEOUT(sink.batchesFor("back").size(), std::size_t(1), 5000);
    clock.set(t0 - 1'000); // a second back: the slot that ran does not run again when the clock
    clock.set(t0);         // gets there once more...
    clock.set(t0 + 10'000); // ...the next one does
    QTRY_COMPARE_WITH_TIMEOUT(sink.batchesFor("back").size(), std::size_t(2), 5000);
    QCOMPARE(sink.batchesFor("back").back().scrapeStartMs, t0 + 10'000);
    clock.set(t0 - 3'600'000); // an hour back, on the same grid
    QTRY_COMPARE_WITH_TIMEOUT(sink.batchesFor("back").size(), std::size_t(3), 5000);
    QCOMPARE(sink.batchesFor("back").back().scrapeStartMs, t0 - 3'600'000);
    clock.advance(10'000);
    QTRY_COMPARE_WITH_TIMEOUT(sink.batchesFor("back").size(), std::size_t(4), 5000);
    QCOMPARE(sink.batchesFor("back").back().scrapeStartMs, t0 - 3'590'000);
    scheduler.stop();
    io.stop();
}

QTEST_GUILESS_MAIN(TstScheduler)
#include "tst_scheduler.moc"
