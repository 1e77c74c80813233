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
    void applyData(const PanelData &data);

    const std::vector<ChartPanel *> &panels() const { return m_panels; }
    QString name() const { return m_name; }

private:
    QString m_name;
    QGridLayout *m_grid;
    QLabel *m_empty;
    std::vector<ChartPanel *> m_panels;
};

} // namespace pulse
