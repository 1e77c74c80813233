// ServiceListModel: rows follow status updates; names are plain text, tooltips escape every datum.
#include "widgets/service_list_model.h"

#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>

using namespace pulse;

class TstServiceListModel : public QObject {
    Q_OBJECT
private slots:
    void updatesRows();
    void tooltipEscapesErrors();
};

void TstServiceListModel::updatesRows()
{
    ServiceListModel model;
    model.setTargets({TargetStatus{.name = "api"}, TargetStatus{.name = "db"}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.upCount(), 0);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    TargetStatus up{.name = "db"};
    up.health = TargetHealth::Up;
    model.updateStatus(up);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.upCount(), 1);
    QCOMPARE(model.data(model.index(1), ServiceListModel::HealthRole).toInt(), int(TargetHealth::Up));
    model.updateStatus(TargetStatus{.name = "new"});
    QCOMPARE(model.rowCount(), 3);
}

void TstServiceListModel::tooltipEscapesErrors()
{
    ServiceListModel model;
    TargetStatus s{.name = "<b>api</b>"};
    s.health = TargetHealth::Down;
    s.lastError = "<img src=x onerror=alert(1)> refused";
    model.setTargets({s});
    QCOMPARE(model.data(model.index(0), Qt::DisplayRole).toString(), QStringLiteral("<b>api</b>"));
    const QString tip = model.data(model.index(0), Qt::ToolTipRole).toString();
    QTextDocument doc;
    doc.setHtml(tip);
    const QString shown = doc.toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("<img src=x onerror=alert(1)> refused")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("<b>api</b>")), qPrintable(shown));
}

QTEST_MAIN(TstServiceListModel)
#include "tst_service_list_model.moc"
