// LogView beyond one answer: pages of older lines when scrolled to the top (and of newer ones at the
// bottom of a drill-down), following that pauses when the user scrolls up and resumes at the
// bottom, a drill-down pinned until "Back to the range", "Context" around a search hit, a double
// click asking for the charts at a line's time; what a cell shows: search hits marked by the
// delegate, ANSI colours as spans and never as escapes, suspicious requests marked.
#include "widgets/ansi_text.h"
#include "widgets/log_highlight_delegate.h"
#include "widgets/log_model.h"
#include "widgets/log_view.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace pulse;

namespace {

constexpr std::int64_t kAt = 1'795'943'523'000;

LogRecord record(std::int64_t ms, std::string raw, std::string target = "api")
{
    LogRecord r;
    r.target = std::move(target);
    r.timestampMs = ms;
    r.level = LogLevel::Info;
    r.message = raw;
    r.raw = std::move(raw);
    return r;
}

/// page is `count` lines a second apart ending at endMs, named "line N" from firstNumber.
std::vector<LogRecord> page(std::int64_t endMs, int count, int firstNumber)
{
    std::vector<LogRecord> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(record(endMs - (count - 1 - i) * 1000, "line " + std::to_string(firstNumber + i)));
        out.back().storeId = firstNumber + i + 1;
    }
    return out;
}

LogQuery lastQuery(const QSignalSpy &spy)
{
    return spy.last().at(0).value<LogQuery>();
}

LogQueryAnswer answer(const LogQuery &q, std::vector<LogRecord> records)
{
    return {q.generation, std::move(records), {}};
}

} // namespace

class TstLogViewPaging : public QObject {
    Q_OBJECT
private slots:
    void init();
    void scrollingUpLoadsOlderPages();
    void followPausesAndResumes();
    void drillDownIsPinnedUntilBack();
    void contextShowsTheLineAmongItsNeighbours();
    void doubleClickAsksForTheCharts();
    void searchHitsAreMarked();
    void ansiColoursAreSpansNotEscapes();
    void suspiciousRequestsAreMarked();
    void targetFilterNarrowsToOne();

private:
    std::unique_ptr<LogView> m_view;
};

void TstLogViewPaging::init()
{
    m_view = std::make_unique<LogView>();
    m_view->resize(900, 400);
    m_view->show();
}

void TstLogViewPaging::scrollingUpLoadsOlderPages()
{
    LogView &view = *m_view;
    QSignalSpy queries(&view, &LogView::queryRequested);
    view.setTimeRange(kAt - 86'400'000, kAt + 1);
    const LogQuery first = lastQuery(queries);
    const int pageSize = int(first.limit);
    view.setRecords(answer(first, page(kAt, pageSize, pageSize)));
    QCOMPARE(view.model()->rowCount(), pageSize);
    QVERIFY(view.statusLabel()->text().contains(QStringLiteral("scroll up for older")));
    QScrollBar *bar = view.table()->verticalScrollBar();
    QCOMPARE(bar->value(), bar->maximum()); // following: at the bottom

    bar->setValue(bar->minimum()); // the user scrolls to the top
    const LogQuery older = lastQuery(queries);
    QVERIFY(older.generation != first.generation);
    QCOMPARE(older.toMs, view.model()->recordAt(0).timestampMs + 1);
    QCOMPARE(older.beforeId, view.model()->recordAt(0).storeId); // continues within that millisecond
    QVERIFY(older.keepNewest);
    QVERIFY(!view.following()); // scrolling up paused it
    // The older page ends with the line already at the top: it is not shown twice.
    std::vector<LogRecord> before = page(view.model()->recordAt(0).timestampMs, pageSize, 1);
    before.back() = view.model()->recordAt(0);
    const QString topLine = QString::fromStdString(view.model()->recordAt(0).raw);
    view.setRecords(answer(older, std::move(before)));
    QCOMPARE(view.model()->rowCount(), 2 * pageSize - 1);
    QCOMPARE(view.model()->recordAt(0).raw, std::string("line 1"));
    // The line that was at the top is still where the user was looking.
    const int topRow = view.table()->rowAt(0);
    QCOMPARE(QString::fromStdString(view.model()->recordAt(topRow).raw), topLine);
    QVERIFY(view.statusLabel()->text().contains(QStringLiteral("lines loaded")));

    // A stale page (its query was replaced) is dropped.
    bar->setValue(bar->minimum());
    const LogQuery third = lastQuery(queries);
    view.requestQuery();
    view.setRecords(answer(third, page(kAt - 10'000'000, 10, 0)));
    QCOMPARE(view.model()->rowCount(), 2 * pageSize - 1);
}

void TstLogViewPaging::followPausesAndResumes()
{
    LogView &view = *m_view;
    QSignalSpy queries(&view, &LogView::queryRequested);
    view.setTimeRange(kAt - 3'600'000, kAt);
    view.setRecords(answer(lastQuery(queries), page(kAt, 300, 0)));
    QVERIFY(view.following());
    view.setTimeRange(kAt - 3'599'000, kAt + 1000); // a live tick asks for the newest lines
    QCOMPARE(queries.size(), 2);
    view.setRecords(answer(lastQuery(queries), page(kAt + 1000, 300, 1)));

    QScrollBar *bar = view.table()->verticalScrollBar();
    bar->setValue(bar->maximum() - 5); // reading a little higher up
    QVERIFY(!view.following());
    QVERIFY(view.statusLabel()->text().contains(QStringLiteral("paused")));
    view.setTimeRange(kAt - 3'598'000, kAt + 2000);
    QCOMPARE(queries.size(), 2); // paused: the lines stay put

    bar->setValue(bar->maximum()); // back at the bottom: following again, at once
    QVERIFY(view.following());
    QCOMPARE(queries.size(), 3);
    QCOMPARE(lastQuery(queries).toMs, kAt + 2000);
}

void TstLogViewPaging::drillDownIsPinnedUntilBack()
{
    LogView &view = *m_view;
    QSignalSpy queries(&view, &LogView::queryRequested);
    view.setTimeRange(kAt - 3'600'000, kAt);
    view.showAround({"api"}, kAt - 600'000, 60'000);
    QVERIFY(view.pinned());
    QVERIFY(!view.backButton()->isHidden());
    const qsizetype asked = queries.size();
    view.setTimeRange(kAt - 3'599'000, kAt + 1000);
    QCOMPARE(queries.size(), asked); // a tick does not take the drill-down away
    view.backButton()->click();
    QVERIFY(!view.pinned());
    QVERIFY(view.following());
    QCOMPARE(lastQuery(queries).fromMs, kAt - 3'599'000);
    QCOMPARE(lastQuery(queries).toMs, kAt + 1000);
}

void TstLogViewPaging::contextShowsTheLineAmongItsNeighbours()
{
    LogView &view = *m_view;
    QSignalSpy queries(&view, &LogView::queryRequested);
    view.searchBox()->setText(QStringLiteral("timeout"));
    view.searchBox()->returnPressed();
    LogRecord hit = record(kAt, "timeout talking to db", "worker");
    hit.offset = 42;
    view.setRecords(answer(lastQuery(queries), {hit}));
    QVERIFY(!view.contextButton()->isEnabled());
    view.table()->selectRow(0);
    QVERIFY(view.contextButton()->isEnabled());
    view.contextButton()->click();
    const LogQuery around = lastQuery(queries);
    QVERIFY(around.text.empty());
    QVERIFY(view.searchBox()->text().isEmpty());
    QCOMPARE(around.targets, std::vector<std::string>{"worker"});
    QCOMPARE(around.fromMs, kAt - 30'000);
    QCOMPARE(around.toMs, kAt + 30'001);
    // Other lines of the same millisecond: the very line of the hit is selected.
    std::vector<LogRecord> rows{record(kAt - 1000, "before", "worker"), record(kAt, "same moment", "worker"), hit,
                                record(kAt + 1000, "after", "worker")};
    view.setRecords(answer(around, rows));
    QCOMPARE(view.table()->currentIndex().row(), 2);
}

void TstLogViewPaging::doubleClickAsksForTheCharts()
{
    LogView &view = *m_view;
    QSignalSpy queries(&view, &LogView::queryRequested);
    QSignalSpy charts(&view, &LogView::timeActivated);
    view.setTimeRange(kAt - 60'000, kAt + 1);
    view.setRecords(answer(lastQuery(queries), {record(kAt - 5000, "a"), record(kAt, "b")}));
    const QRect cell = view.table()->visualRect(view.model()->index(0, LogModel::MessageColumn));
    QTest::mouseClick(view.table()->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view.table()->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(charts.size(), 1);
    QCOMPARE(charts.first().at(0).toLongLong(), kAt - 5000);
}

void TstLogViewPaging::searchHitsAreMarked()
{
    LogView &view = *m_view;
    QSignalSpy queries(&view, &LogView::queryRequested);
    view.searchBox()->setText(QStringLiteral("Timeout OR \"db pool\" -healthz"));
    view.searchBox()->returnPressed();
    view.setRecords(answer(lastQuery(queries), {record(kAt, "read TIMEOUT from db pool; timeout again")}));
    const auto hits = view.highlighter()->hits(QStringLiteral("read TIMEOUT from db pool; timeout again"));
    QCOMPARE(hits, (QList<QPair<int, int>>{{5, 7}, {27, 7}, {18, 7}}));
    view.searchBox()->setText(QStringLiteral("/t[a-z]+t/"));
    view.searchBox()->returnPressed();
    view.setRecords(answer(lastQuery(queries), {record(kAt, "the test text")}));
    QCOMPARE(view.highlighter()->hits(QStringLiteral("the test text")), (QList<QPair<int, int>>{{4, 4}, {9, 4}}));
    // Painting a marked row goes through the delegate's own layout, not HTML.
    view.table()->viewport()->repaint();
}

void TstLogViewPaging::ansiColoursAreSpansNotEscapes()
{
    const AnsiText plain = stripAnsi("no escapes");
    QCOMPARE(plain.text, std::string("no escapes"));
    QVERIFY(plain.spans.empty());
    const AnsiText coloured = stripAnsi("\x1b[1;31mERROR\x1b[0m disk \x1b[38;5;46mfull\x1b[39m\x1b]0;title\x07!\x1b");
    QCOMPARE(coloured.text, std::string("ERROR disk full!"));
    QCOMPARE(coloured.spans.size(), std::size_t(2));
    QCOMPARE(coloured.spans[0].start, std::size_t(0));
    QCOMPARE(coloured.spans[0].length, std::size_t(5));
    QCOMPARE(coloured.spans[1].start, std::size_t(11));
    QCOMPARE(coloured.spans[1].length, std::size_t(4));
    QCOMPARE(coloured.spans[1].color, QColor(0, 255, 0));

    LogModel model;
    model.setRecords({record(kAt, "\x1b[33mwarn\x1b[0m: caf\xc3\xa9 \x1b[32mok\x1b[0m")});
    const QModelIndex message = model.index(0, LogModel::MessageColumn);
    QCOMPARE(model.data(message, Qt::DisplayRole).toString(), QStringLiteral("warn: caf\u00e9 ok"));
    const QVariantList spans = model.data(message, LogHighlightDelegate::AnsiSpansRole).toList();
    QCOMPARE(spans.size(), 2);
    QCOMPARE(spans[1].toList().at(0).toInt(), 11); // in characters of the cell: é is one
    QCOMPARE(spans[1].toList().at(1).toInt(), 2);

    // A bidirectional control before a colour is shown as "[U+202E]": the span follows the text shown.
    model.setRecords({record(kAt, "\xe2\x80\xae\x1b[31mred\x1b[0m")});
    QCOMPARE(model.data(message, Qt::DisplayRole).toString(), QStringLiteral("[U+202E]red"));
    const QVariantList shifted = model.data(message, LogHighlightDelegate::AnsiSpansRole).toList();
    QCOMPARE(shifted.size(), 1);
    QCOMPARE(shifted[0].toList().at(0).toInt(), 8);
    QCOMPARE(shifted[0].toList().at(1).toInt(), 3);
    // Text painted in its background's colour would be hidden: such a colour is not used.
    QVERIFY(!LogHighlightDelegate::readableOn(QColor(250, 250, 250), QColor(255, 255, 255)));
    QVERIFY(LogHighlightDelegate::readableOn(QColor(0xcd, 0x31, 0x31), QColor(255, 255, 255)));
    QVERIFY(LogHighlightDelegate::readableOn(QColor(0x0d, 0xbc, 0x79), QColor(30, 30, 30)));
}

void TstLogViewPaging::suspiciousRequestsAreMarked()
{
    LogModel model;
    LogRecord attack = record(kAt, "GET /../../etc/passwd");
    attack.fields.emplace_back("suspicious", "traversal");
    model.setRecords({record(kAt - 1, "GET /"), attack});
    const QModelIndex level = model.index(1, LogModel::LevelColumn);
    QVERIFY(model.data(level, Qt::DisplayRole).toString().contains(QChar(0x26a0)));
    QVERIFY(model.data(level, Qt::ToolTipRole).toString().contains(QStringLiteral("traversal")));
    QVERIFY(model.data(model.index(1, LogModel::MessageColumn), Qt::BackgroundRole).isValid());
    QVERIFY(!model.data(model.index(0, LogModel::MessageColumn), Qt::BackgroundRole).isValid());
    QCOMPARE(model.data(level, LogModel::SuspiciousRole).toString(), QStringLiteral("traversal"));
}

void TstLogViewPaging::targetFilterNarrowsToOne()
{
    LogView &view = *m_view;
    QSignalSpy queries(&view, &LogView::queryRequested);
    view.setTargets({"api-log"});
    QVERIFY(view.targetFilter()->isHidden()); // one target: nothing to choose
    view.setTargets({"api-log", "worker-log"});
    QVERIFY(!view.targetFilter()->isHidden());
    QCOMPARE(view.targetFilter()->count(), 3);
    const qsizetype asked = queries.size();
    view.targetFilter()->setCurrentIndex(2);
    QCOMPARE(queries.size(), asked + 1);
    QCOMPARE(lastQuery(queries).targets, std::vector<std::string>{"worker-log"});
    view.targetFilter()->setCurrentIndex(0);
    QCOMPARE(lastQuery(queries).targets, (std::vector<std::string>{"api-log", "worker-log"}));
}

QTEST_MAIN(TstLogViewPaging)
#include "tst_log_view_paging.moc"
