// InteractiveChartView: wheel zoom, drag zoom, pan, reset, hover — as requests, not axis changes.
#include "widgets/interactive_chart_view.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsRectItem>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace pulse {
namespace {
constexpr qreal kMinDragPixels = 6;
constexpr std::int64_t kMinSpanMs = 10'000;
} // namespace

InteractiveChartView::InteractiveChartView(QChart *chart, QWidget *parent) : QChartView(chart, parent)
{
    setMouseTracking(true);
    viewport()->setMouseTracking(true); // hover events without a button pressed
    setRubberBand(QChartView::NoRubberBand);
}

std::pair<std::int64_t, std::int64_t> InteractiveChartView::visibleRange() const
{
    const auto axes = chart()->axes(Qt::Horizontal);
    if (axes.isEmpty())
        return {0, 0};
    const auto *axis = qobject_cast<QDateTimeAxis *>(axes.first());
    if (!axis)
        return {0, 0};
    return {axis->min().toMSecsSinceEpoch(), axis->max().toMSecsSinceEpoch()};
}

std::int64_t InteractiveChartView::timeAt(qreal viewX) const
{
    const QRectF plot = chart()->plotArea();
    const auto [start, end] = visibleRange();
    if (plot.width() <= 0 || end <= start)
        return start;
    const QPointF scenePos = mapToScene(QPoint(static_cast<int>(viewX), 0));
    const qreal chartX = chart()->mapFromScene(scenePos).x();
    const qreal f = std::clamp((chartX - plot.left()) / plot.width(), 0.0, 1.0);
    return start + static_cast<std::int64_t>(std::llround(f * static_cast<double>(end - start)));
}

void InteractiveChartView::wheelEvent(QWheelEvent *event)
{
    const auto [start, end] = visibleRange();
    if (end <= start || event->angleDelta().y() == 0) {
        event->ignore();
        return;
    }
    // Zoom around the cursor: the time under it stays under it.
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    const std::int64_t pivot = timeAt(event->position().x());
    const double span = std::max<double>(kMinSpanMs, static_cast<double>(end - start) * factor);
    const double left = static_cast<double>(pivot - start) / static_cast<double>(end - start);
    const auto newStart = pivot - static_cast<std::int64_t>(left * span);
    emit rangeRequested(newStart, newStart + static_cast<std::int64_t>(span));
    event->accept();
}

void InteractiveChartView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position();
    m_pressRange = visibleRange();
    const bool pan = event->button() == Qt::MiddleButton ||
                     (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    m_drag = pan ? Drag::Pan : (event->button() == Qt::LeftButton ? Drag::Zoom : Drag::None);
    event->accept();
}

void InteractiveChartView::mouseMoveEvent(QMouseEvent *event)
{
    emit hovered(timeAt(event->position().x()));
    if (m_drag == Drag::Zoom && std::abs(event->position().x() - m_pressPos.x()) >= kMinDragPixels) {
        if (!m_band) {
            m_band = new QGraphicsRectItem(chart());
            m_band->setBrush(QColor(52, 152, 219, 50));
            m_band->setPen(QPen(QColor(52, 152, 219), 1));
        }
        const QRectF plot = chart()->plotArea();
        const qreal x0 = chart()->mapFromScene(mapToScene(m_pressPos.toPoint())).x();
        const qreal x1 = chart()->mapFromScene(mapToScene(event->position().toPoint())).x();
        m_band->setRect(QRectF(QPointF(std::clamp(std::min(x0, x1), plot.left(), plot.right()), plot.top()),
                               QPointF(std::clamp(std::max(x0, x1), plot.left(), plot.right()), plot.bottom())));
    } else if (m_drag == Drag::Pan) {
        const QRectF plot = chart()->plotArea();
        const auto [start, end] = m_pressRange;
        if (plot.width() > 0 && end > start) {
            const double msPerPixel = static_cast<double>(end - start) / plot.width();
            const auto shift = static_cast<std::int64_t>((m_pressPos.x() - event->position().x()) * msPerPixel);
            emit rangeRequested(start + shift, end + shift);
        }
    }
    QChartView::mouseMoveEvent(event);
}

void InteractiveChartView::mouseReleaseEvent(QMouseEvent *event)
{
    const qreal dx = std::abs(event->position().x() - m_pressPos.x());
    if (m_drag == Drag::Zoom) {
        if (dx >= kMinDragPixels) {
            const auto a = timeAt(m_pressPos.x());
            const auto b = timeAt(event->position().x());
            if (std::abs(b - a) >= 1000)
                emit rangeRequested(std::min(a, b), std::max(a, b));
        } else {
            emit clicked(timeAt(event->position().x()));
        }
    }
    delete m_band;
    m_band = nullptr;
    m_drag = Drag::None;
    event->accept();
}

void InteractiveChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    emit resetRequested();
    event->accept();
}

void InteractiveChartView::leaveEvent(QEvent *event)
{
    emit hoverLeft();
    QChartView::leaveEvent(event);
}

} // namespace pulse
