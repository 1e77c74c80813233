// AlertsPanel: the alerts dock — alert instances (filter, acknowledge, silence, drill down), the
// silences, and each rule's health.
#pragma once

#include "core/alerting/alert.h"
#include "core/alerting/silence_list.h"

#include <QWidget>

#include <cstdint>
#include <functional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTabWidget;

namespace pulse {

class AlertTableModel;

/// AlertsPanel only shows and asks: acknowledging, silencing and expiring are requests the alert
/// service (on the query thread) carries out; the next snapshot shows the result.
class AlertsPanel : public QWidget {
    Q_OBJECT
public:
    explicit AlertsPanel(QWidget *parent = nullptr);

    void setAlerts(std::vector<Alert> alerts, std::int64_t nowMs);
    void setSilences(const std::vector<Silence> &silences, std::int64_t nowMs);
    void setHealth(const std::vector<RuleHealth> &health);
    /// setError shows a problem with the rules or the silences file (plain text).
    void setError(const QString &error);

    AlertTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QTableWidget *silencesTable() const { return m_silences; }
    QTableWidget *rulesTable() const { return m_rules; }

    /// openSilenceDialog asks for a silence of the selected alert (prefilled matchers).
    /// `exec` runs the dialog (tests replace it to answer without a modal loop).
    void openSilenceDialog();
    void setDialogRunner(std::function<bool(QDialog &)> exec) { m_exec = std::move(exec); }
    /// drillDown asks to show the selected alert's target around its time.
    void drillDown();
    /// toggleAcknowledge flips the selected alert's acknowledgement.
    void toggleAcknowledge();

signals:
    void acknowledgeRequested(QString key, bool acknowledged);
    void silenceRequested(QString matchers, std::int64_t durationMs, QString comment);
    void expireRequested(quint64 id);
    /// drillDownRequested: show target `job` from startMs to endMs (its charts and its logs).
    void drillDownRequested(QString job, std::int64_t startMs, std::int64_t endMs, std::int64_t atMs);

private:
    int selectedRow() const;
    void updateButtons();

    AlertTableModel *m_model;
    QTabWidget *m_tabs;
    QTableView *m_view;
    QComboBox *m_filter;
    QCheckBox *m_showSilenced;
    QLineEdit *m_search;
    QPushButton *m_ack;
    QPushButton *m_silence;
    QPushButton *m_show;
    QLabel *m_error;
    QTableWidget *m_silences;
    QTableWidget *m_rules;
    std::vector<std::uint64_t> m_silenceIds;
    std::int64_t m_nowMs = 0;
    std::function<bool(QDialog &)> m_exec;
};

} // namespace pulse
