// ServiceListModel: the targets and their status, for the service list on the left.
#pragma once

#include "core/target_status.h"

#include <QAbstractListModel>

#include <vector>

namespace pulse {

/// ServiceListModel keeps one row per target. DisplayRole is the name (plain text), DecorationRole a
/// status dot, ToolTipRole an HTML-escaped summary with the last error.
class ServiceListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { HealthRole = Qt::UserRole + 1, LastErrorRole };

    explicit ServiceListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    /// setTargets replaces all rows (after a config load).
    void setTargets(std::vector<TargetStatus> statuses);
    /// updateStatus refreshes one row by target name; unknown names are appended.
    void updateStatus(const TargetStatus &status);

    int upCount() const;
    const TargetStatus &statusAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }

private:
    std::vector<TargetStatus> m_rows;
};

} // namespace pulse
