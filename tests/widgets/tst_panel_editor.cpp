// PanelEditorDialog validates PromQL as you type (with line and column); DashboardView applies edits.
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/panel_editor_dialog.h"

#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace pulse;

class TstPanelEditor : public QObject {
    Q_OBJECT
private slots:
    void validatesAsYouType();
    void producesThePanel();
    void dashboardAppliesEdits();
};

void TstPanelEditor::validatesAsYouType()
{
    PanelEditorDialog dialog(PanelConfig{});
    dialog.titleEdit()->setText(QStringLiteral("Requests"));
    QVERIFY(!dialog.acceptable()); // no expression yet
    dialog.exprEdit()->setPlainText(QStringLiteral("rate(http_requests_total[1m])"));
    QVERIFY2(dialog.acceptable(), qPrintable(dialog.validationText()));
    dialog.exprEdit()->setPlainText(QStringLiteral("up\nrate(http_requests_total)"));
    QVERIFY(!dialog.acceptable());
    QVERIFY2(dialog.validationText().startsWith(QStringLiteral("line 2: col 6:")), qPrintable(dialog.validationText()));
    dialog.exprEdit()->setPlainText(QStringLiteral("sum(up{job=\"<b>x</b>\"}"));
    QVERIFY(dialog.validationText().contains(QStringLiteral("col ")));
}

void TstPanelEditor::producesThePanel()
{
    PanelConfig original;
    original.title = "Old";
    original.exprs = {"up"};
    original.thresholds = {{1, "red"}};
    PanelEditorDialog dialog(original);
    dialog.titleEdit()->setText(QStringLiteral("New"));
    dialog.exprEdit()->setPlainText(QStringLiteral("up\n\n  process_cpu_seconds_total  \n"));
    const PanelConfig p = dialog.panel();
    QCOMPARE(p.title, std::string("New"));
    QCOMPARE(p.exprs, (std::vector<std::string>{"up", "process_cpu_seconds_total"}));
    QCOMPARE(p.thresholds.size(), std::size_t(1)); // kept
}

void TstPanelEditor::dashboardAppliesEdits()
{
    DashboardView view;
    DashboardConfig cfg;
    cfg.name = "Overview";
    PanelConfig a;
    a.title = "A";
    a.exprs = {"up"};
    cfg.panels = {a};
    view.setDashboard(cfg);
    QSignalSpy spy(&view, &DashboardView::edited);
    PanelConfig b;
    b.title = "B";
    b.exprs = {"rate(x[1m])"};
    view.replacePanel(-1, b);
    QTRY_COMPARE(spy.count(), 1);
    QCOMPARE(view.panels().size(), std::size_t(2));
    QCOMPARE(view.panels().back()->title(), QStringLiteral("B"));
    view.removePanel(0);
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(view.panels().size(), std::size_t(1));
    QCOMPARE(view.dashboard().panels.front().title, std::string("B"));
}

QTEST_MAIN(TstPanelEditor)
#include "tst_panel_editor.moc"
