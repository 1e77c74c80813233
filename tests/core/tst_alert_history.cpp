// alertHistory: ALERTS series (samples while pending or firing, a staleness marker when they stop)
// back into alert instances.
#include "core/alerting/alert_history.h"

#include <QTest>

using namespace pulse;

namespace {

constexpr std::int64_t kT0 = 1'796'000'000'000;
constexpr std::int64_t kS = 1000;

SeriesData series(const std::string &state, const std::string &instance,
                  std::vector<std::pair<std::int64_t, bool>> points)
{
    SeriesData s;
    s.metric = "ALERTS";
    s.labels = Labels{{"alertname", "ApiDown"}, {"alertstate", state}, {"instance", instance}};
    for (const auto &[t, stale] : points) {
        s.timestampsMs.push_back(t);
        s.values.push_back(stale ? staleMarker() : 1.0);
    }
    return s;
}

} // namespace

class TstAlertHistory : public QObject {
    Q_OBJECT
private slots:
    void pendingThenFiringIsOneInstance();
    void firingWithoutForAndTwoIncidents();
    void pendingThatNeverFiredIsNoAlert();
    void stillActiveAndStoppedWithoutMarker();
    void aGapSplitsInstances();
};

void TstAlertHistory::pendingThenFiringIsOneInstance()
{
    const auto out =
        alertHistory({series("pending", "a", {{kT0, false}, {kT0 + 15 * kS, false}, {kT0 + 30 * kS, true}}),
                      series("firing", "a", {{kT0 + 30 * kS, false}, {kT0 + 45 * kS, false}, {kT0 + 60 * kS, true}})},
                     kT0 + 3600 * kS);
    QCOMPARE(out.size(), std::size_t{1});
    QCOMPARE(out[0].alertname, std::string("ApiDown"));
    QVERIFY(!out[0].labels.has("alertstate"));
    QCOMPARE(out[0].activeAtMs, kT0);
    QCOMPARE(out[0].firedAtMs, kT0 + 30 * kS);
    QCOMPARE(out[0].endedAtMs, kT0 + 60 * kS);
    QVERIFY(out[0].endKnown);
    QCOMPARE(out[0].state(), std::string("resolved"));
}

void TstAlertHistory::firingWithoutForAndTwoIncidents()
{
    const auto out = alertHistory(
        {series("firing", "a", {{kT0, false}, {kT0 + 5 * kS, true}, {kT0 + 30 * kS, false}, {kT0 + 35 * kS, true}})},
        kT0 + 3600 * kS);
    QCOMPARE(out.size(), std::size_t{2});
    QCOMPARE(out[0].activeAtMs, out[0].firedAtMs);
    QCOMPARE(out[0].endedAtMs, kT0 + 5 * kS);
    QCOMPARE(out[1].firedAtMs, kT0 + 30 * kS);
    QCOMPARE(out[1].endedAtMs, kT0 + 35 * kS);
}

void TstAlertHistory::pendingThatNeverFiredIsNoAlert()
{
    const auto out = alertHistory({series("pending", "a", {{kT0, false}, {kT0 + 15 * kS, true}})}, kT0 + 3600 * kS);
    QVERIFY(out.empty());
}

void TstAlertHistory::stillActiveAndStoppedWithoutMarker()
{
    const std::int64_t now = kT0 + 20 * 60 * kS;
    const auto out = alertHistory({series("firing", "live", {{now - 30 * kS, false}, {now - 15 * kS, false}}),
                                   series("firing", "stopped", {{kT0, false}, {kT0 + 15 * kS, false}}),
                                   series("pending", "waiting", {{now - 10 * kS, false}})},
                                  now);
    QCOMPARE(out.size(), std::size_t{3});
    QCOMPARE(out[0].labels.value("instance"), std::string_view("stopped"));
    QCOMPARE(out[0].state(), std::string("resolved"));
    QVERIFY(!out[0].endKnown);
    QCOMPARE(out[0].endedAtMs, kT0 + 15 * kS);
    QCOMPARE(out[1].labels.value("instance"), std::string_view("live"));
    QCOMPARE(out[1].state(), std::string("firing"));
    QCOMPARE(out[2].state(), std::string("pending"));
}

void TstAlertHistory::aGapSplitsInstances()
{
    // Firing, then Pulseboard stopped for an hour (no marker), then firing again: two instances.
    const auto out = alertHistory({series("firing", "a", {{kT0, false}, {kT0 + 15 * kS, false},
                                                          {kT0 + 3600 * kS, false}, {kT0 + 3615 * kS, true}})},
                                  kT0 + 7200 * kS);
    QCOMPARE(out.size(), std::size_t{2});
    QCOMPARE(out[0].endedAtMs, kT0 + 15 * kS);
    QVERIFY(!out[0].endKnown);
    QCOMPARE(out[1].firedAtMs, kT0 + 3600 * kS);
    QCOMPARE(out[1].endedAtMs, kT0 + 3615 * kS);
    QVERIFY(out[1].endKnown);
}

QTEST_GUILESS_MAIN(TstAlertHistory)
#include "tst_alert_history.moc"
