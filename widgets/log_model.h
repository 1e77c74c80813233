// LogModel: a table model over a snapshot of log records for the log view.
#pragma once

#include "core/logs/log_record.h"

#include <QAbstractTableModel>

#include <vector>

namespace pulse {

/// LogModel shows one row per record: time, target, level, message. Log lines are untrusted, so
/// DisplayRole is plain text (control characters made visible, long messages capped so painting
/// stays cheap; ANSI escapes taken out, their colours given as spans for LogHighlightDelegate) and
/// ToolTipRole is the full raw line HTML-escaped inside a rich-text wrapper. ForegroundRole colours
/// rows by level; a suspicious request (core/logs/suspicious_request.h) gets a tinted background and
/// a ⚠ after its level. GUI thread only.
class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, TargetColumn, LevelColumn, MessageColumn, ColumnCount };
    /// SuspiciousRole is the kind of attack an access-log line looked like ("sqli"), or empty.
    enum Role { LevelRole = Qt::UserRole + 1, TimestampRole, SuspiciousRole };

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
    /// prependRecords adds an older page above the rows, appendRecords a newer one below; records
    /// already shown (the same line at the page's edge) are skipped. They return how many rows came.
    int prependRecords(std::vector<LogRecord> records);
    int appendRecords(std::vector<LogRecord> records);
    /// rowOf finds the row of the same line (time, target, file, offset, raw), or -1.
    int rowOf(const LogRecord &record) const;
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
    static QVariant ansiSpans(const std::string &message);

    std::vector<LogRecord> m_records;
};

} // namespace pulse
