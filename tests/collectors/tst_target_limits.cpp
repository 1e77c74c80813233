// A target's limits, with the defaults a desktop config gets: a scrape over the sample, label, label
// length or series limit fails whole with the limit named (Prometheus's behaviour) and the target
// reports up 0; a target whose labels churn is stopped by its series budget, so neither the scrape
// cache, the writer's catalogue nor the process's memory grow with the churn.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/prometheus_probe.h"
#include "collectors/series_budget.h"
#include "core/exposition/exposition_parser.h"
#include "probe_test_support.h"
#include "storage/store_writer.h"
#include "test_http_server.h"
#include "test_resources.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <set>

using namespace pulse;
using pulse::test::residentMiB;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

std::string okResponse(const std::string &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: "
           + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// churnPayload is what an exporter with a request id in a label serves: `count` series, all new.
std::string churnPayload(int scrape, int count)
{
    std::string body = "# TYPE churn_requests_total counter\n";
    body.reserve(static_cast<std::size_t>(count) * 48);
    for (int i = 0; i < count; ++i)
        body += "churn_requests_total{request_id=\"r" + std::to_string(scrape) + "_" + std::to_string(i) + "\"} 1\n";
    return body;
}

TargetConfig defaultTarget(const std::string &url)
{
    PrometheusOptions scrape; // every limit at its default
    scrape.http.url = url;
    TargetConfig t{scrape};
    t.name = "churn";
    t.interval = std::chrono::seconds(1);
    t.timeout = std::chrono::seconds(10);
    return t;
}

Result<ParseStats> parseWith(std::string_view text, const ParseLimits &limits)
{
    struct Ignore : ExpositionVisitor {
        void sample(std::string_view, const LabelView *, std::size_t, double, std::optional<std::int64_t>) override {}
    } visitor;
    return parseExposition(text, ExpositionFormat::PrometheusText, visitor, limits);
}

} // namespace

class TstTargetLimits : public QObject {
    Q_OBJECT
private slots:
    void defaultsAreSet();
    void budgetSlidesOverAnHour();
    void labelLengthsAreLimited();
    void overALimitTheTargetIsDown();
    void churningTargetIsStopped();
    void liveSeriesAreLimitedAcrossTargets();
};

void TstTargetLimits::defaultsAreSet()
{
    // A config that says nothing gets limits: unlimited is something a user asks for (0).
    const TargetConfig target;
    const auto &t = std::get<PrometheusOptions>(target.options);
    QCOMPARE(t.sampleLimit, PrometheusOptions::kDefaultSampleLimit);
    QCOMPARE(t.labelLimit, PrometheusOptions::kDefaultLabelLimit);
    QCOMPARE(t.labelNameLengthLimit, PrometheusOptions::kDefaultLabelNameLengthLimit);
    QCOMPARE(t.labelValueLengthLimit, PrometheusOptions::kDefaultLabelValueLengthLimit);
    QCOMPARE(t.seriesLimit, PrometheusOptions::kDefaultSeriesLimit);
    QVERIFY(t.sampleLimit > 0 && t.labelLimit > 0 && t.seriesLimit > 0);
}

void TstTargetLimits::budgetSlidesOverAnHour()
{
    SeriesBudget budget(1000);
    QCOMPARE(budget.remaining(kT0), std::uint64_t(1000));
    budget.record(kT0, 600);
    budget.record(kT0 + 30 * 60'000, 300); // half an hour later
    QCOMPARE(budget.used(kT0 + 30 * 60'000), std::uint64_t(900));
    QCOMPARE(budget.remaining(kT0 + 59 * 60'000), std::uint64_t(100));
    // An hour after the first 600 they expire; the 300 stay for another half hour.
    QCOMPARE(budget.used(kT0 + 61 * 60'000), std::uint64_t(300));
    QCOMPARE(budget.used(kT0 + 91 * 60'000), std::uint64_t(0));
    // A clock that steps back counts in the newest minute rather than losing the count.
    budget.record(kT0 + 91 * 60'000, 10);
    budget.record(kT0, 5);
    QCOMPARE(budget.used(kT0 + 91 * 60'000), std::uint64_t(15));
    // Over the limit nothing remains; a day of silence gives the whole budget back.
    budget.record(kT0 + 92 * 60'000, 5000);
    QCOMPARE(budget.remaining(kT0 + 92 * 60'000), std::uint64_t(0));
    QCOMPARE(budget.remaining(kT0 + 24 * 3'600'000), std::uint64_t(1000));
    // Without a limit there is always room.
    SeriesBudget unlimited(0);
    unlimited.record(kT0, 1'000'000);
    QCOMPARE(unlimited.remaining(kT0), UINT64_MAX);
    // A test clock near the epoch works too.
    SeriesBudget early(10);
    early.record(0, 4);
    early.record(-1, 4);
    QCOMPARE(early.remaining(1), std::uint64_t(2));
}

void TstTargetLimits::labelLengthsAreLimited()
{
    const std::string longName(300, 'n');
    const std::string longValue(5000, 'v');
    ParseLimits limits;
    limits.labelNameLengthLimit = 256;
    limits.labelValueLengthLimit = 4096;
    QVERIFY(parseWith("ok{" + std::string(256, 'n') + "=\"" + std::string(4096, 'v') + "\"} 1\n", limits));

    auto name = parseWith("a 1\nbad{" + longName + "=\"x\"} 1\n", limits);
    QVERIFY(!name);
    QVERIFY2(name.error().message.starts_with("line 2: label name"), name.error().message.c_str());
    QVERIFY2(name.error().message.find("300 bytes long, more than the label name length limit of 256")
                 != std::string::npos,
             name.error().message.c_str());
    QVERIFY2(name.error().message.size() < 300, "the message quotes the whole name");

    auto value = parseWith("bad{path=\"" + longValue + "\"} 1\n", limits);
    QVERIFY(!value);
    QVERIFY2(value.error().message.find("the value of label \"path\" of \"bad\" is 5000 bytes long, more than the "
                                        "label value length limit of 4096")
                 != std::string::npos,
             value.error().message.c_str());
    QVERIFY2(value.error().message.size() < 300, "the message quotes the whole value");

    limits = {}; // 0: unlimited, as in Prometheus
    QVERIFY(parseWith("bad{" + longName + "=\"" + longValue + "\"} 1\n", limits));
}

void TstTargetLimits::overALimitTheTargetIsDown()
{
    // Each limit fails the scrape with its name in the error; `up` says 0; nothing else is stored.
    const std::string wide = [] {
        std::string labels;
        for (int i = 0; i < 70; ++i)
            labels += (i ? "," : "") + std::string("l") + std::to_string(i) + "=\"x\"";
        return "wide{" + labels + "} 1\n";
    }();
    const std::string longValue = "long{v=\"" + std::string(40'000, 'v') + "\"} 1\n";
    std::atomic<int> which{0};
    test::TestHttpServer server([&](int fd, const std::string &first, const test::TestHttpServer &) {
        for (std::string head = first; !head.empty(); head = test::readHead(fd))
            test::TestHttpServer::sendAll(fd, okResponse(which.load() == 0 ? wide : longValue));
    });
    IoRuntime io(1);
    HttpClient http(io);
    PrometheusProbe labels(defaultTarget(server.url("/metrics")), http);
    const ProbeOutcome tooMany = test::runProbe(labels, kT0);
    QCOMPARE(test::healthText(tooMany.health), QStringLiteral("down"));
    QVERIFY2(tooMany.error.find("more than the label limit of 64") != std::string::npos, tooMany.error.c_str());
    QCOMPARE(test::valueOf(tooMany, "up"), 0.0);
    QVERIFY(test::findSample(tooMany, "wide") == nullptr);

    which = 1;
    PrometheusProbe value(defaultTarget(server.url("/metrics")), http);
    const ProbeOutcome tooLong = test::runProbe(value, kT0);
    QCOMPARE(test::healthText(tooLong.health), QStringLiteral("down"));
    QVERIFY2(tooLong.error.find("label value length limit of 32768") != std::string::npos, tooLong.error.c_str());
    QVERIFY(test::findSample(tooLong, "long") == nullptr);

    // Raised by the config, the same payloads pass.
    TargetConfig raised = defaultTarget(server.url("/metrics"));
    std::get<PrometheusOptions>(raised.options).labelValueLengthLimit = 0;
    PrometheusProbe accepted(raised, http);
    const ProbeOutcome passes = test::runProbe(accepted, kT0);
    QCOMPARE(test::healthText(passes.health), QStringLiteral("up"));
    QCOMPARE(test::valueOf(passes, "long"), 1.0);
    io.stop();
}

void TstTargetLimits::churningTargetIsStopped()
{
    // 50,000 new series every scrape, for 100 scrapes at 1 s (the probe's clock is the start time it
    // is given): with the default series_limit (200,000 an hour) the first four scrapes are stored, then
    // the target goes down with "series limit exceeded" and stays down; the writer's catalogue stops
    // growing and so does memory.
    constexpr int kScrapes = 100;
    constexpr int kSeriesPerScrape = 50'000;
    std::atomic<int> served{0};
    test::TestHttpServer server([&](int fd, const std::string &first, const test::TestHttpServer &) {
        for (std::string head = first; !head.empty(); head = test::readHead(fd))
            test::TestHttpServer::sendAll(fd, okResponse(churnPayload(served.fetch_add(1), kSeriesPerScrape)));
    });
    IoRuntime io(1);
    HttpClient http(io);
    PrometheusProbe probe(defaultTarget(server.url("/metrics")), http);
    QTemporaryDir dir;
    auto writer = storage::StoreWriter::open(dir.filePath(QStringLiteral("h.db")).toStdString());
    QVERIFY(writer);

    const auto limit = static_cast<int>(PrometheusOptions::kDefaultSeriesLimit / kSeriesPerScrape);
    std::uint64_t catalogueAtLimit = 0;
    std::int64_t rssAtLimit = 0;
    std::int64_t rssMax = 0;
    for (int i = 0; i < kScrapes; ++i) {
        const std::int64_t startMs = kT0 + i * 1000;
        ProbeOutcome outcome = test::runProbe(probe, startMs);
        if (i < limit) {
            QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
            QCOMPARE(test::valueOf(outcome, "up"), 1.0);
        } else {
            QCOMPARE(test::healthText(outcome.health), QStringLiteral("down"));
            QVERIFY2(outcome.error.starts_with("series limit exceeded: "), outcome.error.c_str());
            QVERIFY2(outcome.error.find("series_limit of 200000") != std::string::npos, outcome.error.c_str());
            QCOMPARE(test::valueOf(outcome, "up"), 0.0);
            QCOMPARE(test::valueOf(outcome, "scrape_samples_scraped"), double(kSeriesPerScrape));
            QVERIFY(test::findSample(outcome, "churn_requests_total") == nullptr);
        }
        MetricBatch batch;
        batch.target = "churn";
        batch.scrapeStartMs = startMs;
        batch.samples = std::move(outcome.samples);
        (*writer)->add(batch);
        QVERIFY((*writer)->commit());
        const std::uint64_t catalogue = (*writer)->counters().seriesCount;
        if (i == limit) {
            catalogueAtLimit = catalogue;
            rssAtLimit = residentMiB();
        }
        if (i > limit) {
            QCOMPARE(catalogue, catalogueAtLimit);
            rssMax = std::max(rssMax, residentMiB());
        }
    }
    // Every stored churn series plus the target's own up, scrape_duration_seconds and
    // scrape_samples_scraped.
    QCOMPARE(catalogueAtLimit, PrometheusOptions::kDefaultSeriesLimit + 3);
    QCOMPARE(served.load(), kScrapes);
    constexpr std::int64_t kAllowedGrowthMiB = test::kAllowedRssGrowthMiB;
    qInfo("RSS %lld MiB when the limit was reached, %lld MiB max after", static_cast<long long>(rssAtLimit),
          static_cast<long long>(rssMax));
    QVERIFY2(rssMax - rssAtLimit < kAllowedGrowthMiB,
             qPrintable(QStringLiteral("RSS grew by %1 MiB while the target churned").arg(rssMax - rssAtLimit)));
    io.stop();
}

void TstTargetLimits::liveSeriesAreLimitedAcrossTargets()
{
    // Two targets of 60 series under a global limit of 100: the first is in, the second goes down
    // with "live series limit exceeded"; when the first stops exposing them, the second fits.
    std::atomic<bool> firstUp{true};
    auto payload = [](const char *name) {
        std::string body;
        for (int i = 0; i < 60; ++i)
            body += std::string(name) + "{i=\"" + std::to_string(i) + "\"} 1\n";
        return body;
    };
    test::TestHttpServer first([&](int fd, const std::string &head, const test::TestHttpServer &) {
        for (std::string h = head; !h.empty(); h = test::readHead(fd))
            test::TestHttpServer::sendAll(fd, firstUp ? okResponse(payload("a"))
                                                      : okResponse("# nothing to expose any more\n"));
    });
    test::TestHttpServer second([&](int fd, const std::string &head, const test::TestHttpServer &) {
        for (std::string h = head; !h.empty(); h = test::readHead(fd))
            test::TestHttpServer::sendAll(fd, okResponse(payload("b")));
    });
    IoRuntime io(1);
    HttpClient http(io);
    auto live = std::make_shared<LiveSeries>(100);
    PrometheusProbe a(defaultTarget(first.url("/metrics")), http, live);
    PrometheusProbe b(defaultTarget(second.url("/metrics")), http, live);
    QCOMPARE(test::healthText(test::runProbe(a, kT0).health), QStringLiteral("up"));
    QCOMPARE(live->total(), std::int64_t{60});
    const ProbeOutcome refused = test::runProbe(b, kT0);
    QCOMPARE(test::healthText(refused.health), QStringLiteral("down"));
    QVERIFY2(refused.error.starts_with("live series limit exceeded: with this target's 60 series, all targets "
                                       "together would expose more than 100"),
             refused.error.c_str());
    QVERIFY(test::findSample(refused, "b") == nullptr);
    QCOMPARE(live->total(), std::int64_t{60});
    firstUp = false;
    QCOMPARE(test::healthText(test::runProbe(a, kT0 + 1000).health), QStringLiteral("up"));
    QCOMPARE(live->total(), std::int64_t{0});
    QCOMPARE(test::healthText(test::runProbe(b, kT0 + 1000).health), QStringLiteral("up"));
    QCOMPARE(live->total(), std::int64_t{60});
    QCOMPARE(LiveSeries{}.limit(), LiveSeries::kDefaultLimit);
    io.stop();
}

QTEST_GUILESS_MAIN(TstTargetLimits)
#include "tst_target_limits.moc"
