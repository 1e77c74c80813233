// ScrapeCache: a target's series are built once and sent by ref afterwards; target labels follow
// Prometheus's rules (exported_*, honor_labels); a table handed out never changes; churn starts a new
// lineage; a failed parse sends nothing; the writer stores ref samples under the right series.
#include "collectors/scrape_cache.h"
#include "storage/sqlite_history.h"
#include "storage/store_writer.h"

#include <QTemporaryDir>
#include <QTest>

#include <bit>

using namespace pulse;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

Labels targetLabels()
{
    return Labels({{"job", "node"}, {"instance", "127.0.0.1:9100"}, {"env", "prod"}});
}

struct Scrape {
    std::shared_ptr<const SeriesTable> table;
    std::vector<RefSample> samples;
    bool isNew = false;
};

Scrape scrape(ScrapeCache &cache, std::string_view text, std::int64_t ts)
{
    cache.begin(ts);
    auto parsed = parseExposition(text, ExpositionFormat::PrometheusText, cache);
    if (!parsed)
        qFatal("%s", parsed.error().message.c_str());
    Scrape s;
    s.table = cache.finish(s.samples, s.isNew);
    return s;
}

constexpr std::string_view kPayload = "# TYPE node_load1 gauge\n"
                                      "node_load1 0.5\n"
                                      "# TYPE node_cpu_seconds_total counter\n"
                                      "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 100.25\n"
                                      "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 99.5 1699999999000\n"
                                      "clash{job=\"theirs\",instance=\"\"} 1\n";

} // namespace

class TestScrapeCache : public QObject {
    Q_OBJECT
private slots:
    void seriesAreBuiltOnceAndSentByRef()
    {
        ScrapeCache cache(targetLabels(), false);
        const Scrape first = scrape(cache, kPayload, kT0);
        QCOMPARE(first.samples.size(), std::size_t{4});
        QCOMPARE(first.table->size(), std::size_t{4});
        const SeriesEntry cpu1 = first.table->at(first.samples[2].ref);
        QCOMPARE(cpu1.metric, std::string("node_cpu_seconds_total"));
        QCOMPARE(cpu1.labels.value("cpu"), std::string_view("1"));
        QCOMPARE(cpu1.labels.value("job"), std::string_view("node"));
        QCOMPARE(cpu1.labels.value("env"), std::string_view("prod"));
        QCOMPARE(first.samples[0].timestampMs, kT0);                  // no timestamp: the scrape's
        QCOMPARE(first.samples[2].timestampMs, std::int64_t{1699999999000}); // the exposed one
        QCOMPARE(first.samples[1].value, 100.25);

        QVERIFY(first.isNew);
        const Scrape second = scrape(cache, kPayload, kT0 + 1000);
        QCOMPARE(second.table.get(), first.table.get()); // nothing new: the same table
        QVERIFY(!second.isNew);
        for (std::size_t i = 0; i < 4; ++i)
            QCOMPARE(second.samples[i].ref, first.samples[i].ref);

        // A new series copies the table (same lineage, same refs); the shared one is left as it was.
        const std::string grown = std::string(kPayload) + "node_new 7\n";
        const Scrape third = scrape(cache, grown, kT0 + 2000);
        QVERIFY(third.table.get() != first.table.get());
        QVERIFY(third.isNew); // queues count the copy's memory with this batch
        QCOMPARE(first.table->size(), std::size_t{4});
        QCOMPARE(third.table->size(), std::size_t{5});
        QCOMPARE(third.table->lineage(), first.table->lineage());
        QCOMPARE(third.table->at(third.samples[4].ref).metric, std::string("node_new"));
    }

    void targetLabelsFollowPrometheus()
    {
        ScrapeCache cache(targetLabels(), false);
        const Scrape s = scrape(cache, kPayload, kT0);
        const Labels clash = s.table->at(s.samples[3].ref).labels;
        QCOMPARE(clash.value("job"), std::string_view("node"));
        QCOMPARE(clash.value("exported_job"), std::string_view("theirs"));
        QCOMPARE(clash.value("instance"), std::string_view("127.0.0.1:9100")); // empty scraped value: no exported_
        QVERIFY(!clash.has("exported_instance"));

        ScrapeCache honoring(targetLabels(), true);
        const Scrape h = scrape(honoring, kPayload, kT0);
        const Labels kept = h.table->at(h.samples[3].ref).labels;
        QCOMPARE(kept.value("job"), std::string_view("theirs"));
        QVERIFY(!kept.has("exported_job"));
        QCOMPARE(kept.value("instance"), std::string_view("127.0.0.1:9100"));

        // An empty label value is no label: stored without it.
        ScrapeCache empty(targetLabels(), false);
        const Scrape e = scrape(empty, "up{path=\"\",code=\"200\"} 1\n", kT0);
        const Labels stored = e.table->at(e.samples[0].ref).labels;
        QVERIFY(!stored.has("path"));
        QCOMPARE(stored.value("code"), std::string_view("200"));
    }

    void churnStartsANewLineage()
    {
        ScrapeCache cache(targetLabels(), false);
        std::uint64_t lineage = 0;
        bool restarted = false;
        for (int round = 0; round < 40 && !restarted; ++round) {
            std::string text;
            for (int i = 0; i < 100; ++i)
                text += "churn{id=\"" + std::to_string(round * 100 + i) + "\"} 1\n";
            const Scrape s = scrape(cache, text, kT0 + round * 1000);
            if (round == 0)
                lineage = s.table->lineage();
            else if (s.table->lineage() != lineage)
                restarted = true;
            QVERIFY(s.table->size() <= 2 * 100 + 1024 + 100);
        }
        QVERIFY(restarted);
    }

    void newSeriesAreCountedOnceAcrossLineages()
    {
        // 2,000 steady series plus 1,500 new ones a scrape: only the 1,500 count against the series
        // budget, also at the scrape after the cache started a new lineage (and re-added the 2,000).
        ScrapeCache cache(targetLabels(), false);
        std::uint64_t lineage = 0;
        int restarts = 0;
        for (int round = 0; round < 12; ++round) {
            std::string text;
            for (int i = 0; i < 2000; ++i)
                text += "steady{id=\"" + std::to_string(i) + "\"} 1\n";
            if (round > 0)
                for (int i = 0; i < 1500; ++i)
                    text += "churn{id=\"" + std::to_string(round * 1500 + i) + "\"} 1\n";
            const Scrape s = scrape(cache, text, kT0 + round * 1000);
            QCOMPARE(cache.newSeries(), std::uint64_t(round == 0 ? 2000 : 1500));
            QVERIFY(!cache.overBudget());
            if (round == 0)
                lineage = s.table->lineage();
            else if (s.table->lineage() != lineage) {
                lineage = s.table->lineage();
                ++restarts;
            }
        }
        QVERIFY2(restarts >= 1, "the cache never started a new lineage: the test proves nothing");
        // A budget smaller than what is new stops the scrape and adds nothing past it.
        cache.begin(kT0 + 60'000, 10);
        QVERIFY(parseExposition("fresh{id=\"1\"} 1\nfresh{id=\"2\"} 1\n" + std::string(), ExpositionFormat::PrometheusText,
                                cache));
        QCOMPARE(cache.newSeries(), std::uint64_t(2));
        QVERIFY(!cache.overBudget());
        cache.discard();
        cache.begin(kT0 + 61'000, 1);
        QVERIFY(parseExposition("more{id=\"1\"} 1\nmore{id=\"2\"} 1\n", ExpositionFormat::PrometheusText, cache));
        QCOMPARE(cache.newSeries(), std::uint64_t(1));
        QVERIFY(cache.overBudget());
        cache.discard();
    }

    // The cache first tries the series the previous scrape had at the same position; a target that
    // reorders, inserts or replaces series must still get each series' own ref.
    void reorderedInsertedAndReplacedSeriesKeepTheirRefs()
    {
        ScrapeCache cache(targetLabels(), false);
        const Scrape first = scrape(cache, "a 1\nb 2\nc 3\n", kT0);
        auto refOf = [](const Scrape &s, std::string_view metric) {
            for (const RefSample &r : s.samples)
                if (s.table->at(r.ref).metric == metric)
                    return r.ref;
            qFatal("no sample of %s", std::string(metric).c_str());
        };
        const Scrape reordered = scrape(cache, "c 30\na 10\nb 20\n", kT0 + 1000);
        QVERIFY(!reordered.isNew);
        for (const char *m : {"a", "b", "c"})
            QCOMPARE(refOf(reordered, m), refOf(first, m));
        QCOMPARE(reordered.samples[0].value, 30.0);

        const Scrape inserted = scrape(cache, "c 31\nnew 5\na 11\nb 21\n", kT0 + 2000);
        QVERIFY(inserted.isNew);
        QCOMPARE(inserted.table->size(), std::size_t{4});
        for (const char *m : {"a", "b", "c"})
            QCOMPARE(refOf(inserted, m), refOf(first, m));
        QCOMPARE(inserted.table->at(inserted.samples[1].ref).metric, std::string("new"));

        // Same position, other labels: never taken for the series that was there.
        const Scrape replaced = scrape(cache, "c{x=\"1\"} 1\nnew 6\na 12\nb 22\n", kT0 + 3000);
        QCOMPARE(replaced.table->size(), std::size_t{5});
        QVERIFY(replaced.samples[0].ref != refOf(first, "c"));
        QCOMPARE(replaced.table->at(replaced.samples[0].ref).labels.value("x"), std::string_view("1"));
        QCOMPARE(replaced.samples[1].ref, refOf(inserted, "new"));
    }

    void thousandsOfSeriesKeepTheirRefsInAnyOrder()
    {
        // Enough series for the cache's lookup table to grow several times; the second scrape gives
        // them in reverse, so every lookup misses the same-position shortcut and goes through the table.
        ScrapeCache cache(targetLabels(), false);
        std::string forward, backward;
        constexpr int kSeries = 5000;
        for (int i = 0; i < kSeries; ++i)
            forward += "m{i=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
        for (int i = kSeries - 1; i >= 0; --i)
            backward += "m{i=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
        const Scrape first = scrape(cache, forward, kT0);
        const Scrape second = scrape(cache, backward, kT0 + 1000);
        QVERIFY(!second.isNew);
        QCOMPARE(second.table->size(), std::size_t{kSeries});
        for (int i = 0; i < kSeries; ++i) {
            const RefSample &r = second.samples[static_cast<std::size_t>(kSeries - 1 - i)];
            QCOMPARE(r.ref, first.samples[static_cast<std::size_t>(i)].ref);
            QCOMPARE(second.table->at(r.ref).labels.value("i"), std::string_view(std::to_string(i)));
        }
    }

    void timestampsFromTheFutureAreDropped()
    {
        // One sample stamped in the year 9999 would be "now" for every chart until then: dropped and
        // counted. One from 1970 (seconds written as milliseconds) is kept and flagged.
        ScrapeCache cache(targetLabels(), false);
        const std::string text = "a 1\n"
                                 "b 2 253402300799000\n"
                                 "c 3 " + std::to_string(kT0 + 9 * 60 * 1000) + "\n"
                                 "d 4 " + std::to_string(kT0 + 11 * 60 * 1000) + "\n"
                                 "e 5 1700000000\n";
        const Scrape s = scrape(cache, text, kT0);
        QCOMPARE(s.samples.size(), std::size_t(3)); // a, c (9 minutes ahead) and e
        QCOMPARE(cache.futureSamples(), std::size_t(2));
        QCOMPARE(cache.ancientSamples(), std::size_t(1));
        QCOMPARE(s.table->at(s.samples[1].ref).metric, std::string("c"));
        QCOMPARE(s.samples[2].timestampMs, std::int64_t(1700000000));
        cache.setMaxFutureMs(60 * 60 * 1000); // a target whose clock runs an hour ahead, on purpose
        const Scrape later = scrape(cache, text, kT0);
        QCOMPARE(later.samples.size(), std::size_t(4));
        QCOMPARE(cache.futureSamples(), std::size_t(1));
    }

    void failedParseSendsNothing()
    {
        ScrapeCache cache(targetLabels(), false);
        cache.begin(kT0);
        QVERIFY(!parseExposition("ok 1\nbroken{ 2\n", ExpositionFormat::PrometheusText, cache));
        cache.discard();
        const Scrape s = scrape(cache, "ok 3\n", kT0);
        QCOMPARE(s.samples.size(), std::size_t{1});
        QCOMPARE(s.samples[0].value, 3.0);
    }

    void writerStoresRefSamplesUnderTheirSeries()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        ScrapeCache cache(targetLabels(), false);
        {
            auto w = storage::StoreWriter::open(path);
            QVERIFY(w);
            for (int round = 0; round < 3; ++round) {
                const std::string text = std::string(kPayload) + (round == 2 ? "node_new 7\n" : "");
                Scrape s = scrape(cache, text, kT0 + round * 1000);
                MetricBatch batch;
                batch.samples.push_back(Sample{"up", targetLabels(), kT0 + round * 1000, 1});
                batch.series = s.table;
                batch.refSamples = std::move(s.samples);
                (*w)->add(batch);
                QVERIFY((*w)->commit());
            }
        }
        auto h = storage::SqliteHistory::open(path);
        QVERIFY(h);
        auto cpu = (*h)->select(std::vector<LabelMatcher>{{"__name__", LabelMatcher::Op::Equal, "node_cpu_seconds_total"},
                                                          {"cpu", LabelMatcher::Op::Equal, "0"}},
                                INT64_MIN, INT64_MAX);
        QVERIFY(cpu && cpu->size() == 1);
        QCOMPARE(cpu->front().timestampsMs, (std::vector<std::int64_t>{kT0, kT0 + 1000, kT0 + 2000}));
        QCOMPARE(cpu->front().labels.value("instance"), std::string_view("127.0.0.1:9100"));
        auto added = (*h)->select(std::vector<LabelMatcher>{{"__name__", LabelMatcher::Op::Equal, "node_new"}},
                                  INT64_MIN, INT64_MAX);
        QVERIFY(added && added->size() == 1 && added->front().values == std::vector<double>{7});
        auto up = (*h)->select(std::vector<LabelMatcher>{{"__name__", LabelMatcher::Op::Equal, "up"}}, INT64_MIN,
                               INT64_MAX);
        QVERIFY(up && up->size() == 1 && up->front().values.size() == 3);
    }
};

QTEST_APPLESS_MAIN(TestScrapeCache)
#include "tst_scrape_cache.moc"
