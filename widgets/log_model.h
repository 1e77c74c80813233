// LogModel: a table model over a snapshot of log records for the log view.
#pragma once

#include "core/logs/log_record.h"

#include <QAbstractTableModel>

#include <vector>

namespace pulse {

/// LogModel shows one row per record: time, target, level, message. Log lines are untrusted, so
/// DisplayRole is plain text (control characters made visible, long messages capped so painting
/// stays cheap) and ToolTipRole is the full raw line HTML-escaped inside a rich-text wrapper.
/// ForegroundRole colours rows by level. GUI thread only.
class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, TargetColumn, LevelColumn, MessageColumn, ColumnCount };
    enum Role { LevelRole = Qt::UserRole + 1, TimestampRole };

    /// kMaxDisplayChars caps the message column's text; the detail pane shows everything.
    static constexpr int kMaxDisplayChars = 1000;
    /// kMaxToolTipChars caps the tooltip, which Qt lays out in full before showing it.
    static constexpr int kMaxToolTipChars = 4000;

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// setRecords replaces the rows with a new snapshot (oldest first).
    void setRecords(std::vector<LogRecord> records);
    const std::vector<LogRecord> &records() const { return m_records; }
    /// recordAt is the record of a valid row.
    const LogRecord &recordAt(int row) const { return m_records[static_cast<std::size_t>(row)]; }
    /// rowNearest is the row whose timestamp is closest to timeMs, or -1 when there are no rows.
    int rowNearest(std::int64_t timeMs) const;

    /// displayText turns untrusted bytes into one line of plain text: invalid UTF-8 becomes U+FFFD,
    /// newlines and other control characters their visible Unicode "control pictures".
    static QString displayText(std::string_view bytes, int maxChars);
    /// toolTipHtml is raw escaped for a rich-text tooltip, capped at maxChars.
    static QString toolTipHtml(std::string_view raw, int maxChars);

private:
    std::vector<LogRecord> m_records;
};

} // namespace pulse
