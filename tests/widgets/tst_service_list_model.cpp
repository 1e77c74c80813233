// ServiceListModel: rows follow status updates; names are plain text, tooltips escape every datum.
#include "widgets/service_list_model.h"

#include <QPixmap>
#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>

using namespace pulse;

namespace {

TargetStatus named(const std::string &name, TargetHealth health = TargetHealth::Unknown)
{
    TargetStatus s;
    s.name = name;
    s.health = health;
    return s;
}

} // namespace

class TstServiceListModel : public QObject {
    Q_OBJECT
private slots:
    void updatesRows();
    void tooltipEscapesErrors();
    void bidiControlsAreNeutralised();
    void uptimeAndLastRun();
    void statusDotsAreDrawnOnce();
};

void TstServiceListModel::updatesRows()
{
    ServiceListModel model;
    model.setTargets({named("api"), named("db")});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.upCount(), 0);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.updateStatus(named("db", TargetHealth::Up));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.upCount(), 1);
    QCOMPARE(model.data(model.index(1, 0), ServiceListModel::HealthRole).toInt(), int(TargetHealth::Up));
    model.updateStatus(named("new"));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 3);
}

void TstServiceListModel::uptimeAndLastRun()
{
    ServiceListModel model;
    TargetStatus s = named("api", TargetHealth::Up);
    s.lastRunMs = 1'000'000;
    model.setTargets({s, named("db")});
    model.setNow(1'030'000);
    model.setUptime({{QStringLiteral("api"), 0.99876}});
    QCOMPARE(model.data(model.index(0, ServiceListModel::UptimeColumn), Qt::DisplayRole).toString(),
             QStringLiteral("99.88%"));
    QCOMPARE(model.data(model.index(1, ServiceListModel::UptimeColumn), Qt::DisplayRole).toString(),
             QStringLiteral("–"));
    QCOMPARE(model.data(model.index(0, ServiceListModel::LastRunColumn), Qt::DisplayRole).toString(),
             QStringLiteral("30 s ago"));
}

void TstServiceListModel::tooltipEscapesErrors()
{
    ServiceListModel model;
    TargetStatus s = named("<b>api</b>", TargetHealth::Down);
    s.lastError = "<img src=x onerror=alert(1)> refused";
    model.setTargets({s});
    QCOMPARE(model.data(model.index(0, 0), Qt::DisplayRole).toString(), QStringLiteral("<b>api</b>"));
    const QString tip = model.data(model.index(0, 0), Qt::ToolTipRole).toString();
    QTextDocument doc;
    doc.setHtml(tip);
    const QString shown = doc.toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("<img src=x onerror=alert(1)> refused")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("<b>api</b>")), qPrintable(shown));
}

void TstServiceListModel::bidiControlsAreNeutralised()
{
    ServiceListModel model;
    TargetStatus s = named("api\u202Egnp.exe", TargetHealth::Down);
    s.lastError = "refused \u2067by\u2069 peer";
    model.setTargets({s});
    QCOMPARE(model.data(model.index(0, 0), Qt::DisplayRole).toString(), QStringLiteral("api[U+202E]gnp.exe"));
    // The name itself (to open the target, to query its series) stays exact.
    QCOMPARE(model.data(model.index(0, 0), ServiceListModel::NameRole).toString(), QStringLiteral("api\u202Egnp.exe"));
    QTextDocument doc;
    doc.setHtml(model.data(model.index(0, 0), Qt::ToolTipRole).toString());
    QVERIFY2(doc.toPlainText().contains(QStringLiteral("refused [U+2067]by[U+2069] peer")), qPrintable(doc.toPlainText()));
}

void TstServiceListModel::statusDotsAreDrawnOnce()
{
    // Every repaint asks for every row's dot: the same health gives back the same pixmap (one icon cache
    // entry), another health another one.
    ServiceListModel model;
    model.setTargets({named("a", TargetHealth::Up), named("b", TargetHealth::Up), named("c", TargetHealth::Down)});
    const auto dotOf = [&](int row) { return model.data(model.index(row, 0), Qt::DecorationRole).value<QPixmap>(); };
    const QPixmap first = dotOf(0);
    QVERIFY(!first.isNull());
    QCOMPARE(first.size(), QSize(12, 12));
    QCOMPARE(dotOf(0).cacheKey(), first.cacheKey());
    QCOMPARE(dotOf(1).cacheKey(), first.cacheKey());
    QVERIFY(dotOf(2).cacheKey() != first.cacheKey());
    QCOMPARE(dotOf(2).cacheKey(), dotOf(2).cacheKey());
    QVERIFY(dotOf(2).toImage() != first.toImage());
}

QTEST_MAIN(TstServiceListModel)
#include "tst_service_list_model.moc"
