// LogView: builds LogQuery values from the filter widgets and shows the answers it is given.
#include "widgets/log_view.h"

#include "widgets/display_text.h"
#include "widgets/tool_tip.h"

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
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
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
    text += QLatin1Char('\n') + fromBytes(record.raw) + QLatin1Char('\n');
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

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 1);
    filters->addWidget(m_level);
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
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogView::showSelected);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogView::showSelected);
}

LogView::~LogView() = default;

void LogView::requestQuery()
{
    ++m_query.generation;
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
    m_query.targets = std::move(targets);
    m_hasAnchor = false;
    requestQuery();
}

void LogView::setTimeRange(std::int64_t fromMs, std::int64_t toMs)
{
    m_query.fromMs = fromMs;
    m_query.toMs = toMs;
    m_query.keepNewest = true;
    m_hasAnchor = false;
    requestQuery();
}

void LogView::setFindShortcutEnabled(bool enabled)
{
    m_findShortcut->setEnabled(enabled);
}

void LogView::showAround(std::vector<std::string> targets, std::int64_t timeMs, std::int64_t windowMs)
{
    m_query.targets = std::move(targets);
    m_query.fromMs = timeMs - windowMs;
    m_query.toMs = timeMs + windowMs + 1;
    // Read forward from the window's start so the lines just before the instant are not the ones
    // a limit cuts; the anchor row is then scrolled into the middle.
    m_query.keepNewest = false;
    m_anchorMs = timeMs;
    m_hasAnchor = true;
    requestQuery();
}

void LogView::setRecords(LogQueryAnswer answer)
{
    if (answer.generation != m_query.generation)
        return;
    if (!answer.error.empty()) {
        m_status->setText(fromBytes(answer.error));
        m_status->setToolTip(plainToolTip(fromBytes(answer.error)));
        m_model->setRecords({});
        return;
    }
    const std::size_t count = answer.records.size();
    m_model->setRecords(std::move(answer.records));
    const bool capped = m_query.limit != 0 && count >= m_query.limit;
    if (!capped)
        m_status->setText(tr("%n lines", nullptr, int(count)));
    else if (m_query.keepNewest)
        m_status->setText(tr("newest %n lines", nullptr, int(count)));
    else
        m_status->setText(tr("first %n lines", nullptr, int(count)));
    m_status->setToolTip({});
    if (m_hasAnchor) {
        m_hasAnchor = false;
        const int row = m_model->rowNearest(m_anchorMs);
        if (row >= 0) {
            m_table->selectRow(row);
            m_table->scrollTo(m_model->index(row, LogModel::MessageColumn), QAbstractItemView::PositionAtCenter);
        }
    } else if (count > 0) {
        m_table->scrollToBottom();
    }
}

void LogView::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void LogView::showSelected()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount()) {
        m_detail->clear();
        return;
    }
    m_detail->setPlainText(detailText(m_model->recordAt(current.row())));
}

} // namespace pulse
