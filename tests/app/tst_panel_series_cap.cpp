// A panel whose query matches thousands of series (a forgotten `sum by`) gets the first
// PanelData::kMaxSeries of them, the same ones on every refresh, and says how many more there are;
// comparison overlays share the cap. The query thread builds only what is drawn.
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "core/logs/log_store.h"
#include "widgets/chart_panel.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>

#include <cstdio>

using namespace pulse;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;
constexpr int kSeries = 250;

PanelData ask(QueryService &queries, std::int64_t compareOffsetMs = 0)
{
    QSignalSpy answers(&queries, &QueryService::answered);
    QueryRequest req;
    req.exprs = {QStringLiteral("requests_total")};
    req.startMs = kT0;
    req.endMs = kT0 + 60'000;
    req.stepMs = 15'000;
    req.compareOffsetMs = compareOffsetMs;
    queries.query(req);
    if (answers.count() != 1)
        qFatal("no answer");
    return answers.first().first().value<PanelData>();
}

} // namespace

class TstPanelSeriesCap : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { registerMetaTypes(); }
    void panelDrawsAtMostTheCapAndSaysSo();
};

void TstPanelSeriesCap::panelDrawsAtMostTheCapAndSaysSo()
{
    LogStore logs;
    QueryService queries(48 * 3'600'000, logs); // no history file: the in-memory history answers
    for (std::int64_t ts = kT0 - 86'400'000; ts <= kT0 + 60'000; ts += 15'000) {
        if (ts < kT0 - 86'400'000 + 120'000 || ts >= kT0 - 120'000) {
            MetricBatch batch;
            for (int i = 0; i < kSeries; ++i) {
                char id[8];
                std::snprintf(id, sizeof id, "%03d", i);
                batch.samples.push_back(Sample{"requests_total", Labels({{"route", std::string("/r") + id}}), ts,
                                               static_cast<double>(i)});
            }
            queries.ingest(std::move(batch));
        }
    }

    const PanelData data = ask(queries);
    QVERIFY2(data.error.isEmpty(), qPrintable(data.error));
    QCOMPARE(data.series.size(), PanelData::kMaxSeries);
    QCOMPARE(data.hiddenSeries, std::size_t(kSeries) - PanelData::kMaxSeries);
    // The first ones in label order: the same lines on every refresh.
    QVERIFY2(data.series.front().name.contains(QStringLiteral("/r000")), qPrintable(data.series.front().name));
    QVERIFY2(data.series.back().name.contains(QStringLiteral("/r099")), qPrintable(data.series.back().name));

    // A comparison with the day before has no room left: it is counted, not drawn.
    const PanelData compared = ask(queries, 86'400'000);
    QCOMPARE(compared.series.size(), PanelData::kMaxSeries);
    QCOMPARE(compared.hiddenSeries, 2 * std::size_t(kSeries) - PanelData::kMaxSeries);

    ChartPanel panel(QStringLiteral("requests"), QStringList{QStringLiteral("requests_total")}, QString());
    panel.setData(data);
    panel.show();
    QCOMPARE(panel.seriesCount(), int(PanelData::kMaxSeries));
    auto *note = panel.findChild<QLabel *>(QStringLiteral("hiddenSeries"));
    QVERIFY(note);
    QVERIFY(note->isVisible());
    QCOMPARE(note->textFormat(), Qt::PlainText);
    QVERIFY2(note->text().startsWith(QStringLiteral("150 more series not shown: a panel draws at most 100")),
             qPrintable(note->text()));

    PanelData few = data;
    few.series.resize(3);
    few.hiddenSeries = 0;
    panel.setData(few);
    QVERIFY(!note->isVisible());
}

QTEST_MAIN(TstPanelSeriesCap)
#include "tst_panel_series_cap.moc"
