// ChartPanel: QtCharts line chart with a time axis, a unit on the value axis and plain-text labels.
#include "widgets/chart_panel.h"

#include "widgets/display_text.h"
#include "widgets/interactive_chart_view.h"
#include "widgets/tool_tip.h"
#include "widgets/unit_scale.h"

#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QAreaSeries>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace pulse {

ChartPanel::ChartPanel(const QString &title, const QStringList &exprs, const QString &unit, QWidget *parent,
                       PanelKind kind, std::vector<Threshold> thresholds)
    : QFrame(parent), m_title(title), m_exprs(exprs), m_unit(unit), m_titleLabel(new QLabel(title, this)),
      m_errorLabel(new QLabel(this)), m_hiddenLabel(new QLabel(this)), m_statLabel(new QLabel(this)), m_kind(kind), m_thresholds(std::move(thresholds)), m_chart(new QChart), m_axisX(new QDateTimeAxis), m_axisY(new QValueAxis),
      m_annotations(new ChartAnnotations(m_chart))
{
    setFrameShape(QFrame::StyledPanel);
    // Titles come from the config and errors quote expressions: never let Qt guess rich text.
    m_titleLabel->setTextFormat(Qt::PlainText);
    m_titleLabel->setToolTip(plainToolTip(exprs.join(QLatin1Char('\n'))));
    QFont f = m_titleLabel->font();
    f.setBold(true);
    m_titleLabel->setFont(f);
    m_errorLabel->setTextFormat(Qt::PlainText);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_errorLabel->hide();
    m_hiddenLabel->setObjectName(QStringLiteral("hiddenSeries"));
    m_hiddenLabel->setTextFormat(Qt::PlainText);
    m_hiddenLabel->setWordWrap(true);
    m_hiddenLabel->setStyleSheet(QStringLiteral("color: #7f8c8d;"));
    m_hiddenLabel->hide();

    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setShowToolTips(true); // long (elided) legend entries show in full on hover
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_axisX->setFormat(QStringLiteral("HH:mm:ss"));
    m_axisX->setTickCount(5);
    m_axisY->setLabelFormat(QStringLiteral("%.4g"));
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_view = new InteractiveChartView(m_chart, this);
    connect(m_view, &InteractiveChartView::hovered, this, &ChartPanel::hovered);
    connect(m_view, &InteractiveChartView::hoverLeft, this, &ChartPanel::hoverLeft);
    connect(m_view, &InteractiveChartView::rangeRequested, this, &ChartPanel::rangeRequested);
    connect(m_view, &InteractiveChartView::resetRequested, this, &ChartPanel::resetRequested);
    connect(m_view, &InteractiveChartView::clicked, this, &ChartPanel::clicked);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_titleLabel);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_hiddenLabel);
    m_statLabel->setTextFormat(Qt::PlainText);
    m_statLabel->setAlignment(Qt::AlignCenter);
    QFont big = m_statLabel->font();
    big.setPointSizeF(big.pointSizeF() * 2.6);
    big.setBold(true);
    m_statLabel->setFont(big);
    m_statLabel->setVisible(m_kind == PanelKind::Stat);
    layout->addWidget(m_statLabel);
    layout->addWidget(m_view, 1);
    if (m_kind == PanelKind::Stat) {
        // A sparkline: the shape matters, not the axes.
        m_axisX->setVisible(false);
        m_axisY->setVisible(false);
        m_chart->legend()->hide();
        m_view->setMinimumHeight(60);
    }
    applyLines();
}

void ChartPanel::setAlertLines(std::vector<ThresholdLine> lines)
{
    m_alertLines = std::move(lines);
    applyLines();
}

void ChartPanel::applyLines()
{
    if (m_kind == PanelKind::Stat) {
        m_annotations->setLines({}); // a tile colours its value by thresholds instead
        return;
    }
    std::vector<ThresholdLine> lines = m_alertLines;
    for (const auto &t : m_thresholds)
        lines.push_back({t.value, QColor(QString::fromStdString(t.color)), QString::number(t.value, 'g', 6)});
    m_annotations->setLines(std::move(lines));
}

void ChartPanel::showNotices(const PanelData &data)
{
    if (!data.error.isEmpty()) {
        m_errorLabel->setText(data.error);
        m_errorLabel->show();
    } else {
        m_errorLabel->hide();
    }
    if (data.hiddenSeries > 0) {
        m_hiddenLabel->setText(tr("%1 more series not shown: a panel draws at most %2 (narrow the query, or "
                                  "topk(10, …))")
                                   .arg(QString::number(static_cast<qulonglong>(data.hiddenSeries)),
                                        QString::number(static_cast<qulonglong>(PanelData::kMaxSeries))));
        m_hiddenLabel->show();
    } else {
        m_hiddenLabel->hide();
    }
}

std::vector<QList<QPointF>> ChartPanel::decimatedLines(const PanelData &data, ValueRange &range) const
{
    const double xMin = static_cast<double>(data.startMs);
    const double xMax = static_cast<double>(data.endMs);
    const int buckets = std::max(16, m_view->width() / 2);
    std::vector<QList<QPointF>> lines;
    lines.reserve(data.series.size());
    for (const auto &s : data.series) {
        const auto points = decimateMinMax(s.points, xMin, xMax, buckets);
        QList<QPointF> line;
        line.reserve(static_cast<qsizetype>(points.size()));
        for (const auto &p : points) {
            if (!std::isfinite(p.y))
                continue;
            range.min = std::min(range.min, p.y);
            range.max = std::max(range.max, p.y);
            line.append(QPointF(p.x, p.y));
        }
        lines.push_back(std::move(line));
    }
    // Threshold lines are what the panel is judged against: keep them on the value axis when there is
    // data to compare them with.
    if (range.min <= range.max) {
        for (const auto &line : m_annotations->lines()) {
            if (std::isfinite(line.value)) {
                range.min = std::min(range.min, line.value);
                range.max = std::max(range.max, line.value);
            }
        }
    }
    return lines;
}

void ChartPanel::setAxes(const PanelData &data, ValueRange range)
{
    if (!(range.min <= range.max)) {
        range = {0, 1};
    } else if (range.min == range.max) {
        range.min -= std::max(1.0, std::abs(range.min) * 0.1);
        range.max += std::max(1.0, std::abs(range.max) * 0.1);
    } else {
        const double pad = (range.max - range.min) * 0.05;
        range.max += pad;
        range.min = range.min >= 0 && range.min - pad < 0 ? 0 : range.min - pad;
    }
    m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(data.startMs), QDateTime::fromMSecsSinceEpoch(data.endMs));
    // Round tick values (so "%g" labels never repeat), computed here so an unchanged value range —
    // the common case for a live chart — does not make QtCharts lay the axis labels out again.
    QValueAxis nice;
    nice.setTickCount(m_axisY->tickCount());
    nice.setRange(range.min, range.max);
    nice.applyNiceNumbers();
    if (nice.min() != m_axisY->min() || nice.max() != m_axisY->max() || nice.tickCount() != m_axisY->tickCount()) {
        m_axisY->setRange(nice.min(), nice.max());
        m_axisY->setTickCount(nice.tickCount());
    }
}

void ChartPanel::setData(PanelData data)
{
    showNotices(data);
    ValueRange range;
    std::vector<QList<QPointF>> lines = decimatedLines(data, range);
    // Scale to a readable unit (bytes → MiB, seconds → ms) before the axis sees the numbers.
    const UnitScale scale = chooseUnitScale(m_unit, std::max(std::abs(range.min), std::abs(range.max)));
    if (scale.divisor != 1 && range.min <= range.max) {
        for (auto &line : lines)
            for (auto &p : line)
                p.setY(p.y() / scale.divisor);
        range.min /= scale.divisor;
        range.max /= scale.divisor;
    }
    const QString axisTitle = scale.label.toHtmlEscaped(); // axis titles are HTML
    if (m_axisY->titleText() != axisTitle)
        m_axisY->setTitleText(axisTitle);
    // Axes first: changing a range after the points are in makes QtCharts redo all the work.
    setAxes(data, range);

    if (m_kind == PanelKind::Area)
        drawAreas(lines, data);
    else
        drawLines(lines, data);
    if (m_kind == PanelKind::Stat)
        updateStat(lines, scale.divisor, scale.label);
    connectLegendMarkers();
    m_annotations->setDivisor(scale.divisor);
    m_annotations->setBands(data.bands); // a copy: m_data keeps them for redraws
    m_data = std::move(data); // kept for the crosshair and export; moved, never copied
    if (!m_axisLabelsRefreshed && !lines.empty()) {
        // Qt 6.4: a QDateTimeAxis whose range was set while its view showed no series never lays
        // out its labels; toggling them once, after the first series arrive, makes it do so.
        m_axisX->setLabelsVisible(false);
        m_axisX->setLabelsVisible(true);
        m_axisLabelsRefreshed = true;
    }
    if (m_chart->legend()->isVisible() != (lines.size() <= 8) && m_kind != PanelKind::Stat)
        m_chart->legend()->setVisible(lines.size() <= 8);
}

void ChartPanel::drawLines(const std::vector<QList<QPointF>> &lines, const PanelData &data)
{
    // Line series are reused across updates: live refreshes replace points, they don't rebuild.
    auto existing = m_chart->series();
    if (!existing.isEmpty() && !qobject_cast<QLineSeries *>(existing.first())) {
        m_chart->removeAllSeries();
        existing.clear();
    }
    while (existing.size() > static_cast<qsizetype>(lines.size())) {
        m_chart->removeSeries(existing.last());
        delete existing.takeLast();
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        QLineSeries *series = nullptr;
        if (static_cast<qsizetype>(i) < existing.size()) {
            series = static_cast<QLineSeries *>(existing[static_cast<qsizetype>(i)]);
        } else {
            series = new QLineSeries;
            m_chart->addSeries(series);
            series->attachAxis(m_axisX);
            series->attachAxis(m_axisY);
        }
        // QtCharts renders legend labels as HTML: escape, so label values show literally. Names and
        // pens are set only when they change: each set re-lays out the legend or the series.
        const QString name = neutraliseBidi(data.series[i].name).toHtmlEscaped();
        if (series->name() != name)
            series->setName(name);
        QPen pen = series->pen();
        const Qt::PenStyle style = data.series[i].dashed ? Qt::DashLine : Qt::SolidLine;
        const qreal width = data.series[i].dashed ? 1.0 : 1.6;
        if (pen.style() != style || pen.widthF() != width) {
            pen.setStyle(style);
            pen.setWidthF(width);
            series->setPen(pen);
        }
        series->replace(lines[i]);
    }
}

void ChartPanel::drawAreas(const std::vector<QList<QPointF>> &lines, const PanelData &data)
{
    // Stacked: each area sits on the sum of the ones before it at the same time (range queries
    // share their steps; a missing step counts as 0).
    m_chart->removeAllSeries();
    std::map<double, double> base;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto *lower = new QLineSeries;
        auto *upper = new QLineSeries;
        for (const QPointF &p : lines[i]) {
            const double below = base[p.x()];
            lower->append(p.x(), below);
            upper->append(p.x(), below + p.y());
            base[p.x()] = below + p.y();
        }
        auto *area = new QAreaSeries(upper, lower);
        upper->setParent(area);
        lower->setParent(area);
        area->setName(neutraliseBidi(data.series[i].name).toHtmlEscaped()); // legend labels are HTML
        QColor fill = area->color();
        m_chart->addSeries(area);
        fill = area->color();
        fill.setAlphaF(0.55);
        area->setColor(fill);
        area->attachAxis(m_axisX);
        area->attachAxis(m_axisY);
    }
}

void ChartPanel::updateStat(const std::vector<QList<QPointF>> &lines, double divisor, const QString &unitLabel)
{
    if (lines.empty() || lines.front().isEmpty()) {
        m_statLabel->setText(QStringLiteral("–"));
        m_statLabel->setStyleSheet(QString());
        return;
    }
    const double shown = lines.front().last().y();
    const double raw = shown * divisor;
    m_statLabel->setText(QStringLiteral("%1 %2").arg(shown, 0, 'g', 4).arg(unitLabel).trimmed());
    // The highest threshold reached picks the colour (thresholds are in the panel's raw unit).
    const Threshold *reached = nullptr;
    for (const auto &t : m_thresholds)
        if (raw >= t.value && (!reached || t.value >= reached->value))
            reached = &t;
    const QColor color = reached ? QColor(QString::fromStdString(reached->color)) : QColor();
    m_statLabel->setStyleSheet(color.isValid() ? QStringLiteral("color: %1;").arg(color.name()) : QString());
}

QString ChartPanel::statText() const
{
    return m_statLabel->text();
}

void ChartPanel::connectLegendMarkers()
{
    // Markers come and go with their series; connect each new one once.
    static const char *const kConnected = "pulseClickConnected";
    for (QLegendMarker *marker : m_chart->legend()->markers()) {
        if (marker->property(kConnected).toBool())
            continue;
        marker->setProperty(kConnected, true);
        connect(marker, &QLegendMarker::clicked, this, [this, marker] {
            const auto all = m_chart->series();
            const int index = static_cast<int>(all.indexOf(marker->series()));
            setSeriesVisible(index, !marker->series()->isVisible());
        });
    }
}

void ChartPanel::setSeriesVisible(int series, bool visible)
{
    const auto all = m_chart->series();
    if (series < 0 || series >= all.size())
        return;
    all[series]->setVisible(visible);
    // A hidden series keeps its legend entry, dimmed, so it can be shown again.
    for (QLegendMarker *marker : m_chart->legend()->markers(all[series])) {
        marker->setVisible(true);
        QColor c = marker->labelBrush().color();
        c.setAlphaF(visible ? 1.0 : 0.4);
        marker->setLabelBrush(c);
    }
}

void ChartPanel::setDarkTheme(bool dark)
{
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundRoundness(0);
    // The theme resets pens; redraw the last data so dashes and widths come back.
    if (!m_data.series.empty())
        setData(PanelData(m_data));
}

bool ChartPanel::isSeriesVisible(int series) const
{
    const auto all = m_chart->series();
    return series >= 0 && series < all.size() && all[series]->isVisible();
}

void ChartPanel::setCrosshair(std::int64_t timeMs)
{
    if (m_data.series.empty() || timeMs < m_data.startMs || timeMs > m_data.endMs) {
        clearCrosshair();
        return;
    }
    if (!m_crosshairLine) {
        m_crosshairLine = new QGraphicsLineItem(m_chart);
        m_crosshairLine->setPen(QPen(QColor(127, 140, 141), 1, Qt::DashLine));
        m_crosshairBox = new QGraphicsRectItem(m_chart);
        m_crosshairBox->setBrush(QColor(255, 255, 255, 225));
        m_crosshairBox->setPen(QPen(QColor(189, 195, 199)));
        // QGraphicsSimpleTextItem draws plain text: label values can't become markup here.
        m_crosshairText = new QGraphicsSimpleTextItem(m_crosshairBox);
        m_crosshairLine->setZValue(10);
        m_crosshairBox->setZValue(11);
    }
    QStringList lines;
    lines << QDateTime::fromMSecsSinceEpoch(timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const auto all = m_chart->series();
    for (std::size_t i = 0; i < m_data.series.size(); ++i) {
        if (static_cast<qsizetype>(i) < all.size() && !all[static_cast<qsizetype>(i)]->isVisible())
            continue;
        const auto &pts = m_data.series[i].points;
        auto it = std::upper_bound(pts.begin(), pts.end(), static_cast<double>(timeMs),
                                   [](double t, const Point &p) { return t < p.x; });
        if (it == pts.begin())
            continue;
        --it;
        // One multi-argument arg(): chained ones would read a "%1" inside a label value as a placeholder.
        lines << QStringLiteral("%1: %2 %3").arg(neutraliseBidi(m_data.series[i].name), QString::number(it->y, 'g', 6), m_unit);
    }
    m_crosshairText->setText(lines.join(QLatin1Char('\n')));
    const QRectF plot = m_chart->plotArea();
    const qreal x = m_chart->mapToPosition(QPointF(static_cast<double>(timeMs), 0)).x();
    m_crosshairLine->setLine(x, plot.top(), x, plot.bottom());
    const QRectF textRect = m_crosshairText->boundingRect().adjusted(-4, -2, 4, 2);
    qreal boxX = x + 8;
    if (boxX + textRect.width() > plot.right())
        boxX = x - 8 - textRect.width();
    m_crosshairBox->setRect(QRectF(0, 0, textRect.width(), textRect.height()));
    m_crosshairBox->setPos(boxX, plot.top() + 4);
    m_crosshairText->setPos(4, 2);
    m_crosshairLine->show();
    m_crosshairBox->show();
}

void ChartPanel::clearCrosshair()
{
    if (m_crosshairLine) {
        m_crosshairLine->hide();
        m_crosshairBox->hide();
    }
}

QString ChartPanel::crosshairText() const
{
    return m_crosshairBox && m_crosshairBox->isVisible() ? m_crosshairText->text() : QString();
}

int ChartPanel::seriesCount() const
{
    return static_cast<int>(m_chart->series().size());
}

qsizetype ChartPanel::pointCount(int series) const
{
    const auto all = m_chart->series();
    if (series < 0 || series >= all.size())
        return 0;
    if (auto *line = qobject_cast<QLineSeries *>(all[series]))
        return line->count();
    auto *area = qobject_cast<QAreaSeries *>(all[series]);
    return area ? area->upperSeries()->count() : 0;
}

QString ChartPanel::errorText() const
{
    return m_errorLabel->isVisible() ? m_errorLabel->text() : QString();
}

} // namespace pulse
