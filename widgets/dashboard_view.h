// DashboardView: a grid of ChartPanels built from one dashboard of the config.
#pragma once

#include "core/config.h"
#include "widgets/plot_series.h"

#include <QWidget>

#include <vector>

class QGridLayout;
class QLabel;

namespace pulse {

class ChartPanel;

class DashboardView : public QWidget {
    Q_OBJECT
public:
    explicit DashboardView(QWidget *parent = nullptr);

    /// setDashboard rebuilds the grid. An empty dashboard shows a hint on what to do.
    void setDashboard(const DashboardConfig &dashboard);
    /// applyData hands a query answer to its panel.
    void applyData(PanelData data);
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
};

} // namespace pulse
