// AlertTableModel: the alerts dock's rows — one per alert instance, firing first.
#pragma once

#include "core/alerting/alert.h"

#include <QAbstractTableModel>

#include <vector>

namespace pulse {

/// AlertTableModel shows what the rule engine reported. Everything in it comes from rules and
/// targets, so it is display text only (views draw DisplayRole as plain text; tooltips are escaped).
class AlertTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StateColumn, AlertColumn, SeverityColumn, LabelsColumn, SinceColumn, ValueColumn, SummaryColumn, ColumnCount };
    enum Role {
        KeyRole = Qt::UserRole + 1, ///< Alert::key(), for acknowledge
        JobRole,                    ///< the `job` label, for drill-down
        ActiveAtRole,               ///< ms since the epoch
        EndRole,                    ///< resolvedAt, or 0 while active
        StateRole,                  ///< AlertState as int
        SilencedRole,               ///< bool
        AcknowledgedRole,           ///< bool
        MatchersRole,               ///< a silence matcher text for this alert: {alertname="X", job="y"}
    };
    /// Filter picks which rows show.
    enum class Filter { All, Firing, Pending, Resolved };

    explicit AlertTableModel(QObject *parent = nullptr);

    /// setAlerts replaces the rows; nowMs is the evaluation time ("for 3m" is measured to it).
    void setAlerts(std::vector<Alert> alerts, std::int64_t nowMs);
    void setFilter(Filter filter);
    /// setShowSilenced hides or shows silenced alerts (shown by default, dimmed).
    void setShowSilenced(bool show);
    /// setTextFilter keeps rows whose alert name, labels or summary contain `text` (case-insensitive).
    void setTextFilter(const QString &text);

    int firingCount() const;
    int pendingCount() const;
    const Alert *alertAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void rebuildRows();
    bool accepts(const Alert &alert) const;

    std::vector<Alert> m_all;
    std::vector<std::size_t> m_rows; ///< indexes into m_all, in display order
    std::int64_t m_nowMs = 0;
    Filter m_filter = Filter::All;
    bool m_showSilenced = true;
    QString m_text;
};

/// alertStateText: "firing", "pending", "resolved", with "· acked" / "· silenced" when they apply.
QString alertStateText(const Alert &alert);
/// durationText: 0 → "0s", 200000 → "3m 20s", 90000000 → "1d 1h".
QString durationText(std::int64_t ms);

} // namespace pulse
