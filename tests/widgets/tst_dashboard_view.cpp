// DashboardView driven like a user: wheel zoom, drag zoom, pan, double-click reset, synchronised
// crosshair, legend click-to-hide; and the TimeRangeBar that owns the shared range.
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/interactive_chart_view.h"
#include "widgets/time_range_bar.h"

#include <QApplication>
#include <QChart>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QSignalSpy>
#include <QTest>
#include <QMouseEvent>
#include <QWheelEvent>

using namespace pulse;

namespace {

constexpr std::int64_t kStart = 1'800'000'000'000;
constexpr std::int64_t kEnd = kStart + 3'600'000;

PanelData data(int panel)
{
    PanelData d;
    d.panelIndex = panel;
    d.startMs = kStart;
    d.endMs = kEnd;
    for (int s = 0; s < 2; ++s) {
        PlotSeries series;
        series.name = QStringLiteral("{route=\"/r%1\"}").arg(s);
        for (std::int64_t t = kStart; t <= kEnd; t += 10'000)
            series.points.push_back(Point{static_cast<double>(t), static_cast<double>(s * 100 + (t / 10'000) % 7)});
        d.series.push_back(std::move(series));
    }
    return d;
}

DashboardConfig twoPanels()
{
    DashboardConfig cfg;
    cfg.name = "Overview";
    PanelConfig a;
    a.title = "Requests";
    a.exprs = {"sum(rate(http_requests_total[1m]))"};
    PanelConfig b;
    b.title = "Latency";
    b.exprs = {"histogram_quantile(0.95, rate(x_bucket[5m]))"};
    b.unit = "s";
    cfg.panels = {a, b};
    return cfg;
}

} // namespace

class TstDashboardView : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void wheelZoomsAroundCursor();
    void dragZoomsToSpan();
    void shiftDragPans();
    void doubleClickResets();
    void crosshairIsSynchronised();
    void crosshairShowsNamesAsWritten();
    void legendClickHidesSeries();
    void emptyDashboardShowsHint();
    void timeRangeBar();
    void burstsAreDrawnOnePanelPerTurn();

private:
    QPoint plotPoint(ChartPanel *panel, double fraction) const;
    static void hover(ChartPanel *panel, QPoint pos);
    std::unique_ptr<DashboardView> m_view;
};

void TstDashboardView::hover(ChartPanel *panel, QPoint pos)
{
    // A plain move with no button, delivered straight to the viewport as the window system would.
    QMouseEvent move(QEvent::MouseMove, pos, panel->view()->viewport()->mapToGlobal(pos), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(panel->view()->viewport(), &move);
}

void TstDashboardView::init()
{
    m_view = std::make_unique<DashboardView>();
    m_view->resize(1200, 700);
    m_view->setDashboard(twoPanels());
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_view->applyData(data(0));
    m_view->applyData(data(1));
    QApplication::processEvents();
}

void TstDashboardView::cleanup()
{
    m_view.reset();
}

QPoint TstDashboardView::plotPoint(ChartPanel *panel, double fraction) const
{
    const QRectF plot = panel->chart()->plotArea();
    const QPointF chartPos(plot.left() + plot.width() * fraction, plot.center().y());
    const QPointF scenePos = panel->chart()->mapToScene(chartPos);
    return panel->view()->mapFromScene(scenePos);
}

void TstDashboardView::wheelZoomsAroundCursor()
{
    QSignalSpy spy(m_view.get(), &DashboardView::rangeRequested);
    auto *panel = m_view->panels().front();
    const QPoint pos = plotPoint(panel, 0.5);
    QWheelEvent wheel(pos, panel->view()->viewport()->mapToGlobal(pos), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(panel->view()->viewport(), &wheel);
    QCOMPARE(spy.count(), 1);
    const auto start = spy.at(0).at(0).value<std::int64_t>();
    const auto end = spy.at(0).at(1).value<std::int64_t>();
    QVERIFY(end - start < kEnd - kStart);          // zoomed in
    QVERIFY(start > kStart && end < kEnd);          // around the middle
    QVERIFY(std::abs((start + end) / 2 - (kStart + kEnd) / 2) < 60'000);
}

void TstDashboardView::dragZoomsToSpan()
{
    QSignalSpy spy(m_view.get(), &DashboardView::rangeRequested);
    auto *panel = m_view->panels().front();
    auto *vp = panel->view()->viewport();
    QTest::mousePress(vp, Qt::LeftButton, Qt::NoModifier, plotPoint(panel, 0.25));
    QTest::mouseMove(vp, plotPoint(panel, 0.5));
    QTest::mouseRelease(vp, Qt::LeftButton, Qt::NoModifier, plotPoint(panel, 0.75));
    QCOMPARE(spy.count(), 1);
    const auto start = spy.at(0).at(0).value<std::int64_t>();
    const auto end = spy.at(0).at(1).value<std::int64_t>();
    QVERIFY(std::abs(start - (kStart + 900'000)) < 30'000);
    QVERIFY(std::abs(end - (kStart + 2'700'000)) < 30'000);
}

void TstDashboardView::shiftDragPans()
{
    QSignalSpy spy(m_view.get(), &DashboardView::rangeRequested);
    auto *panel = m_view->panels().front();
    auto *vp = panel->view()->viewport();
    QTest::mousePress(vp, Qt::LeftButton, Qt::ShiftModifier, plotPoint(panel, 0.5));
    QTest::mouseMove(vp, plotPoint(panel, 0.25));
    QTest::mouseRelease(vp, Qt::LeftButton, Qt::ShiftModifier, plotPoint(panel, 0.25));
    QVERIFY(spy.count() >= 1);
    const auto start = spy.last().at(0).value<std::int64_t>();
    const auto end = spy.last().at(1).value<std::int64_t>();
    QCOMPARE(end - start, kEnd - kStart);               // same span
    QVERIFY(std::abs(start - (kStart + 900'000)) < 30'000); // moved a quarter later
}

void TstDashboardView::doubleClickResets()
{
    QSignalSpy spy(m_view.get(), &DashboardView::resetRequested);
    auto *panel = m_view->panels().back();
    QTest::mouseDClick(panel->view()->viewport(), Qt::LeftButton, Qt::NoModifier, plotPoint(panel, 0.5));
    QCOMPARE(spy.count(), 1);
}

void TstDashboardView::crosshairIsSynchronised()
{
    auto *first = m_view->panels().front();
    auto *second = m_view->panels().back();
    hover(first, plotPoint(first, 0.5));
    const QString a = first->crosshairText();
    const QString b = second->crosshairText();
    QVERIFY2(!a.isEmpty() && !b.isEmpty(), "both panels show the crosshair");
    QCOMPARE(a.section(QLatin1Char('\n'), 0, 0), b.section(QLatin1Char('\n'), 0, 0)); // same moment
    QVERIFY(a.contains(QStringLiteral("{route=\"/r0\"}: ")));
    QVERIFY(b.contains(QStringLiteral("{route=\"/r1\"}: ")));
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(first->view(), &leave);
    QVERIFY(first->crosshairText().isEmpty() && second->crosshairText().isEmpty());
}

void TstDashboardView::crosshairShowsNamesAsWritten()
{
    // A label value holding "%1 %2" must not take the numbers meant for the placeholders after it.
    PanelData d = data(1);
    d.series[0].name = QStringLiteral("{route=\"%1 %2\"}");
    m_view->applyData(d);
    auto *panel = m_view->panels().back();
    // Answers are drawn one panel per event-loop turn: hover until the new names are on the chart.
    QTRY_VERIFY([&] {
        hover(panel, plotPoint(panel, 0.5));
        return panel->crosshairText().contains(QStringLiteral("route=\"%1"));
    }());
    const QStringList lines = panel->crosshairText().split(QLatin1Char('\n'));
    QVERIFY(lines.size() >= 2);
    QVERIFY2(lines[1].startsWith(QStringLiteral("{route=\"%1 %2\"}: ")) && lines[1].endsWith(QStringLiteral(" s")),
             qPrintable(lines[1]));
    bool numeric = false;
    lines[1].section(QStringLiteral(": "), 1).chopped(2).toDouble(&numeric);
    QVERIFY2(numeric, qPrintable(lines[1]));
}

void TstDashboardView::legendClickHidesSeries()
{
    auto *panel = m_view->panels().front();
    const auto markers = panel->chart()->legend()->markers();
    QCOMPARE(markers.size(), qsizetype(2));
    emit markers[1]->clicked();
    QVERIFY(panel->isSeriesVisible(0));
    QVERIFY(!panel->isSeriesVisible(1));
    QVERIFY(markers[1]->isVisible()); // still there, to click again
    // A live update keeps the choice.
    m_view->applyData(data(0));
    QVERIFY(!panel->isSeriesVisible(1));
    hover(panel, plotPoint(panel, 0.5));
    QVERIFY(!panel->crosshairText().contains(QStringLiteral("/r1")));
    emit panel->chart()->legend()->markers()[1]->clicked();
    QVERIFY(panel->isSeriesVisible(1));
}

void TstDashboardView::emptyDashboardShowsHint()
{
    DashboardView view;
    DashboardConfig empty;
    empty.name = "Empty";
    view.setDashboard(empty);
    QVERIFY(view.panels().empty());
    bool hint = false;
    for (auto *l : view.findChildren<QLabel *>())
        hint = hint || (l->isVisibleTo(&view) && l->text().contains(QStringLiteral("no panels")));
    QVERIFY(hint);
}

void TstDashboardView::timeRangeBar()
{
    TimeRangeBar bar;
    QSignalSpy spy(&bar, &TimeRangeBar::rangeChanged);
    QVERIFY(bar.live());
    QCOMPARE(bar.range(kEnd), std::make_pair(kEnd - 300'000, kEnd));
    bar.select(4); // 24h
    QCOMPARE(bar.range(kEnd).first, kEnd - 86'400'000);
    bar.setCustomRange(kStart, kStart + 60'000);
    QVERIFY(bar.custom() && !bar.live());
    QCOMPARE(bar.range(kEnd), std::make_pair(kStart, kStart + 60'000));
    bar.setCompareIndex(2);
    QCOMPARE(bar.compareOffsetMs(), std::int64_t(7 * 86'400'000LL));
    bar.select(0);
    QVERIFY(bar.live() && !bar.custom());
    QCOMPARE(spy.count(), 4);
    // pulseboard --range SPAN picks a span by its label.
    QCOMPARE(TimeRangeBar::spanIndex(QStringLiteral("24h")), 4);
    QCOMPARE(TimeRangeBar::spanIndex(QStringLiteral("live")), 0);
    bar.select(TimeRangeBar::spanIndex(QStringLiteral("30d")));
    QCOMPARE(bar.range(kEnd).first, kEnd - 30 * 86'400'000LL);
    QCOMPARE(TimeRangeBar::spanIndex(QStringLiteral("2d")), -1);
    QCOMPARE(TimeRangeBar::spanLabels(), QStringLiteral("Live, 5m, 15m, 1h, 6h, 24h, 7d, 30d"));
}

void TstDashboardView::burstsAreDrawnOnePanelPerTurn()
{
    QTRY_COMPARE(m_view->pendingCount(), 0); // init's answers are drawn
    m_view->flushPending();                   // and the burst is over (its pacer stopped)
    PanelData first = data(0);
    first.series.resize(1);
    PanelData stale = data(1);
    stale.series.resize(1);
    m_view->applyData(first);
    QCOMPARE(m_view->panels()[0]->seriesCount(), 1); // the first of a burst is drawn at once
    m_view->applyData(stale);
    m_view->applyData(data(1)); // replaces the waiting one
    QCOMPARE(m_view->pendingCount(), 1);
    QCOMPARE(m_view->panels()[1]->seriesCount(), 2); // still the old drawing
    QTRY_COMPARE(m_view->pendingCount(), 0);
    QCOMPARE(m_view->panels()[1]->seriesCount(), 2);
    QCOMPARE(m_view->panels()[1]->data().series.size(), std::size_t{2});
    m_view->applyData(data(0));
    m_view->applyData(first);
    m_view->flushPending();
    QCOMPARE(m_view->pendingCount(), 0);
    QCOMPARE(m_view->panels()[0]->seriesCount(), 1);
}

QTEST_MAIN(TstDashboardView)
#include "tst_dashboard_view.moc"
