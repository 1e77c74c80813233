// LogView: builds LogQuery values from the filter widgets and shows the answers it is given.
#include "widgets/log_view.h"

#include "widgets/display_text.h"
#include "widgets/tool_tip.h"

#include "core/logs/log_search.h"
#include "widgets/ansi_text.h"
#include "widgets/log_highlight_delegate.h"
#include "widgets/log_model.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace pulse {
namespace {

/// fromBytes is file or server text as shown here (bidirectional controls made visible).
QString fromBytes(std::string_view bytes)
{
    return neutraliseBidi(QString::fromUtf8(bytes.data(), qsizetype(bytes.size())));
}

// detailText is everything known about a record, as plain text for a QPlainTextEdit: the raw line
// first (what was in the file), then the parsed fields, where a JSON "stack" shows its real lines.
QString detailText(const LogRecord &record)
{
    QString text = QDateTime::fromMSecsSinceEpoch(record.timestampMs).toString(Qt::ISODateWithMs) + QLatin1Char(' ') +
                   fromBytes(record.target) + QLatin1Char(' ') + fromBytes(logLevelName(record.level)).toUpper();
    if (record.truncated)
        text += QObject::tr(" (line truncated)");
    if (record.malformed)
        text += QObject::tr(" (did not match the format)");
    if (const std::string_view kind = record.field("suspicious"); !kind.empty())
        text += QObject::tr(" (looks like an attack: %1)").arg(fromBytes(kind));
    // The line as written, its terminal colour codes taken out (they are not text).
    text += QLatin1Char('\n') + fromBytes(stripAnsi(record.raw).text) + QLatin1Char('\n');
    for (const LogField &field : record.fields)
        text += QLatin1Char('\n') + fromBytes(field.first) + QStringLiteral(": ") + fromBytes(field.second);
    return text;
}

} // namespace

LogView::LogView(QWidget *parent) : QWidget(parent)
{
    m_model = new LogModel(this);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search logs: words, OR, -word, \"phrase\", or /regex/ (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);

    m_level = new QComboBox(this);
    m_level->addItem(tr("All levels"), int(LogLevel::Unknown));
    m_level->addItem(tr("Debug and above"), int(LogLevel::Debug));
    m_level->addItem(tr("Info and above"), int(LogLevel::Info));
    m_level->addItem(tr("Warnings and errors"), int(LogLevel::Warn));
    m_level->addItem(tr("Errors only"), int(LogLevel::Error));

    // Which of the view's targets to show; hidden while there is only one (or every target).
    m_target = new QComboBox(this);
    m_target->setToolTip(tr("Show the lines of one log target"));
    m_target->hide();

    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    // Uniform row heights: the view then lays out 100k rows without measuring each.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(LogModel::TimeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LogModel::LevelColumn, QHeaderView::ResizeToContents);

    m_detail = new QPlainTextEdit(this);
    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_detail->setPlaceholderText(tr("Select a line to see all of it."));

    m_highlighter = new LogHighlightDelegate(this);
    m_table->setItemDelegateForColumn(LogModel::MessageColumn, m_highlighter);

    m_follow = new QToolButton(this);
    m_follow->setText(tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Show new lines as they come (scroll up to pause, to the bottom to resume)"));
    m_context = new QToolButton(this);
    m_context->setText(tr("Context"));
    m_context->setToolTip(tr("Show the selected line among the lines around it, without the search"));
    m_context->setEnabled(false);
    m_back = new QToolButton(this);
    m_back->setText(tr("Back to the range"));
    m_back->setToolTip(tr("Leave this moment: follow the charts' time range again"));
    m_back->hide();

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 1);
    filters->addWidget(m_target);
    filters->addWidget(m_level);
    filters->addWidget(m_follow);
    filters->addWidget(m_context);
    filters->addWidget(m_back);
    filters->addWidget(m_status);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({400, 80}); // the detail pane starts small; drag it open for long lines

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kSearchDebounceMs);

    m_findShortcut = new QShortcut(QKeySequence::Find, this);
    m_findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(m_findShortcut, &QShortcut::activated, this, &LogView::focusSearch);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &LogView::applySearchText);
    connect(m_search, &QLineEdit::returnPressed, this, &LogView::applySearchText);
    connect(m_level, &QComboBox::currentIndexChanged, this, &LogView::applyLevel);
    connect(m_target, &QComboBox::currentIndexChanged, this, &LogView::applyTarget);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogView::showSelected);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogView::showSelected);
    connect(m_follow, &QToolButton::clicked, this, [this](bool on) {
        setFollowing(on);
        if (on)
            followRange(); // the newest lines, now
    });
    connect(m_context, &QToolButton::clicked, this, &LogView::showContext);
    connect(m_back, &QToolButton::clicked, this, &LogView::backToRange);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &LogView::onScrolled);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.isValid() && index.row() < m_model->rowCount())
            emit timeActivated(m_model->recordAt(index.row()).timestampMs);
    });
}

bool LogView::following() const
{
    return m_follow->isChecked();
}

void LogView::setFollowing(bool on)
{
    m_follow->setChecked(on && !m_pinned);
    updateStatus();
}

void LogView::onScrolled(int value)
{
    if (m_adjusting)
        return;
    QScrollBar *bar = m_table->verticalScrollBar();
    // The user moved: up pauses following, back to the bottom resumes it.
    if (!m_pinned && following() != (value == bar->maximum())) {
        setFollowing(value == bar->maximum());
        if (following())
            followRange();
    }
    if (value == bar->minimum() && m_moreOlder)
        requestPage(true);
    else if (value == bar->maximum() && m_moreNewer)
        requestPage(false);
}

void LogView::requestPage(bool older)
{
    if (m_pageGeneration != 0 || m_model->rowCount() == 0)
        return;
    if (m_model->rowCount() >= kMaxRows) {
        m_rowsCapped = true;
        updateStatus();
        return;
    }
    LogQuery page = m_query;
    // Pages continue after the edge line: by time, and among the lines of its millisecond by store
    // id (a busy nginx writes thousands a second, all stamped alike). Without ids, rows dedupe.
    if (older) {
        const LogRecord &first = m_model->recordAt(0);
        page.toMs = first.timestampMs + 1;
        page.beforeId = first.storeId;
        page.afterId = 0;
        page.keepNewest = true;
    } else {
        const LogRecord &last = m_model->recordAt(m_model->rowCount() - 1);
        page.fromMs = last.timestampMs;
        page.afterId = last.storeId;
        page.beforeId = 0;
        page.keepNewest = false;
    }
    page.generation = ++m_nextGeneration;
    m_pageGeneration = page.generation;
    m_pageOlder = older;
    emit queryRequested(page);
}

void LogView::takePage(LogQueryAnswer answer)
{
    m_pageGeneration = 0;
    if (!answer.error.empty())
        return;
    const bool full = m_query.limit != 0 && answer.records.size() >= m_query.limit;
    const QScopedValueRollback adjusting(m_adjusting, true);
    QScrollBar *bar = m_table->verticalScrollBar();
    if (m_pageOlder) {
        const int before = bar->value();
        const int added = m_model->prependRecords(std::move(answer.records));
        // Rows are scrolled one at a time: the lines that were on screen stay there (once the view
        // knows its new height; it would lay the rows out later and clamp the value to the old one).
        m_table->doItemsLayout();
        bar->setValue(before + added);
        m_moreOlder = full && added > 0;
    } else {
        const int added = m_model->appendRecords(std::move(answer.records));
        m_moreNewer = full && added > 0;
    }
    updateStatus();
}

LogView::~LogView() = default;

void LogView::requestQuery()
{
    m_query.generation = ++m_nextGeneration;
    m_pageGeneration = 0; // a page of the old query would not fit the new one
    emit queryRequested(m_query);
}

void LogView::applySearchText()
{
    m_debounce->stop();
    const LogQueryText parsed = parseLogSearchText(m_search->text().toStdString());
    if (parsed.text == m_query.text && parsed.regex == m_query.regex)
        return;
    m_query.text = parsed.text;
    m_query.regex = parsed.regex;
    requestQuery();
}

void LogView::applyLevel()
{
    m_query.minLevel = LogLevel(m_level->currentData().toInt());
    requestQuery();
}

void LogView::setTargets(std::vector<std::string> targets)
{
    m_viewTargets = targets;
    {
        const QSignalBlocker quiet(m_target); // one query below, not one per item
        m_target->clear();
        m_target->addItem(tr("All %n targets", nullptr, int(targets.size())));
        for (const std::string &t : targets)
            m_target->addItem(fromBytes(t), QString::fromStdString(t));
    }
    m_target->setVisible(targets.size() > 1);
    m_query.targets = std::move(targets);
    m_hasAnchor = false;
    requestQuery();
}

void LogView::applyTarget()
{
    const int index = m_target->currentIndex();
    if (index <= 0)
        m_query.targets = m_viewTargets;
    else
        m_query.targets = {m_viewTargets.at(std::size_t(index - 1))};
    requestQuery();
}

void LogView::setTimeRange(std::int64_t fromMs, std::int64_t toMs)
{
    m_rangeFromMs = fromMs;
    m_rangeToMs = toMs;
    // Paused or pinned, what is shown stays put: the range moving every tick must not pull the
    // lines someone is reading away from under them.
    if (m_pinned || (!following() && m_model->rowCount() > 0))
        return;
    m_query.fromMs = fromMs;
    m_query.toMs = toMs;
    m_query.keepNewest = true;
    m_hasAnchor = false;
    requestQuery();
}

void LogView::backToRange()
{
    m_pinned = false;
    m_back->hide();
    setFollowing(true);
    followRange();
}

void LogView::followRange()
{
    if (m_rangeToMs > m_rangeFromMs) {
        m_query.fromMs = m_rangeFromMs;
        m_query.toMs = m_rangeToMs;
    }
    m_query.keepNewest = true;
    m_hasAnchor = false;
    requestQuery();
}

void LogView::showContext()
{
    const LogRecord *record = selectedRecord();
    if (!record)
        return;
    const LogRecord line = *record;
    {
        const QSignalBlocker quiet(m_search); // no debounced query of the cleared text
        m_search->clear();
    }
    m_debounce->stop();
    m_query.text.clear();
    m_query.regex = false;
    showAround({line.target}, line.timestampMs, 30'000);
    m_anchorRecord = line;
}

const LogRecord *LogView::selectedRecord() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount())
        return nullptr;
    return &m_model->recordAt(current.row());
}

void LogView::setFindShortcutEnabled(bool enabled)
{
    m_findShortcut->setEnabled(enabled);
}

void LogView::showAround(std::vector<std::string> targets, std::int64_t timeMs, std::int64_t windowMs)
{
    {
        const QSignalBlocker quiet(m_target); // the drill-down names its own targets
        m_target->setCurrentIndex(0);
    }
    m_query.targets = std::move(targets);
    m_query.fromMs = timeMs - windowMs;
    m_query.toMs = timeMs + windowMs + 1;
    // Read forward from the window's start so the lines just before the instant are not the ones
    // a limit cuts; the anchor row is then scrolled into the middle.
    m_query.keepNewest = false;
    m_anchorMs = timeMs;
    m_hasAnchor = true;
    m_anchorRecord.reset();
    m_pinned = true;
    m_follow->setChecked(false);
    m_back->show();
    requestQuery();
}

void LogView::setRecords(LogQueryAnswer answer)
{
    if (m_pageGeneration != 0 && answer.generation == m_pageGeneration) {
        takePage(std::move(answer));
        return;
    }
    if (answer.generation != m_query.generation)
        return;
    const QScopedValueRollback adjusting(m_adjusting, true);
    if (!answer.error.empty()) {
        m_status->setText(fromBytes(answer.error));
        m_status->setToolTip(plainToolTip(fromBytes(answer.error)));
        m_model->setRecords({});
        m_moreOlder = m_moreNewer = false;
        return;
    }
    if (const LogRecord *selected = selectedRecord())
        m_keepSelected = *selected;
    m_answered = answer.records.size();
    m_model->setRecords(std::move(answer.records));
    const bool capped = m_query.limit != 0 && m_answered >= m_query.limit;
    m_moreOlder = capped && m_query.keepNewest;
    m_moreNewer = capped && !m_query.keepNewest;
    m_rowsCapped = false;
    updateHighlight();
    updateStatus();
    int select = -1;
    if (m_anchorRecord)
        select = m_model->rowOf(*m_anchorRecord);
    if (select < 0 && m_hasAnchor)
        select = m_model->rowNearest(m_anchorMs);
    if (select >= 0) {
        m_table->selectRow(select);
        m_table->scrollTo(m_model->index(select, LogModel::MessageColumn), QAbstractItemView::PositionAtCenter);
    } else if (m_keepSelected) {
        if (const int row = m_model->rowOf(*m_keepSelected); row >= 0)
            m_table->selectRow(row);
    }
    m_hasAnchor = false;
    m_anchorRecord.reset();
    m_keepSelected.reset();
    if (select < 0 && following())
        m_table->scrollToBottom();
}

void LogView::updateHighlight()
{
    if (m_query.regex) {
        m_highlighter->setRegex(
            QRegularExpression(QString::fromStdString(m_query.text), QRegularExpression::CaseInsensitiveOption));
    } else if (auto search = LogSearch::parse(m_query.text)) {
        m_highlighter->setTerms(search->highlightTerms());
    } else {
        m_highlighter->clear();
    }
    m_table->viewport()->update();
}

void LogView::updateStatus()
{
    const int rows = m_model->rowCount();
    QString text;
    if (std::size_t(rows) > m_answered)
        text = tr("%n lines loaded", nullptr, rows);
    else if (!m_moreOlder && !m_moreNewer)
        text = tr("%n lines", nullptr, rows);
    else if (m_moreOlder)
        text = tr("newest %n lines (scroll up for older)", nullptr, rows);
    else
        text = tr("first %n lines (scroll down for more)", nullptr, rows);
    if (m_rowsCapped)
        text += tr("; no more pages: narrow the range or the search");
    if (m_pinned)
        text += tr(" around %1").arg(QDateTime::fromMSecsSinceEpoch(m_anchorMs).toString(QStringLiteral("HH:mm:ss")));
    else if (!following())
        text += tr(", paused");
    m_status->setText(text);
    m_status->setToolTip({});
}

void LogView::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void LogView::showSelected()
{
    const LogRecord *record = selectedRecord();
    m_context->setEnabled(record != nullptr);
    if (!record) {
        m_detail->clear();
        return;
    }
    m_detail->setPlainText(detailText(*record));
}

} // namespace pulse
