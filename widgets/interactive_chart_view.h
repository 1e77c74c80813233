// InteractiveChartView: turns mouse gestures on a chart into time-range requests and hover times.
#pragma once

#include <QChartView>

#include <cstdint>

class QGraphicsRectItem;

namespace pulse {

/// InteractiveChartView never changes its own axes: it asks (signals) and the owner of the shared
/// time range decides, so every chart of a dashboard moves together.
///
/// Gestures: wheel = zoom around the cursor; left-drag = zoom to the dragged span; shift+drag or
/// middle-drag = pan; double-click = back to the default range; hover = crosshair time.
class InteractiveChartView : public QChartView {
    Q_OBJECT
public:
    explicit InteractiveChartView(QChart *chart, QWidget *parent = nullptr);

    /// timeAt maps a view x coordinate to ms since the epoch, using the chart's x axis.
    std::int64_t timeAt(qreal viewX) const;

signals:
    void hovered(std::int64_t timeMs);
    void hoverLeft();
    void rangeRequested(std::int64_t startMs, std::int64_t endMs);
    void resetRequested();
    /// clicked is a click without a drag, at a time (drill-down to the logs of that moment).
    void clicked(std::int64_t timeMs);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    std::pair<std::int64_t, std::int64_t> visibleRange() const;

    enum class Drag { None, Zoom, Pan };
    Drag m_drag = Drag::None;
    QPointF m_pressPos;
    std::pair<std::int64_t, std::int64_t> m_pressRange{0, 0};
    QGraphicsRectItem *m_band = nullptr;
};

} // namespace pulse
