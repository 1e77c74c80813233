// ChartPanel: decimation before QtCharts, axes follow the data, untrusted names show literally.
#include "widgets/chart_panel.h"

#include <QAreaSeries>
#include <QChart>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTest>
#include <QTextDocument>

#include <cmath>

using namespace pulse;

class TstChartPanel : public QObject {
    Q_OBJECT
private slots:
    void decimatesLargeSeries();
    void keepsSmallSeriesExact();
    void hostileLabelValuesShowLiterally_data();
    void hostileLabelValuesShowLiterally();
    void errorsArePlainText();
    void seriesCountFollowsData();
    void areaPanelStacks();
    void statPanelShowsLatestValueAndThresholdColour();
};

namespace {

PanelData ramp(int points, QString name = QStringLiteral("{job=\"api\"}"))
{
    PanelData d;
    d.startMs = 1'700'000'000'000;
    d.endMs = d.startMs + points * 1000LL;
    PlotSeries s;
    s.name = std::move(name);
    for (int i = 0; i < points; ++i)
        s.points.push_back(Point{static_cast<double>(d.startMs + i * 1000LL), std::sin(i / 100.0) * 100});
    d.series.push_back(std::move(s));
    return d;
}

} // namespace

void TstChartPanel::decimatesLargeSeries()
{
    ChartPanel panel(QStringLiteral("Load"), QStringList{QStringLiteral("up")}, QStringLiteral("req/s"));
    panel.resize(800, 300);
    panel.show();
    panel.setData(ramp(1'000'000));
    QCOMPARE(panel.seriesCount(), 1);
    QVERIFY(panel.pointCount(0) > 100);
    QVERIFY2(panel.pointCount(0) <= 4 * 800, qPrintable(QString::number(panel.pointCount(0))));
}

void TstChartPanel::keepsSmallSeriesExact()
{
    ChartPanel panel(QStringLiteral("Load"), QStringList{QStringLiteral("up")}, QString());
    panel.resize(800, 300);
    panel.setData(ramp(50));
    QCOMPARE(panel.pointCount(0), qsizetype(50));
}

void TstChartPanel::hostileLabelValuesShowLiterally_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("img") << QStringLiteral("{route=\"<img src=x onerror=alert(1)>\"}");
    QTest::newRow("bold") << QStringLiteral("{route=\"<b>bold</b>\"}");
    QTest::newRow("entity") << QStringLiteral("{route=\"&amp; &lt;\"}");
}

void TstChartPanel::hostileLabelValuesShowLiterally()
{
    QFETCH(QString, name);
    ChartPanel panel(name, QStringList{QStringLiteral("up")}, name);
    panel.setData(ramp(10, name));
    // QtCharts renders legend labels as HTML; what a user reads is the HTML rendered to text.
    const auto markers = panel.chart()->legend()->markers();
    QCOMPARE(markers.size(), qsizetype(1));
    QTextDocument doc;
    doc.setHtml(markers.first()->label());
    QCOMPARE(doc.toPlainText(), name);
    // The title label is plain text.
    const auto labels = panel.findChildren<QLabel *>();
    bool titleSeen = false;
    for (auto *l : labels) {
        if (l->text() == name) {
            QCOMPARE(l->textFormat(), Qt::PlainText);
            titleSeen = true;
        }
    }
    QVERIFY(titleSeen);
}

void TstChartPanel::errorsArePlainText()
{
    ChartPanel panel(QStringLiteral("x"), QStringList{QStringLiteral("up")}, QString());
    PanelData d = ramp(5);
    d.error = QStringLiteral("col 3: unexpected <b>token</b>");
    panel.setData(d);
    panel.show();
    QCOMPARE(panel.errorText(), d.error);
    for (auto *l : panel.findChildren<QLabel *>())
        QCOMPARE(l->textFormat(), Qt::PlainText);
}

void TstChartPanel::seriesCountFollowsData()
{
    ChartPanel panel(QStringLiteral("x"), QStringList{QStringLiteral("up")}, QString());
    PanelData d = ramp(20);
    d.series.push_back(d.series.front());
    d.series.push_back(d.series.front());
    panel.setData(d);
    QCOMPARE(panel.seriesCount(), 3);
    panel.setData(ramp(20));
    QCOMPARE(panel.seriesCount(), 1);
}

void TstChartPanel::areaPanelStacks()
{
    ChartPanel panel(QStringLiteral("x"), QStringList{QStringLiteral("up")}, QString(), nullptr, PanelKind::Area);
    PanelData d = ramp(20);
    d.series.push_back(d.series.front());
    panel.setData(d);
    QCOMPARE(panel.seriesCount(), 2);
    auto *top = qobject_cast<QAreaSeries *>(panel.chart()->series().at(1));
    QVERIFY(top);
    // The second area sits on the first: its lower edge is the first series' values.
    QCOMPARE(top->lowerSeries()->at(5).y(), d.series[0].points[5].y);
    QCOMPARE(top->upperSeries()->at(5).y(), 2 * d.series[0].points[5].y);
}

void TstChartPanel::statPanelShowsLatestValueAndThresholdColour()
{
    std::vector<Threshold> thresholds{{0.1, "orange"}, {0.5, "#ff0000"}};
    ChartPanel panel(QStringLiteral("p95"), QStringList{QStringLiteral("x")}, QStringLiteral("s"), nullptr,
                     PanelKind::Stat, thresholds);
    PanelData d = ramp(3);
    d.series.front().points.back().y = 0.25;
    panel.setData(d);
    QCOMPARE(panel.statText(), QStringLiteral("250 ms"));
    const auto labels = panel.findChildren<QLabel *>();
    bool orange = false;
    for (auto *l : labels)
        orange = orange || (l->text() == panel.statText() && l->styleSheet().contains(QColor(QStringLiteral("orange")).name()));
    QVERIFY(orange);
}

QTEST_MAIN(TstChartPanel)
#include "tst_chart_panel.moc"
