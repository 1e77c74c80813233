// MainWindow driven through its real widgets: queries follow the range and the open dashboard,
// stale answers are dropped, drill-down opens a target's own charts, CSV export is formula-safe,
// and hostile names show literally.
#include "app/pulseboard/main_window.h"
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "core/logs/log_store.h"
#include "storage/sample_writer.h"
#include "core/config/config_loader.h"
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/log_model.h"
#include "widgets/log_view.h"
#include "widgets/service_list_model.h"
#include "widgets/time_range_bar.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTreeView>

using namespace pulse;

namespace {

constexpr const char *kConfig = R"(targets:
  - {name: api, kind: prometheus, url: http://127.0.0.1:9/metrics}
  - {name: "<img src=x onerror=alert(1)>", kind: prometheus, url: http://127.0.0.1:9/metrics}
  - {name: api-log, kind: log, path: /nonexistent/api.log, format: json_lines}
dashboards:
  - name: Overview
    panels:
      - {title: Requests, expr: 'sum(rate(http_requests_total[1m]))', unit: req/s}
      - {title: Up, expr: up}
)";

} // namespace

class TstMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void refreshAsksForEveryVisiblePanel();
    void rangeChangeRequeries();
    void staleAnswersAreDropped();
    void liveTicksWaitForSlowPanels();
    void drillDownOpensTargetDashboard();
    void tabsAreKnownByIdentityNotTitle();
    void statusUpdatesServiceList();
    void hostileTargetNameShowsLiterally();
    void exportIsFormulaSafe();
    void chartClickShowsThatMomentsLogs();
    void aClickAfterARestartFindsYesterdaysStoredLogs();

private:
    Config m_config;
    std::unique_ptr<MainWindow> m_window;
};

void TstMainWindow::initTestCase()
{
    registerMetaTypes();
    QStandardPaths::setTestModeEnabled(true); // QSettings and saves go to a test location
    auto cfg = loadConfig(kConfig, "test.yaml");
    QVERIFY(cfg.has_value());
    m_config = *cfg;
}

void TstMainWindow::init()
{
    m_window = std::make_unique<MainWindow>(m_config);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TstMainWindow::cleanup()
{
    m_window.reset();
}

void TstMainWindow::refreshAsksForEveryVisiblePanel()
{
    QSignalSpy spy(m_window.get(), &MainWindow::queryRequested);
    m_window->refresh();
    QCOMPARE(spy.count(), 2);
    const auto a = spy.at(0).at(0).value<QueryRequest>();
    const auto b = spy.at(1).at(0).value<QueryRequest>();
    QCOMPARE(a.exprs, QStringList{QStringLiteral("sum(rate(http_requests_total[1m]))")});
    QCOMPARE(b.exprs, QStringList{QStringLiteral("up")});
    QCOMPARE(a.generation, b.generation);
    QCOMPARE(a.endMs - a.startMs, std::int64_t(5 * 60 * 1000)); // Live = last 5 minutes
    QVERIFY(a.stepMs >= 1000);
}

void TstMainWindow::rangeChangeRequeries()
{
    QSignalSpy spy(m_window.get(), &MainWindow::queryRequested);
    m_window->timeRangeBar()->setCustomRange(1'800'000'000'000, 1'800'003'600'000);
    QCOMPARE(spy.count(), 2);
    const auto req = spy.at(0).at(0).value<QueryRequest>();
    QCOMPARE(req.startMs, std::int64_t(1'800'000'000'000));
    QCOMPARE(req.endMs, std::int64_t(1'800'003'600'000));
    m_window->timeRangeBar()->setCompareIndex(1);
    QCOMPARE(spy.last().at(0).value<QueryRequest>().compareOffsetMs, std::int64_t(86'400'000));
}

void TstMainWindow::staleAnswersAreDropped()
{
    QSignalSpy spy(m_window.get(), &MainWindow::queryRequested);
    m_window->refresh();
    const auto old = spy.at(0).at(0).value<QueryRequest>();
    m_window->refresh();
    const auto current = spy.last().at(0).value<QueryRequest>();
    PanelData stale;
    stale.panelIndex = 0;
    stale.generation = old.generation;
    stale.startMs = old.startMs;
    stale.endMs = old.endMs;
    stale.series.push_back(PlotSeries{QStringLiteral("stale"), {{double(old.startMs), 1}}, false});
    m_window->onAnswer(stale);
    auto *panel = m_window->currentDashboard()->panels().front();
    QCOMPARE(panel->seriesCount(), 0);
    PanelData fresh = stale;
    fresh.generation = current.generation;
    m_window->onAnswer(fresh);
    QCOMPARE(panel->seriesCount(), 1);
}

void TstMainWindow::liveTicksWaitForSlowPanels()
{
    // A panel whose query takes longer than the one-second tick is not asked again until it is
    // answered, and its answer (same generation) is drawn: asking every tick used to queue requests
    // without end and drop every answer as a generation late.
    QSignalSpy spy(m_window.get(), &MainWindow::queryRequested);
    m_window->refresh();
    QCOMPARE(spy.count(), 2);
    const auto first = spy.at(0).at(0).value<QueryRequest>();
    for (int i = 0; i < 5; ++i)
        m_window->tick();
    QCOMPARE(spy.count(), 2); // both still being answered
    PanelData answer;
    answer.panelIndex = first.panelIndex;
    answer.generation = first.generation;
    answer.startMs = first.startMs;
    answer.endMs = first.endMs;
    answer.series.push_back(PlotSeries{QStringLiteral("slow"), {{double(first.startMs), 1}}, false});
    m_window->onAnswer(answer);
    QCOMPARE(m_window->currentDashboard()->panels().front()->seriesCount(), 1);
    m_window->tick();
    QCOMPARE(spy.count(), 2); // answered less than a step (here 1 s) ago: not asked again yet
    m_window->refresh();      // a new view asks every visible panel, answered or not
    QCOMPARE(spy.count(), 4);
    QVERIFY(spy.last().at(0).value<QueryRequest>().generation > first.generation);
}

void TstMainWindow::drillDownOpensTargetDashboard()
{
    const int before = m_window->tabs()->count();
    auto *view = m_window->serviceView();
    emit view->activated(view->model()->index(0, 0));
    QCOMPARE(m_window->tabs()->count(), before + 1);
    QCOMPARE(m_window->tabs()->tabText(m_window->tabs()->currentIndex()), QStringLiteral("Target: api"));
    auto *dashboard = m_window->currentDashboard();
    QVERIFY(dashboard);
    QVERIFY(!dashboard->panels().empty());
    QCOMPARE(dashboard->panels().front()->expr(), QStringLiteral("up{job=\"api\"}"));
    emit view->activated(view->model()->index(0, 0)); // second time: the same tab, not a new one
    QCOMPARE(m_window->tabs()->count(), before + 1);
}

void TstMainWindow::tabsAreKnownByIdentityNotTitle()
{
    // A configured dashboard may carry the title a target's own tab gets: neither is taken for the other.
    auto cfg = loadConfig(R"(targets:
  - {name: api, kind: prometheus, url: http://127.0.0.1:9/metrics}
dashboards:
  - name: "Target: api"
    panels:
      - {title: Latency, expr: 'histogram_quantile(0.99, rate(latency_bucket[5m]))'}
)",
                          "tabs.yaml");
    QVERIFY(cfg);
    MainWindow window(*cfg);
    QCOMPARE(window.tabs()->count(), 1);
    window.openTarget(QStringLiteral("api"));
    QCOMPARE(window.tabs()->count(), 2);
    QCOMPARE(window.tabs()->currentIndex(), 1);
    QCOMPARE(window.currentDashboard()->panels().front()->expr(), QStringLiteral("up{job=\"api\"}"));
    window.tabs()->setCurrentIndex(0);
    window.openTarget(QStringLiteral("api")); // the target's tab again, not the look-alike dashboard
    QCOMPARE(window.tabs()->count(), 2);
    QCOMPARE(window.tabs()->currentIndex(), 1);
}

void TstMainWindow::statusUpdatesServiceList()
{
    TargetStatus s;
    s.name = "api";
    s.health = TargetHealth::Up;
    m_window->onStatus(s);
    QCOMPARE(m_window->serviceModel()->upCount(), 1);
}

void TstMainWindow::hostileTargetNameShowsLiterally()
{
    const QString hostile = QStringLiteral("<img src=x onerror=alert(1)>");
    auto *model = m_window->serviceModel();
    QCOMPARE(model->data(model->index(1, 0), Qt::DisplayRole).toString(), hostile);
    QTextDocument doc;
    doc.setHtml(model->data(model->index(1, 0), Qt::ToolTipRole).toString());
    QVERIFY(doc.toPlainText().contains(hostile));
    m_window->openTarget(hostile);
    QCOMPARE(m_window->tabs()->tabText(m_window->tabs()->currentIndex()), QStringLiteral("Target: ") + hostile);
    QCOMPARE(m_window->currentDashboard()->panels().front()->expr(),
             QStringLiteral("up{job=\"<img src=x onerror=alert(1)>\"}"));
}

void TstMainWindow::exportIsFormulaSafe()
{
    QSignalSpy spy(m_window.get(), &MainWindow::queryRequested);
    m_window->refresh();
    PanelData d;
    d.panelIndex = 0;
    d.generation = spy.last().at(0).value<QueryRequest>().generation;
    d.startMs = 1'800'000'000'000;
    d.endMs = d.startMs + 60'000;
    d.series.push_back(PlotSeries{QStringLiteral("{route=\"=HYPERLINK(\\\"x\\\")\"}"), {{double(d.startMs), 2.5}}, false});
    m_window->onAnswer(d);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.csv"));
    m_window->exportCsv(path);
    QTRY_VERIFY(QFile::exists(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray csv = f.readAll();
    QVERIFY(csv.startsWith("panel,series,time,unix_ms,value\r\n"));
    QVERIFY2(csv.contains("Requests,"), csv.constData());
    QVERIFY2(csv.contains(",2.5\r\n"), csv.constData());
    QVERIFY2(csv.contains("1800000000000"), csv.constData());
    QVERIFY2(!csv.contains(",=") && !csv.contains(",\"="), csv.constData()); // no cell starts a formula
}

void TstMainWindow::chartClickShowsThatMomentsLogs()
{
    m_window->openTarget(QStringLiteral("api"));
    QSignalSpy spy(m_window.get(), &MainWindow::logQueryRequested);
    auto *dashboard = m_window->currentDashboard();
    const std::int64_t t = 1'800'000'000'000;
    emit dashboard->pointClicked(0, t);
    QVERIFY(spy.count() >= 1);
    const auto q = spy.last().at(0).value<LogQuery>();
    QCOMPARE(q.targets, std::vector<std::string>{"api-log"});
    QVERIFY(q.fromMs <= t - 60'000 + 1 && q.toMs >= t + 60'000);
    LogQueryAnswer answer;
    answer.generation = q.generation;
    LogRecord r;
    r.target = "api-log";
    r.timestampMs = t;
    r.message = "<b>boom</b>";
    r.raw = r.message;
    answer.records.push_back(r);
    m_window->onLogs(answer);
    QCOMPARE(m_window->logView()->model()->rowCount(), 1);
}

void TstMainWindow::aClickAfterARestartFindsYesterdaysStoredLogs()
{
    // Yesterday's lines were stored by an earlier run; this run's memory holds nothing. A click on a
    // chart at that moment asks the query thread, which answers from the history file.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("h.db"));
    const std::int64_t t = QDateTime::currentMSecsSinceEpoch() - 86'400'000;
    {
        auto writer = storage::SampleWriter::open(path.toStdString());
        QVERIFY(writer);
        LogBatch batch;
        for (int i = -3; i <= 3; ++i) { // 40 s apart: ±60 s around t holds the middle three
            LogRecord r;
            r.target = "api-log";
            r.file = "/nonexistent/api.log";
            r.timestampMs = t + i * 40'000;
            r.level = LogLevel::Error;
            r.raw = r.message = "yesterday " + std::to_string(i);
            batch.records.push_back(r);
        }
        LogRecord other = batch.records.front();
        other.target = "other-log";
        other.timestampMs = t;
        batch.records.push_back(other);
        (*writer)->append(std::move(batch));
        QVERIFY((*writer)->flush());
    }
    LogStore memory; // the restarted app's: empty
    QueryService queries(3600 * 1000, memory);
    queries.openStore(path, 0, 0, 0);
    queries.waitForStore();

    m_window->openTarget(QStringLiteral("api"));
    QSignalSpy asked(m_window.get(), &MainWindow::logQueryRequested);
    emit m_window->currentDashboard()->pointClicked(0, t);
    QVERIFY(asked.count() >= 1);
    QSignalSpy answered(&queries, &QueryService::logsAnswered);
    queries.queryLogs(asked.last().at(0).value<LogQuery>());
    QCOMPARE(answered.count(), 1);
    const auto answer = answered.first().first().value<LogQueryAnswer>();
    QVERIFY2(answer.error.empty(), answer.error.c_str());
    std::vector<std::string> raws;
    for (const auto &r : answer.records)
        raws.push_back(r.raw);
    QCOMPARE(raws, (std::vector<std::string>{"yesterday -1", "yesterday 0", "yesterday 1"}));
    m_window->onLogs(answer);
    QCOMPARE(m_window->logView()->model()->rowCount(), 3);
    queries.closeStore();
}

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
