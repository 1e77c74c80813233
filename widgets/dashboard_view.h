// DashboardView: a grid of ChartPanels built from one dashboard of the config.
#pragma once

#include "core/config/config.h"
#include "core/plot/plot_series.h"

#include <QWidget>

#include <map>

#include <vector>

class QGridLayout;
class QLabel;
class QTimer;

namespace pulse {

class ChartPanel;

class DashboardView : public QWidget {
    Q_OBJECT
public:
    explicit DashboardView(QWidget *parent = nullptr);

    /// setDashboard rebuilds the grid. An empty dashboard shows a hint on what to do.
    void setDashboard(const DashboardConfig &dashboard);
    /// applyData hands a query answer to its panel. Answers that arrive in a burst (a live refresh
    /// of every panel) are drawn one panel per event-loop turn, so the window repaints and handles
    /// input between panels instead of freezing for the whole dashboard; a newer answer for a panel
    /// still waiting replaces the older one.
    void applyData(PanelData data);
    /// pendingCount is how many answers wait to be drawn; flushPending draws them now (tests, export).
    int pendingCount() const { return static_cast<int>(m_pending.size()); }
    void flushPending();
    void setDarkTheme(bool dark);

    const std::vector<ChartPanel *> &panels() const { return m_panels; }
    const DashboardConfig &dashboard() const { return m_config; }
    /// editPanel opens the editor on panel `index` (-1 adds a new panel at the end).
    void editPanel(int index);
    void removePanel(int index);
    /// replacePanel applies an edit without a dialog (what editPanel does on OK).
    void replacePanel(int index, const PanelConfig &panel);
    QString name() const { return m_name; }

signals:
    /// rangeRequested: a chart was zoomed or panned; the shared range should become [start, end].
    void rangeRequested(std::int64_t startMs, std::int64_t endMs);
    void resetRequested();
    /// pointClicked: a click on a chart at a time, for drill-down into that moment.
    void pointClicked(int panelIndex, std::int64_t timeMs);
    /// edited: the user added, changed or removed a panel; `dashboard` is the new definition.
    void edited(const pulse::DashboardConfig &dashboard);

private:
    QString m_name;
    DashboardConfig m_config;
    QGridLayout *m_grid;
    QLabel *m_empty;
    bool m_dark = false;
    std::vector<ChartPanel *> m_panels;
    void applyNext();

    std::map<int, PanelData> m_pending; ///< by panel index; drawn in index order
    QTimer *m_pace;
};

} // namespace pulse
