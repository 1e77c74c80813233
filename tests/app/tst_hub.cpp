// Hub: batches that arrive while the history opens are held (bounded, counted when over) and handed
// over first and in order; after the history closes they are dropped and counted; target statuses are
// coalesced to the latest per target with one notice per take.
#include "app/services/hub.h"

#include <QSignalSpy>
#include <QTest>

#include <mutex>

using namespace pulse;

namespace {

class RecordingSink final : public SampleSink {
public:
    void append(MetricBatch batch) override
    {
        std::lock_guard lock(m_mutex);
        m_scrapes.push_back(batch.scrapeStartMs);
    }
    std::vector<std::int64_t> scrapes()
    {
        std::lock_guard lock(m_mutex);
        return m_scrapes;
    }

private:
    std::mutex m_mutex;
    std::vector<std::int64_t> m_scrapes;
};

MetricBatch batch(std::int64_t scrape, std::size_t samples = 1)
{
    MetricBatch b;
    b.scrapeStartMs = scrape;
    for (std::size_t i = 0; i < samples; ++i)
        b.samples.push_back(Sample{"m", Labels({{"i", std::to_string(i)}}), scrape, 1});
    return b;
}

} // namespace

class TestHub : public QObject {
    Q_OBJECT
private slots:
    void heldUntilTheHistoryOpensThenInOrder()
    {
        Hub hub;
        hub.append(batch(1));
        hub.append(batch(2));
        auto sink = std::make_shared<RecordingSink>();
        hub.setSink(sink);
        hub.append(batch(3));
        QCOMPARE(sink->scrapes(), (std::vector<std::int64_t>{1, 2, 3}));
        QCOMPARE(hub.samplesWithoutSink(), std::uint64_t{0});
        QCOMPARE(hub.samplesReceived(), std::uint64_t{3});
        hub.setSink(nullptr); // closed: dropped and counted from now on
        hub.append(batch(4, 5));
        QCOMPARE(sink->scrapes().size(), std::size_t{3});
        QCOMPARE(hub.samplesWithoutSink(), std::uint64_t{5});
    }

    void holdingIsBounded()
    {
        Hub hub;
        const std::size_t per = 100'000;
        for (std::size_t i = 0; i < Hub::kHeldSamples / per + 3; ++i)
            hub.append(batch(static_cast<std::int64_t>(i), per));
        QVERIFY(hub.samplesWithoutSink() > 0);
        auto sink = std::make_shared<RecordingSink>();
        hub.setSink(sink);
        QCOMPARE(sink->scrapes().size() * per + hub.samplesWithoutSink(), hub.samplesReceived());
    }

    void statusesAreCoalesced()
    {
        Hub hub;
        QSignalSpy pending(&hub, &Hub::statusesPending);
        for (int round = 0; round < 100; ++round) {
            for (int t = 0; t < 10; ++t) {
                TargetStatus s;
                s.name = "t" + std::to_string(t);
                s.lastRunMs = round;
                hub.publishStatus(s);
            }
        }
        QCOMPARE(pending.count(), 1);
        auto taken = hub.takeStatuses();
        QCOMPARE(taken.size(), std::size_t{10});
        for (const TargetStatus &s : taken)
            QCOMPARE(s.lastRunMs, std::int64_t{99});
        TargetStatus again;
        again.name = "t0";
        hub.publishStatus(again);
        QCOMPARE(pending.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
