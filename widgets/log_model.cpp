// LogModel: rows of LogRecord rendered as plain text, escaped tooltips, colours by level.
#include "widgets/log_model.h"

#include "widgets/ansi_text.h"
#include "widgets/display_text.h"
#include "widgets/log_highlight_delegate.h"
#include "widgets/tool_tip.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <algorithm>

namespace pulse {
namespace {

QString fromBytes(std::string_view bytes)
{
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
}

QColor levelColor(LogLevel level)
{
    // Mid-tone colours that stay readable on both the light and the dark palette.
    switch (level) {
    case LogLevel::Fatal:
        return QColor(0xd0, 0x30, 0x60);
    case LogLevel::Error:
        return QColor(0xe7, 0x4c, 0x3c);
    case LogLevel::Warn:
        return QColor(0xe6, 0x8a, 0x00);
    case LogLevel::Trace:
    case LogLevel::Debug:
    case LogLevel::Unknown:
        return QColor(0x8a, 0x93, 0x9a);
    case LogLevel::Info:
        break;
    }
    return {};
}

} // namespace

LogModel::LogModel(QObject *parent) : QAbstractTableModel(parent) {}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LogModel::displayText(std::string_view bytes, int maxChars)
{
    const bool capped = bytes.size() > std::size_t(maxChars) * 4;
    QString text = fromBytes(capped ? bytes.substr(0, std::size_t(maxChars) * 4) : bytes);
    if (text.size() > maxChars || capped) {
        text.truncate(maxChars);
        text += QChar(0x2026);
    }
    for (QChar &c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20)
            c = QChar(char16_t(0x2400 + u));
        else if (u == 0x7f)
            c = QChar(char16_t(0x2421));
    }
    return neutraliseBidi(std::move(text));
}

QString LogModel::toolTipHtml(std::string_view raw, int maxChars)
{
    QString text = fromBytes(raw.substr(0, std::min(raw.size(), std::size_t(maxChars) * 4)));
    if (text.size() > maxChars || raw.size() > std::size_t(maxChars) * 4) {
        text.truncate(maxChars);
        text += QChar(0x2026);
    }
    return plainToolTip(text);
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LogRecord &record = recordAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(record.timestampMs)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        case TargetColumn:
            return displayText(record.target, kMaxDisplayChars);
        case LevelColumn:
            // A suspicious request is marked where the eye scans first; the tooltip says which kind.
            if (!record.field("suspicious").empty())
                return fromBytes(logLevelName(record.level)).toUpper() + QStringLiteral(" \u26a0");
            return fromBytes(logLevelName(record.level)).toUpper();
        case MessageColumn:
            return displayText(stripAnsi(record.message).text, kMaxDisplayChars);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (const std::string_view kind = record.field("suspicious"); !kind.empty() && index.column() == LevelColumn)
            return plainToolTip(tr("Looks like an attack (%1): see docs/logs.md, \"Suspicious requests\"")
                                    .arg(displayText(kind, 40)));
        return toolTipHtml(record.raw, kMaxToolTipChars);
    case Qt::BackgroundRole:
        if (!record.field("suspicious").empty())
            return QBrush(QColor(0xe7, 0x4c, 0x3c, 40));
        return {};
    case SuspiciousRole:
        return fromBytes(record.field("suspicious"));
    case LogHighlightDelegate::AnsiSpansRole:
        return index.column() == MessageColumn ? ansiSpans(record.message) : QVariant();
    case Qt::ForegroundRole: {
        const QColor color = levelColor(record.level);
        return color.isValid() ? QVariant(QBrush(color)) : QVariant();
    }
    case LevelRole:
        return int(record.level);
    case TimestampRole:
        return qint64(record.timestampMs);
    default:
        return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case TargetColumn:
        return tr("Target");
    case LevelColumn:
        return tr("Level");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

void LogModel::setRecords(std::vector<LogRecord> records)
{
    beginResetModel();
    m_records = std::move(records);
    endResetModel();
}

namespace {

bool sameLine(const LogRecord &a, const LogRecord &b)
{
    return a.timestampMs == b.timestampMs && a.offset == b.offset && a.target == b.target && a.file == b.file &&
           a.raw == b.raw;
}

} // namespace

QVariant LogModel::ansiSpans(const std::string &message)
{
    if (message.find('\x1b') == std::string::npos)
        return {};
    const AnsiText ansi = stripAnsi(message);
    // Spans are in bytes of the stripped text; the cell shows it decoded, with bidirectional
    // controls spelled out ("[U+202E]", longer than the character), and capped: positions are
    // measured on the text as shown.
    const std::string_view text(ansi.text);
    const auto shownLength = [&](std::size_t bytes) {
        return int(neutraliseBidi(fromBytes(text.substr(0, bytes))).size());
    };
    QVariantList out;
    for (const AnsiText::Span &span : ansi.spans) {
        const int start = shownLength(span.start);
        const int end = shownLength(span.start + span.length);
        if (start >= kMaxDisplayChars)
            break;
        out.append(QVariant(QVariantList{start, std::min(end, kMaxDisplayChars) - start, span.color}));
    }
    return out;
}

int LogModel::prependRecords(std::vector<LogRecord> records)
{
    // The page ends where the rows begin: lines of that last moment may be in both.
    while (!records.empty() && !m_records.empty() && records.back().timestampMs >= m_records.front().timestampMs &&
           rowOf(records.back()) >= 0)
        records.pop_back();
    if (records.empty())
        return 0;
    beginInsertRows({}, 0, int(records.size()) - 1);
    m_records.insert(m_records.begin(), std::make_move_iterator(records.begin()), std::make_move_iterator(records.end()));
    endInsertRows();
    return int(records.size());
}

int LogModel::appendRecords(std::vector<LogRecord> records)
{
    std::size_t skip = 0;
    while (skip < records.size() && !m_records.empty() && records[skip].timestampMs <= m_records.back().timestampMs &&
           rowOf(records[skip]) >= 0)
        ++skip;
    if (skip == records.size())
        return 0;
    const int first = rowCount();
    beginInsertRows({}, first, first + int(records.size() - skip) - 1);
    m_records.insert(m_records.end(), std::make_move_iterator(records.begin() + std::ptrdiff_t(skip)),
                     std::make_move_iterator(records.end()));
    endInsertRows();
    return int(records.size() - skip);
}

int LogModel::rowOf(const LogRecord &record) const
{
    auto it = std::lower_bound(m_records.begin(), m_records.end(), record.timestampMs,
                               [](const LogRecord &r, std::int64_t t) { return r.timestampMs < t; });
    for (; it != m_records.end() && it->timestampMs == record.timestampMs; ++it)
        if (sameLine(*it, record))
            return int(it - m_records.begin());
    return -1;
}

int LogModel::rowNearest(std::int64_t timeMs) const
{
    if (m_records.empty())
        return -1;
    const auto after = std::lower_bound(m_records.begin(), m_records.end(), timeMs,
                                        [](const LogRecord &r, std::int64_t t) { return r.timestampMs < t; });
    if (after == m_records.begin())
        return 0;
    if (after == m_records.end())
        return rowCount() - 1;
    const auto before = std::prev(after);
    const auto nearest = timeMs - before->timestampMs <= after->timestampMs - timeMs ? before : after;
    return static_cast<int>(nearest - m_records.begin());
}

} // namespace pulse
