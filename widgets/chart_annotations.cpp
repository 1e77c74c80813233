// ChartAnnotations: graphics items mapped onto the chart's axes.
#include "widgets/chart_annotations.h"

#include "widgets/tool_tip.h"

#include <QBrush>
#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>

#include <algorithm>

namespace pulse {
namespace {

QColor bandColor(const QString &severity)
{
    if (severity == QLatin1String("critical") || severity == QLatin1String("page"))
        return {231, 76, 60, 46};
    if (severity == QLatin1String("info"))
        return {52, 152, 219, 40};
    return {243, 156, 18, 46};
}

} // namespace

ChartAnnotations::ChartAnnotations(QChart *chart) : QObject(chart), m_chart(chart)
{
    connect(m_chart, &QChart::plotAreaChanged, this, &ChartAnnotations::update);
}

ChartAnnotations::~ChartAnnotations() = default; // the items are children of the chart

void ChartAnnotations::setLines(std::vector<ThresholdLine> lines)
{
    m_lines = std::move(lines);
    rebuildItems();
}

void ChartAnnotations::setBands(std::vector<AlertBand> bands)
{
    m_bands = std::move(bands);
    rebuildItems();
}

void ChartAnnotations::setDivisor(double divisor)
{
    m_divisor = divisor > 0 ? divisor : 1;
}

void ChartAnnotations::rebuildItems()
{
    // Items are reused: a live chart gets new bands every second and should not churn the scene.
    while (m_lineItems.size() < m_lines.size()) {
        auto *line = new QGraphicsLineItem(m_chart);
        line->setZValue(6);
        auto *label = new QGraphicsSimpleTextItem(m_chart); // plain text, never markup
        label->setZValue(6);
        m_lineItems.push_back(line);
        m_lineLabels.push_back(label);
    }
    while (m_bandItems.size() < m_bands.size()) {
        auto *rect = new QGraphicsRectItem(m_chart);
        rect->setPen(Qt::NoPen);
        rect->setZValue(-1); // under the series
        m_bandItems.push_back(rect);
    }
    for (std::size_t i = 0; i < m_lineItems.size(); ++i) {
        const bool used = i < m_lines.size();
        m_lineItems[i]->setVisible(used);
        m_lineLabels[i]->setVisible(used);
        if (!used)
            continue;
        QPen pen(m_lines[i].color.isValid() ? m_lines[i].color : QColor(231, 76, 60));
        pen.setStyle(Qt::DashDotLine);
        pen.setWidthF(1.2);
        m_lineItems[i]->setPen(pen);
        m_lineLabels[i]->setText(m_lines[i].label);
        m_lineLabels[i]->setBrush(pen.color());
    }
    for (std::size_t i = 0; i < m_bandItems.size(); ++i) {
        const bool used = i < m_bands.size();
        m_bandItems[i]->setVisible(used);
        if (used) {
            m_bandItems[i]->setBrush(bandColor(m_bands[i].severity));
            m_bandItems[i]->setToolTip(plainToolTip(tr("%1 firing").arg(m_bands[i].alertName)));
        }
    }
    update();
}

void ChartAnnotations::update()
{
    const QRectF plot = m_chart->plotArea();
    if (plot.isEmpty() || m_chart->series().isEmpty()) {
        for (auto *item : m_lineItems)
            item->hide();
        for (auto *item : m_lineLabels)
            item->hide();
        for (auto *item : m_bandItems)
            item->hide();
        return;
    }
    auto *series = m_chart->series().first();
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const qreal y = m_chart->mapToPosition(QPointF(0, m_lines[i].value / m_divisor), series).y();
        const bool inside = y >= plot.top() - 0.5 && y <= plot.bottom() + 0.5;
        m_lineItems[i]->setVisible(inside);
        m_lineLabels[i]->setVisible(inside);
        m_lineItems[i]->setLine(plot.left(), y, plot.right(), y);
        const QRectF text = m_lineLabels[i]->boundingRect();
        m_lineLabels[i]->setPos(plot.right() - text.width() - 4, y - text.height() - 1);
    }
    for (std::size_t i = 0; i < m_bands.size(); ++i) {
        qreal x0 = m_chart->mapToPosition(QPointF(static_cast<double>(m_bands[i].startMs), 0), series).x();
        qreal x1 = m_chart->mapToPosition(QPointF(static_cast<double>(m_bands[i].endMs), 0), series).x();
        x0 = std::clamp(x0, plot.left(), plot.right());
        x1 = std::clamp(x1, plot.left(), plot.right());
        m_bandItems[i]->setVisible(x1 > x0);
        m_bandItems[i]->setRect(QRectF(x0, plot.top(), std::max<qreal>(x1 - x0, 2), plot.height()));
    }
}

int ChartAnnotations::visibleBandCount() const
{
    return static_cast<int>(std::ranges::count_if(m_bandItems, [](const auto *i) { return i->isVisible(); }));
}

int ChartAnnotations::visibleLineCount() const
{
    return static_cast<int>(std::ranges::count_if(m_lineItems, [](const auto *i) { return i->isVisible(); }));
}

const AlertBand *ChartAnnotations::bandAt(std::int64_t timeMs) const
{
    for (const auto &b : m_bands)
        if (timeMs >= b.startMs && timeMs <= b.endMs)
            return &b;
    return nullptr;
}

} // namespace pulse
