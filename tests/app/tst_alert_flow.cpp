// Alerting end to end in the app: rules evaluate over the live history on the query side, the
// ALERTS series they write come back as firing bands on charts, silences and acknowledgements
// persist, and the main window shows the alerts dock, threshold lines and drill-down.
// Time comes from a ManualClock and evaluations are called directly, so nothing sleeps.
#include "app/pulseboard/alert_links.h"
#include "app/pulseboard/main_window.h"
#include "app/services/alert_service.h"
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "core/config/config_loader.h"
#include "core/logs/log_store.h"
#include "core/promql/engine.h"
#include "widgets/alert_notifier.h"
#include "widgets/alert_table_model.h"
#include "widgets/alerts_panel.h"
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/log_view.h"
#include "widgets/time_range_bar.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace pulse;

namespace {

constexpr std::int64_t kT0 = 1'750'000'000'000;

constexpr const char *kConfig = R"(targets:
  - {name: api, kind: prometheus, url: http://127.0.0.1:9/metrics, interval: 5s}
  - {name: api-log, kind: log, path: /nonexistent/api.log, format: json_lines}
alerts:
  - name: ApiDown
    expr: up{job="api"} == 0
    for: 10s
    severity: critical
    annotations: {summary: '{{ $labels.job }} is down'}
  - name: SlowScrapes
    expr: 'scrape_duration_seconds > 0.5'
    severity: warning
dashboards:
  - name: Overview
    panels:
      - {title: Up, expr: 'up'}
      - {title: Scrape time, expr: 'scrape_duration_seconds', unit: s}
      - {title: Unrelated, expr: 'process_open_fds'}
)";

MetricBatch upBatch(std::int64_t t, double up)
{
    MetricBatch b;
    b.target = "api";
    b.samples.push_back({"up", Labels{{"job", "api"}, {"instance", "127.0.0.1:9"}}, t, up});
    return b;
}

/// World is the query side of the app as main() wires it: a log store, a query service, a manual clock
/// and an alert service over them, with a spy on its snapshots.
struct World {
    explicit World(const Config &config) : alerts(queries, config.alerts, clock) {}
    AlertSnapshot last() const { return updates.last().first().value<AlertSnapshot>(); }

    LogStore logs;
    QueryService queries{3600 * 1000, logs};
    ManualClock clock{kT0};
    AlertService alerts;
    QSignalSpy updates{&alerts, &AlertService::updated};
};

} // namespace

class TstAlertFlow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void firesResolvesAndWritesAlertsSeries();
    void silencesAndAcksPersist();
    void unreadableSilencesFileIsNotOverwritten();
    void badSilenceIsRejected();
    void panelsGetLinesAndBands();
    void windowShowsAlertsAndDrillsDown();
    void trayShowsTheWorstFiringSeverity();
    void hostileLabelsShowLiterally();
    void notifiesFiringAndResolvedOnly();
    void statusBarShowsNotificationTrouble();
    void recordingRulesWriteSeries();
    void recordingRuleGroupsKeepTheirInterval();
    void lateEvaluationsStayOnTheGrid();

private:
    Config m_config;
};

void TstAlertFlow::initTestCase()
{
    registerMetaTypes();
    QStandardPaths::setTestModeEnabled(true);
    auto cfg = loadConfig(kConfig, "alerts.yaml");
    QVERIFY2(cfg.has_value(), cfg ? "" : formatDiagnostic(cfg.error().front()).c_str());
    m_config = *cfg;
}

void TstAlertFlow::firesResolvesAndWritesAlertsSeries()
{
    World w(m_config);
    auto &[logs, queries, clock, alerts, updates] = w;
    alerts.start(0, QString());
    QCOMPARE(updates.count(), 1); // the empty first snapshot

    for (std::int64_t s = 0; s <= 60; s += 5) {
        clock.set(kT0 + s * 1000);
        queries.ingest(upBatch(clock.nowMs(), s >= 10 && s < 40 ? 0 : 1));
        alerts.evaluate();
    }
    // Firing from 20 s (down at 10 s + for 10 s), resolved at 40 s.
    const auto last = updates.last().first().value<AlertSnapshot>();
    QCOMPARE(last.alerts.size(), std::size_t{1});
    QCOMPARE(last.alerts.front().state, AlertState::Inactive);
    QCOMPARE(last.alerts.front().firedAtMs, kT0 + 20'000);
    QCOMPARE(last.alerts.front().resolvedAtMs, kT0 + 40'000);
    QCOMPARE(last.health.size(), std::size_t{2});
    QVERIFY(last.health[0].error.empty());

    // The ALERTS series went into the history: bands come back with the panel's answer.
    QSignalSpy answers(&queries, &QueryService::answered);
    QueryRequest req;
    req.panelIndex = 0;
    req.exprs = {QStringLiteral("up")};
    req.startMs = kT0;
    req.endMs = kT0 + 60'000;
    req.stepMs = 5000;
    req.bandSelector = QStringLiteral("ALERTS{alertstate=\"firing\",alertname=~\"ApiDown\"}");
    queries.query(req);
    QCOMPARE(answers.count(), 1);
    const auto data = answers.first().first().value<PanelData>();
    QCOMPARE(data.bands.size(), std::size_t{1});
    QCOMPARE(data.bands.front().startMs, kT0 + 20'000);
    QCOMPARE(data.bands.front().endMs, kT0 + 40'000); // last firing point 35 s + one step
    QCOMPARE(data.bands.front().alertName, QStringLiteral("ApiDown"));
    QCOMPARE(data.bands.front().severity, QStringLiteral("critical"));
}

void TstAlertFlow::silencesAndAcksPersist()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("silences.json"));
    LogStore logs;
    QueryService queries(3600 * 1000, logs);
    ManualClock clock(kT0);
    QString key;
    {
        AlertService alerts(queries, m_config.alerts, clock);
        QSignalSpy updates(&alerts, &AlertService::updated);
        alerts.start(0, path);
        queries.ingest(upBatch(kT0 - 20'000, 0));
        queries.ingest(upBatch(kT0, 0));
        alerts.evaluate();
        key = QString::fromStdString(updates.last().first().value<AlertSnapshot>().alerts.front().key());
        alerts.setAcknowledged(key, true);
        alerts.addSilence(QStringLiteral("alertname=\"ApiDown\""), 3600 * 1000, QStringLiteral("deploying"));
        const auto snap = updates.last().first().value<AlertSnapshot>();
        QVERIFY(snap.alerts.front().acknowledged);
        QCOMPARE(snap.alerts.front().silencedBy, std::uint64_t{1});
        QCOMPARE(snap.silences.size(), std::size_t{1});
        QCOMPARE(snap.silences.front().comment, std::string("deploying"));
    }
    QVERIFY(QFile::exists(path));
    AlertService again(queries, m_config.alerts, clock);
    QSignalSpy updates(&again, &AlertService::updated);
    again.start(0, path);
    clock.advance(5000);
    queries.ingest(upBatch(clock.nowMs(), 0));
    again.evaluate();
    const auto snap = updates.last().first().value<AlertSnapshot>();
    QVERIFY(snap.error.isEmpty());
    QCOMPARE(snap.alerts.size(), std::size_t{1});
    QVERIFY(snap.alerts.front().acknowledged);
    QCOMPARE(snap.alerts.front().silencedBy, std::uint64_t{1});
    again.expireSilence(1);
    QCOMPARE(updates.last().first().value<AlertSnapshot>().alerts.front().silencedBy, std::uint64_t{0});
}

void TstAlertFlow::unreadableSilencesFileIsNotOverwritten()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("silences.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"version\": 1, \"silences\": [ oops");
    file.close();
    World w(m_config);
    w.alerts.start(0, path);
    const auto snap = w.last();
    QVERIFY2(snap.error.startsWith(path + QStringLiteral(": offset")), qPrintable(snap.error));
    w.alerts.addSilence(QStringLiteral("alertname=\"ApiDown\""), 60'000, {});
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("{\"version\": 1, \"silences\": [ oops"));
}

void TstAlertFlow::badSilenceIsRejected()
{
    World w(m_config);
    auto &alerts = w.alerts;
    QSignalSpy rejected(&alerts, &AlertService::silenceRejected);
    alerts.start(0, QString());
    alerts.addSilence(QStringLiteral("job=~\".*\""), 60'000, {}); // would mute everything
    QCOMPARE(rejected.count(), 1);
    alerts.addSilence(QStringLiteral("job=\"api\""), 0, {});
    QCOMPARE(rejected.count(), 2);
}

void TstAlertFlow::panelsGetLinesAndBands()
{
    const AlertLinks links(m_config.alerts);
    const auto &panels = m_config.dashboards.front().panels;
    const auto up = links.forPanel(panels[0]);
    QVERIFY(up.lines.empty()); // `up{job="api"} == 0` compares a different expression than `up`
    QCOMPARE(up.bandSelector, QStringLiteral("ALERTS{alertstate=\"firing\",alertname=~\"ApiDown\"}"));
    const auto scrape = links.forPanel(panels[1]);
    QCOMPARE(scrape.lines.size(), std::size_t{1});
    QCOMPARE(scrape.lines.front().value, 0.5);
    QCOMPARE(scrape.lines.front().label, QStringLiteral("SlowScrapes > 0.5"));
    QCOMPARE(scrape.bandSelector, QStringLiteral("ALERTS{alertstate=\"firing\",alertname=~\"SlowScrapes\"}"));
    QVERIFY(links.forPanel(panels[2]).bandSelector.isEmpty());
    const auto target = links.forTarget(panels[2], "a\"pi");
    QCOMPARE(target.bandSelector, QStringLiteral("ALERTS{alertstate=\"firing\",job=\"a\\\"pi\"}"));
    QCOMPARE(normalizedExpr("rate(x{a=\" b \"}[5m]) >\t1"), std::string("rate(x{a=\" b \"}[5m])>1"));
}

void TstAlertFlow::windowShowsAlertsAndDrillsDown()
{
    MainWindow window(m_config);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *panel = window.currentDashboard()->panels()[1];
    QCOMPARE(panel->annotations()->lines().size(), std::size_t{1});
    QVERIFY(!panel->bandSelector().isEmpty());

    // A chart answer with a band shades it; the threshold line stays on the value axis.
    QSignalSpy requests(&window, &MainWindow::queryRequested);
    window.refresh();
    QVERIFY(requests.count() >= 2);
    const auto req = requests.at(1).first().value<QueryRequest>();
    QCOMPARE(req.bandSelector, panel->bandSelector());
    PanelData data;
    data.panelIndex = 1;
    data.generation = req.generation;
    data.startMs = req.startMs;
    data.endMs = req.endMs;
    data.series.push_back(
        {QStringLiteral("{job=\"api\"}"), {{double(req.startMs), 0.1}, {double(req.endMs), 0.2}}, false});
    const std::int64_t mid = (req.startMs + req.endMs) / 2;
    data.bands.push_back(
        {mid - 60'000, mid + 60'000, QStringLiteral("SlowScrapes"), QStringLiteral("warning"), QStringLiteral("api")});
    window.onAnswer(data);
    window.currentDashboard()->flushPending();
    QCOMPARE(panel->annotations()->visibleBandCount(), 1);
    QCOMPARE(panel->annotations()->visibleLineCount(), 1);
    QVERIFY(panel->annotations()->bandAt(mid) != nullptr);

    // A click on the band opens the logs of the alert's target at that moment; elsewhere, every log.
    QSignalSpy logQueries(&window, &MainWindow::logQueryRequested);
    emit window.currentDashboard()->pointClicked(1, mid);
    QCOMPARE(logQueries.last().at(0).value<LogQuery>().targets, std::vector<std::string>{"api-log"});
    emit window.currentDashboard()->pointClicked(1, req.startMs);
    QVERIFY(logQueries.last().at(0).value<LogQuery>().targets.empty());

    AlertSnapshot snap;
    snap.atMs = kT0 + 120'000;
    Alert alert;
    alert.rule = "ApiDown";
    alert.severity = "critical";
    alert.labels = Labels{{"alertname", "ApiDown"}, {"job", "api"}, {"severity", "critical"}};
    alert.state = AlertState::Firing;
    alert.activeAtMs = kT0;
    alert.firedAtMs = kT0 + 10'000;
    alert.annotations = {{"summary", "api is down"}};
    snap.alerts.push_back(alert);
    window.onAlerts(snap);
    auto *alerts = window.alertsPanel();
    QCOMPARE(alerts->model()->rowCount(), 1);
    QCOMPARE(alerts->model()->index(0, AlertTableModel::StateColumn).data().toString(), QStringLiteral("firing"));
    QCOMPARE(alerts->model()->index(0, AlertTableModel::SummaryColumn).data().toString(),
             QStringLiteral("api is down"));
    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("alertStatus"))->text(), QStringLiteral("alerts: 1 firing"));

    // Acknowledge asks the alert service; the next snapshot shows it.
    alerts->view()->selectRow(0);
    QSignalSpy acks(alerts, &AlertsPanel::acknowledgeRequested);
    alerts->toggleAcknowledge();
    QCOMPARE(acks.count(), 1);
    QCOMPARE(acks.first().at(0).toString(), QString::fromStdString(alert.key()));
    QCOMPARE(acks.first().at(1).toBool(), true);

    // Silence: the dialog comes prefilled with the alert's identity.
    QSignalSpy silences(alerts, &AlertsPanel::silenceRequested);
    alerts->setDialogRunner([](QDialog &) { return true; });
    alerts->openSilenceDialog();
    QCOMPARE(silences.count(), 1);
    QCOMPARE(silences.first().at(0).toString(), QStringLiteral("{alertname=\"ApiDown\", job=\"api\"}"));
    QCOMPARE(silences.first().at(1).toLongLong(), qint64{3600 * 1000});

    // Drill-down: the target's own dashboard over the alert's time, and its logs at that moment.
    alerts->drillDown();
    QCOMPARE(window.tabs()->tabText(window.tabs()->currentIndex()), QStringLiteral("Target: api"));
    QVERIFY(!window.timeRangeBar()->live());
    const auto [start, end] = window.timeRangeBar()->range(kT0 + 200'000);
    QCOMPARE(start, kT0 - 15 * 60'000);
    // Still firing: up to the evaluation's now, never past it (issue #17, item 5: a range ending in the
    // future drew rate panels dropping to zero at now, as if traffic had stopped).
    QCOMPARE(end, kT0 + 120'000);
    auto *target = window.currentDashboard();
    QCOMPARE(QString::fromStdString(target->dashboard().panels.back().exprs.front()),
             QStringLiteral("ALERTS{job=\"api\"}"));
    QCOMPARE(target->panels().front()->bandSelector(), QStringLiteral("ALERTS{alertstate=\"firing\",job=\"api\"}"));

    // A click on the alert's desktop notification opens the same drill-down, from any tab.
    window.tabs()->setCurrentIndex(0);
    window.timeRangeBar()->select(0); // a live range again
    QVERIFY(window.timeRangeBar()->live());
    auto *notifier = window.findChild<AlertNotifier *>();
    QVERIFY(notifier);
    QCOMPARE(notifier->level(), TrayLevel::Critical); // the snapshot above: ApiDown, critical, firing
    AlertSnapshot fired = snap;
    fired.transitions.push_back({alert, AlertState::Pending, kT0 + 10'000});
    window.onAlerts(fired);
    QSignalSpy drills(notifier, &AlertNotifier::drillDownRequested);
    notifier->messageClicked();
    QCOMPARE(drills.count(), 1);
    QCOMPARE(window.tabs()->tabText(window.tabs()->currentIndex()), QStringLiteral("Target: api"));
    QVERIFY(!window.timeRangeBar()->live());
    const auto [clickStart, clickEnd] = window.timeRangeBar()->range(kT0 + 200'000);
    QCOMPARE(clickStart, kT0 - 15 * 60'000);
    QCOMPARE(clickEnd, kT0 + 120'000);
}

void TstAlertFlow::trayShowsTheWorstFiringSeverity()
{
    // Green with nothing firing, amber for a warning, red for critical (or page); pending and
    // silenced alerts do not count. Each level's icon is a different colour.
    const auto alertOf = [](std::string severity, AlertState state, std::uint64_t silencedBy) {
        Alert a;
        a.rule = "R";
        a.severity = std::move(severity);
        a.state = state;
        a.silencedBy = silencedBy;
        return a;
    };
    QCOMPARE(AlertNotifier::trayLevel({}), TrayLevel::Ok);
    QCOMPARE(AlertNotifier::trayLevel({alertOf("critical", AlertState::Pending, 0)}), TrayLevel::Ok);
    QCOMPARE(AlertNotifier::trayLevel({alertOf("critical", AlertState::Firing, 7)}), TrayLevel::Ok);
    QCOMPARE(AlertNotifier::trayLevel({alertOf("warning", AlertState::Firing, 0)}), TrayLevel::Warning);
    QCOMPARE(AlertNotifier::trayLevel({alertOf("", AlertState::Firing, 0)}), TrayLevel::Warning);
    QCOMPARE(
        AlertNotifier::trayLevel({alertOf("warning", AlertState::Firing, 0), alertOf("page", AlertState::Firing, 0)}),
        TrayLevel::Critical);
    const auto centre = [](TrayLevel level) {
        return AlertNotifier::trayIcon(level).pixmap(32, 32).toImage().pixelColor(16, 16);
    };
    const QColor ok = centre(TrayLevel::Ok), warning = centre(TrayLevel::Warning),
                 critical = centre(TrayLevel::Critical);
    QVERIFY(ok.green() > ok.red());
    QVERIFY(warning.red() > 200 && warning.green() > 120 && warning.blue() < 100);
    QVERIFY(critical.red() > 180 && critical.green() < 100);
    // A notice about many alerts opens the window, not one of them.
    AlertNotifier notifier;
    std::vector<AlertTransition> storm;
    for (int i = 0; i < 5; ++i)
        storm.push_back({alertOf("warning", AlertState::Firing, 0), AlertState::Pending, 0});
    notifier.notify(storm);
    QSignalSpy window(&notifier, &AlertNotifier::windowRequested);
    QSignalSpy drills(&notifier, &AlertNotifier::drillDownRequested);
    notifier.messageClicked();
    QCOMPARE(window.count(), 1);
    QCOMPARE(drills.count(), 0);
    // Two messages at once: the tray does not say which was clicked, so the window opens.
    Alert withJob = alertOf("warning", AlertState::Firing, 0);
    withJob.labels = Labels{{"job", "api"}};
    notifier.notify({{withJob, AlertState::Pending, 0}, {withJob, AlertState::Pending, 0}});
    notifier.messageClicked();
    QCOMPARE(window.count(), 2);
    QCOMPARE(drills.count(), 0);
    // One message about an alert of a job: its drill-down.
    notifier.notify({{withJob, AlertState::Pending, 0}});
    notifier.messageClicked();
    QCOMPARE(drills.count(), 1);
}

void TstAlertFlow::hostileLabelsShowLiterally()
{
    AlertsPanel panel;
    Alert alert;
    alert.rule = "<b>bold</b>";
    alert.labels = Labels{{"alertname", "<b>bold</b>"}, {"job", "<img src=x onerror=alert(1)>"}};
    alert.state = AlertState::Pending;
    alert.annotations = {{"summary", "<img src=x onerror=alert(1)> & <b>x</b>"}};
    panel.setAlerts({alert}, 1000);
    const auto *model = panel.model();
    QCOMPARE(model->index(0, AlertTableModel::AlertColumn).data().toString(), QStringLiteral("<b>bold</b>"));
    QCOMPARE(model->index(0, AlertTableModel::LabelsColumn).data().toString(),
             QStringLiteral("job=<img src=x onerror=alert(1)>"));
    const QString tip = model->index(0, AlertTableModel::SummaryColumn).data(Qt::ToolTipRole).toString();
    QVERIFY(!tip.contains(QStringLiteral("<img")));
    QVERIFY(tip.contains(QStringLiteral("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;x&lt;/b&gt;")));
    panel.setHealth({RuleHealth{"<b>r</b>", "<i>boom</i>", 1000, 5}});
    QCOMPARE(panel.rulesTable()->item(0, 3)->text(), QStringLiteral("<i>boom</i>"));
}

void TstAlertFlow::notifiesFiringAndResolvedOnly()
{
    const auto transition = [](std::string rule, AlertState from, AlertState to, std::uint64_t silenced = 0) {
        AlertTransition t;
        t.alert.rule = std::move(rule);
        t.alert.severity = "critical";
        t.alert.state = to;
        t.alert.silencedBy = silenced;
        t.alert.annotations = {{"summary", "<b>api</b> is down"}};
        t.from = from;
        return t;
    };
    const auto notices = AlertNotifier::notices({transition("A", AlertState::Inactive, AlertState::Pending),
                                                 transition("B", AlertState::Pending, AlertState::Firing),
                                                 transition("C", AlertState::Pending, AlertState::Firing, 4),
                                                 transition("D", AlertState::Firing, AlertState::Inactive),
                                                 transition("E", AlertState::Pending, AlertState::Inactive)});
    QCOMPARE(notices.size(), std::size_t{2});
    QCOMPARE(notices[0].title, QStringLiteral("FIRING: B"));
    QCOMPARE(notices[0].body, QStringLiteral("<b>api</b> is down"));
    // What the tray hands a freedesktop server, which reads the body as markup: the text, escaped.
    QCOMPARE(AlertNotifier::markupSafe(notices[0].body), QStringLiteral("&lt;b&gt;api&lt;/b&gt; is down"));
    QCOMPARE(AlertNotifier::markupSafe(QStringLiteral("a & <a href=\"x\">y</a>")),
             QStringLiteral("a &amp; &lt;a href=&quot;x&quot;&gt;y&lt;/a&gt;"));
    QVERIFY(notices[0].critical);
    QCOMPARE(notices[1].title, QStringLiteral("RESOLVED: D"));
    std::vector<AlertTransition> storm;
    for (int i = 0; i < 5; ++i)
        storm.push_back(transition("R" + std::to_string(i), AlertState::Pending, AlertState::Firing));
    const auto one = AlertNotifier::notices(storm);
    QCOMPARE(one.size(), std::size_t{1});
    QCOMPARE(one.front().title, QStringLiteral("5 alerts firing, 0 resolved"));

    // The window repeats a notice in its status bar (the offscreen platform has no tray).
    MainWindow window(m_config);
    AlertSnapshot snap;
    snap.transitions = {transition("B", AlertState::Pending, AlertState::Firing)};
    window.onAlerts(snap);
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("FIRING: B — <b>api</b> is down"));
}

void TstAlertFlow::statusBarShowsNotificationTrouble()
{
    MainWindow window(m_config);
    auto *label = window.findChild<QLabel *>(QStringLiteral("notifyStatus"));
    QVERIFY(label);
    QCOMPARE(label->textFormat(), Qt::PlainText);
    NotificationStatus status;
    status.receivers.push_back({"webhook", 3, 0, 0, "", 1000});
    window.onNotificationStatus(status);
    QVERIFY(label->isHidden()); // everything delivered: nothing to say
    status.receivers.front().waiting = 2;
    status.receivers.front().failed = 4;
    status.receivers.front().lastError = "HTTP 503 <b>down</b>";
    window.onNotificationStatus(status);
    QVERIFY(!label->isHidden());
    QCOMPARE(label->text(), QStringLiteral("notifications: 2 waiting (webhook: HTTP 503 <b>down</b>)"));
    QVERIFY(label->toolTip().contains(QStringLiteral("webhook: 3 sent, 4 failed attempts, 2 waiting")));
    QVERIFY(!label->toolTip().contains(QStringLiteral("<b>down</b>"))); // escaped in the rich-text tooltip
    status.receivers.front().waiting = 0;
    status.receivers.front().lastError.clear();
    window.onNotificationStatus(status);
    QVERIFY(label->isHidden());
}

void TstAlertFlow::recordingRulesWriteSeries()
{
    World w(m_config);
    auto &[logs, queries, clock, alerts, updates] = w;
    alerts.setRecordingRules({RecordingRuleConfig{"job:up:sum", "sum by (job) (up)", Labels{{"team", "web"}}},
                              RecordingRuleConfig{"broken", "sum(", {}}});
    alerts.start(0, QString());
    for (std::int64_t s = 0; s <= 20; s += 5) {
        clock.set(kT0 + s * 1000);
        queries.ingest(upBatch(clock.nowMs(), 1));
        alerts.evaluate();
    }
    // The recorded series is there, with the rule's labels, like a scraped one.
    const promql::Engine engine(queries.readerFor(1000));
    auto result = engine.instantQuery("job:up:sum", kT0 + 20'000);
    QVERIFY(result);
    QCOMPARE(result->vector.size(), std::size_t{1});
    QCOMPARE(result->vector.front().labels, (Labels{{"job", "api"}, {"team", "web"}}));
    QCOMPARE(result->vector.front().value, 1.0);
    // Recording rules show their health beside the alerting rules: the broken one says why.
    const AlertSnapshot last = w.last();
    QCOMPARE(last.health.size(), std::size_t{4});
    QCOMPARE(last.health[0].rule, std::string("job:up:sum"));
    QVERIFY(last.health[0].error.empty());
    QCOMPARE(last.health[1].rule, std::string("broken"));
    QVERIFY(!last.health[1].error.empty());
    // When the input goes away, the recorded series ends (a staleness marker), not 5 minutes later.
    clock.set(kT0 + 30'000);
    alerts.evaluate(); // up's last sample is 10 s old: still there
    MetricBatch gone;
    gone.target = "api";
    gone.samples.push_back({"up", Labels{{"job", "api"}, {"instance", "127.0.0.1:9"}}, kT0 + 35'000, staleMarker()});
    queries.ingest(gone);
    clock.set(kT0 + 40'000);
    alerts.evaluate();
    auto after = engine.instantQuery("job:up:sum", kT0 + 45'000);
    QVERIFY(after);
    QVERIFY(after->vector.empty());
}

void TstAlertFlow::recordingRuleGroupsKeepTheirInterval()
{
    // A recording rule of a group with `interval: 15s` runs every third 5-second evaluation: its
    // series has samples at 0, 15 and 30 s only, and its health stays listed in between.
    World w(m_config);
    auto &[logs, queries, clock, alerts, updates] = w;
    RecordingRuleConfig slow{"job:up:slow", "sum by (job) (up)", {}};
    slow.interval = Duration(15'000);
    alerts.setRecordingRules({slow});
    alerts.start(0, QString());
    for (std::int64_t s = 0; s <= 30; s += 5) {
        clock.set(kT0 + s * 1000);
        queries.ingest(upBatch(clock.nowMs(), 1));
        alerts.evaluate();
        QCOMPARE(w.last().health.front().rule, std::string("job:up:slow"));
    }
    const promql::Engine engine(queries.readerFor(1000));
    auto samples = engine.rangeQuery("count_over_time(job:up:slow[1s])", kT0, kT0 + 30'000, 5000);
    QVERIFY(samples);
    std::vector<double> at;
    for (const auto &series : samples->matrix)
        for (const auto &point : series.points)
            at.push_back(double(point.timestampMs - kT0) / 1000);
    QCOMPARE(at, (std::vector<double>{0, 15, 30}));
}

void TstAlertFlow::lateEvaluationsStayOnTheGrid()
{
    // On its timer (5 s here), each evaluation is stamped on the grid the first one began, as
    // Prometheus stamps a group's. The one that first sees the target down runs 400 ms late; stamped
    // with its real time, the on-time evaluation two later would be 9.6 s after it and `for: 10s` would
    // fire an evaluation late (at 20 s). On the grid it fires at 15 s.
    World w(m_config);
    auto &[logs, queries, clock, alerts, updates] = w;
    alerts.start(5000, QString());
    const std::int64_t at[] = {0, 5'400, 10'000, 15'000, 20'000};
    for (std::int64_t t : at) {
        // The scrape that finds it down lands at 4.8 s, before the late evaluation's grid time.
        queries.ingest(upBatch(kT0 + (t == 5'400 ? 4'800 : t), t == 0 ? 1 : 0));
        clock.set(kT0 + t);
        alerts.evaluate();
        QCOMPARE(w.last().atMs, kT0 + (t + 2'500) / 5'000 * 5'000);
    }
    QCOMPARE(w.last().alerts.front().state, AlertState::Firing);
    QCOMPARE(w.last().alerts.front().firedAtMs, kT0 + 15'000);
}

QTEST_MAIN(TstAlertFlow)
#include "tst_alert_flow.moc"
