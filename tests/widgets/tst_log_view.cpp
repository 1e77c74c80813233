// LogView and LogModel offscreen: rows from answers, stale answers dropped, filters emit the right
// queries, drill-down selects the nearest line, Ctrl+F, and markup in log lines shown literally in
// the table, the detail pane and the tooltip.
#include "widgets/log_model.h"
#include "widgets/log_view.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextDocument>

using namespace pulse;

namespace {

constexpr std::int64_t kAt = 1'795'943'523'000;

LogRecord record(std::int64_t ms, LogLevel level, std::string raw, std::string target = "api")
{
    LogRecord r;
    r.target = std::move(target);
    r.timestampMs = ms;
    r.level = level;
    r.message = raw;
    r.raw = std::move(raw);
    return r;
}

LogQuery lastQuery(const QSignalSpy &spy)
{
    return spy.isEmpty() ? LogQuery{} : spy.last().at(0).value<LogQuery>();
}

LogQueryAnswer answerFor(const LogView &view, std::vector<LogRecord> records)
{
    return {view.query().generation, std::move(records), {}};
}

QString renderedToolTip(const LogModel &model, int row)
{
    QTextDocument document;
    document.setHtml(model.data(model.index(row, LogModel::MessageColumn), Qt::ToolTipRole).toString());
    return document.toPlainText();
}

} // namespace

class TstLogView : public QObject {
    Q_OBJECT
private slots:
    void showsRows();
    void dropsStaleAnswers();
    void searchEmitsQueries();
    void levelFilterEmitsQuery();
    void targetsAndRangeEmitQueries();
    void drillDownSelectsNearestLine();
    void markupIsShownLiterally_data();
    void markupIsShownLiterally();
    void errorsArePlainText();
    void controlCharactersAreVisible();
    void bidiControlsAreNeutralised();
    void longMessagesAreCapped();
    void ctrlFFocusesSearch();
};

void TstLogView::showsRows()
{
    LogView view;
    view.setRecords(
        answerFor(view, {record(kAt, LogLevel::Info, "first"), record(kAt + 1, LogLevel::Error, "second")}));
    const LogModel &model = *view.model();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(LogModel::ColumnCount));
    QCOMPARE(model.data(model.index(1, LogModel::MessageColumn), Qt::DisplayRole).toString(), QStringLiteral("second"));
    QCOMPARE(model.data(model.index(1, LogModel::LevelColumn), Qt::DisplayRole).toString(), QStringLiteral("ERROR"));
    QCOMPARE(model.data(model.index(0, LogModel::TargetColumn), Qt::DisplayRole).toString(), QStringLiteral("api"));
    QVERIFY(model.data(model.index(1, LogModel::MessageColumn), Qt::ForegroundRole).isValid());
    QCOMPARE(view.statusLabel()->text(), QStringLiteral("2 lines"));
}

void TstLogView::dropsStaleAnswers()
{
    LogView view;
    const std::uint64_t old = view.query().generation;
    view.requestQuery();
    view.setRecords({old, {record(kAt, LogLevel::Info, "stale")}, {}});
    QCOMPARE(view.model()->rowCount(), 0);
    view.setRecords(answerFor(view, {record(kAt, LogLevel::Info, "fresh")}));
    QCOMPARE(view.model()->rowCount(), 1);
}

void TstLogView::searchEmitsQueries()
{
    LogView view;
    QSignalSpy spy(&view, &LogView::queryRequested);
    // Typing alone waits for the debounce; Return queries at once.
    QTest::keyClicks(view.searchBox(), QStringLiteral("Timeout"));
    QCOMPARE(spy.count(), 0);
    QTest::keyClick(view.searchBox(), Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    LogQuery query = lastQuery(spy);
    QCOMPARE(query.text, std::string("Timeout"));
    QVERIFY(!query.regex);
    QCOMPARE(query.generation, view.query().generation);

    view.searchBox()->setText(QStringLiteral("/5\\d\\d /"));
    QTest::keyClick(view.searchBox(), Qt::Key_Return);
    QCOMPARE(spy.count(), 2);
    query = lastQuery(spy);
    QCOMPARE(query.text, std::string("5\\d\\d "));
    QVERIFY(query.regex);
    QVERIFY(query.generation > 1);

    // The same search again is not a new query.
    QTest::keyClick(view.searchBox(), Qt::Key_Return);
    QCOMPARE(spy.count(), 2);
}

void TstLogView::levelFilterEmitsQuery()
{
    LogView view;
    QSignalSpy spy(&view, &LogView::queryRequested);
    const int warn = view.levelFilter()->findData(int(LogLevel::Warn));
    QVERIFY(warn > 0);
    view.levelFilter()->setCurrentIndex(warn);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(lastQuery(spy).minLevel, LogLevel::Warn);
    view.levelFilter()->setCurrentIndex(0);
    QCOMPARE(lastQuery(spy).minLevel, LogLevel::Unknown);
}

void TstLogView::targetsAndRangeEmitQueries()
{
    LogView view;
    QSignalSpy spy(&view, &LogView::queryRequested);
    view.setTargets({"api", "db"});
    QCOMPARE(lastQuery(spy).targets, (std::vector<std::string>{"api", "db"}));
    view.setTimeRange(kAt - 3'600'000, kAt);
    const LogQuery query = lastQuery(spy);
    QCOMPARE(query.fromMs, kAt - 3'600'000);
    QCOMPARE(query.toMs, kAt);
    QVERIFY(query.keepNewest);
    QCOMPARE(spy.count(), 2);
}

void TstLogView::drillDownSelectsNearestLine()
{
    LogView view;
    QSignalSpy spy(&view, &LogView::queryRequested);
    view.showAround({"api"}, kAt, 60'000);
    const LogQuery query = lastQuery(spy);
    QCOMPARE(query.targets, std::vector<std::string>{"api"});
    QCOMPARE(query.fromMs, kAt - 60'000);
    QVERIFY(query.toMs > kAt + 59'999);
    QVERIFY(!query.keepNewest);

    std::vector<LogRecord> records;
    for (int i = -30; i <= 30; ++i)
        records.push_back(record(kAt + i * 2000 + 300, LogLevel::Info, "line " + std::to_string(i)));
    view.setRecords(answerFor(view, std::move(records)));
    const QModelIndex current = view.table()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(current.row(), 30);
    QVERIFY(view.detailPane()->toPlainText().contains(QStringLiteral("line 0")));
}

void TstLogView::markupIsShownLiterally_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("img onerror") << QStringLiteral("<img src=x onerror=alert(1)>");
    QTest::newRow("bold") << QStringLiteral("<b>bold</b>");
    QTest::newRow("entities") << QStringLiteral("a &lt; b &amp; <script>x</script>");
}

void TstLogView::markupIsShownLiterally()
{
    QFETCH(QString, line);
    LogView view;
    LogRecord r = record(kAt, LogLevel::Warn, line.toStdString(), line.toStdString());
    r.fields.emplace_back("stack", line.toStdString());
    view.setRecords(answerFor(view, {r}));
    const LogModel &model = *view.model();
    QCOMPARE(model.data(model.index(0, LogModel::MessageColumn), Qt::DisplayRole).toString(), line);
    QCOMPARE(model.data(model.index(0, LogModel::TargetColumn), Qt::DisplayRole).toString(), line);
    QCOMPARE(renderedToolTip(model, 0), line);

    view.table()->selectRow(0);
    const QString detail = view.detailPane()->toPlainText();
    QVERIFY2(detail.contains(QLatin1Char('\n') + line + QLatin1Char('\n')), qPrintable(detail));
    QVERIFY(detail.contains(QStringLiteral("stack: ") + line));
    QVERIFY(view.detailPane()->isReadOnly());
}

void TstLogView::errorsArePlainText()
{
    LogView view;
    view.setRecords({view.query().generation, {}, "invalid regular expression at offset 3: <b>missing )</b>"});
    QCOMPARE(view.statusLabel()->textFormat(), Qt::PlainText);
    QVERIFY(view.statusLabel()->text().contains(QStringLiteral("<b>missing )</b>")));
}

void TstLogView::controlCharactersAreVisible()
{
    QCOMPARE(LogModel::displayText(std::string_view("a\nb\x1b[31m\0", 9), 100),
             QStringLiteral("a\u240Ab\u241B[31m\u2400"));
    QCOMPARE(LogModel::displayText("caf\xC3\xA9 \xFF", 100), QStringLiteral("caf\u00E9 \uFFFD"));
}

void TstLogView::bidiControlsAreNeutralised()
{
    // U+202E (right-to-left override) would show "status=ok" for the bytes "status=ko" reversed; the
    // table, the tooltip and the stored record each keep their own job.
    const std::string line = "login \xE2\x80\xAEok=sutats\xE2\x80\xAC user=\xE2\x81\xA6x\xE2\x81\xA9";
    QCOMPARE(LogModel::displayText(line, 100), QStringLiteral("login [U+202E]ok=sutats[U+202C] user=[U+2066]x[U+2069]"));
    LogView view;
    view.setRecords(answerFor(view, {record(kAt, LogLevel::Info, line)}));
    const QString shown =
        view.model()->data(view.model()->index(0, LogModel::MessageColumn), Qt::DisplayRole).toString();
    QVERIFY2(shown.contains(QStringLiteral("[U+202E]ok=sutats[U+202C]")), qPrintable(shown));
    QVERIFY(renderedToolTip(*view.model(), 0).contains(QStringLiteral("[U+202E]")));
    for (const QChar c : shown + renderedToolTip(*view.model(), 0))
        QVERIFY(!(c.unicode() >= 0x202A && c.unicode() <= 0x202E) && !(c.unicode() >= 0x2066 && c.unicode() <= 0x2069));
}

void TstLogView::longMessagesAreCapped()
{
    LogView view;
    view.setRecords(answerFor(view, {record(kAt, LogLevel::Info, std::string(70'000, 'x'))}));
    const QString shown =
        view.model()->data(view.model()->index(0, LogModel::MessageColumn), Qt::DisplayRole).toString();
    QCOMPARE(shown.size(), LogModel::kMaxDisplayChars + 1);
    QVERIFY(shown.endsWith(QChar(0x2026)));
    QVERIFY(renderedToolTip(*view.model(), 0).size() <= LogModel::kMaxToolTipChars + 1);
}

void TstLogView::ctrlFFocusesSearch()
{
    LogView view;
    view.resize(800, 400);
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.table()->setFocus();
    QVERIFY(!view.searchBox()->hasFocus());
    QTest::keyClick(view.table(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(view.searchBox()->hasFocus());
}

QTEST_MAIN(TstLogView)
#include "tst_log_view.moc"
