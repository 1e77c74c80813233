// ServiceListModel: the targets and their status, for the service list on the left.
#pragma once

#include "core/base/target_status.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPixmap>
#include <QString>

#include <array>
#include <vector>

namespace pulse {

/// ServiceListModel keeps one row per target; columns: name (with a status dot), uptime over the
/// last 24 h, and the last run. DisplayRole is plain text; ToolTipRole is an HTML-escaped summary with
/// the last error.
class ServiceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { HealthRole = Qt::UserRole + 1, LastErrorRole, NameRole };
    enum Column { NameColumn, UptimeColumn, LastRunColumn, ColumnCount };

    explicit ServiceListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// setUptime sets each target's share of successful runs over the last 24 h (0..1), by name.
    void setUptime(const QHash<QString, double> &uptimeByTarget);
    /// setNow sets the time "last run … ago" is measured from (the app's clock; tests pin it).
    void setNow(std::int64_t nowMs);

    /// setTargets replaces all rows (after a config load).
    void setTargets(std::vector<TargetStatus> statuses);
    /// updateStatus refreshes one row by target name; unknown names are appended.
    void updateStatus(const TargetStatus &status);
    /// updateStatuses refreshes many rows at once (one dataChanged over the rows that changed), so the
    /// GUI's cost is per refresh, not per probe run.
    void updateStatuses(const std::vector<TargetStatus> &statuses);

    int upCount() const;
    const TargetStatus &statusAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    /// widestText is the widest text a column's cells show (not its header), so a view can give the
    /// column a fixed width: sizing it to its contents measured every row at every update.
    static QString widestText(Column column);

private:
    std::vector<TargetStatus> m_rows;
    QHash<QString, int> m_rowByName;
    QHash<QString, double> m_uptime;
    std::int64_t m_nowMs = 0;
    // One status dot per health, drawn at first use and then returned as the same pixmap: a new pixmap
    // per data() call has a new cache key, so the view's icon cache took a new entry per row per repaint
    // (the GUI's resident memory grew ~0.5 MiB a minute at 200 targets, up to QPixmapCache's limit).
    mutable std::array<QPixmap, 4> m_dots;
};

} // namespace pulse
