// QueryService: in-memory recent history plus the PromQL engine, on the query thread.
#include "app/pulseboard/query_service.h"

#include "core/memory_history.h"
#include "core/promql/engine.h"
#include "widgets/series_legend.h"

namespace pulse {
QueryService::QueryService(std::int64_t retentionMs, QObject *parent)
    : QObject(parent), m_history(std::make_unique<MemoryHistory>(retentionMs)),
      m_engine(std::make_unique<promql::Engine>(*m_history)), m_retentionMs(retentionMs)
{
}

QueryService::~QueryService() = default;

void QueryService::ingest(MetricBatch batch)
{
    for (const auto &s : batch.samples) {
        m_history->append(s.metric, s.labels, s.timestampMs, s.value);
        m_newestMs = std::max(m_newestMs, s.timestampMs);
    }
    // Keep memory bounded: drop what fell out of the window (cheap when nothing did).
    m_history->dropBefore(m_newestMs - m_retentionMs);
}

void QueryService::query(QueryRequest request)
{
    PanelData data;
    data.panelIndex = request.panelIndex;
    data.generation = request.generation;
    data.startMs = request.startMs;
    data.endMs = request.endMs;
    const std::string expr = request.expr.toStdString();
    auto result = m_engine->rangeQuery(expr, request.startMs, request.endMs, request.stepMs);
    if (!result) {
        data.error = QString::fromStdString(result.error().message);
        emit answered(std::move(data));
        return;
    }
    appendSeries(data, *result, 0, QString(), request.pixelWidth);
    if (request.compareOffsetMs > 0) {
        const std::int64_t offset = request.compareOffsetMs;
        auto past = m_engine->rangeQuery(expr, request.startMs - offset, request.endMs - offset, request.stepMs);
        const QString suffix = offset % (7 * 86'400'000LL) == 0 ? tr(" (week ago)") : tr(" (day ago)");
        if (past)
            appendSeries(data, *past, offset, suffix, request.pixelWidth);
    }
    emit answered(std::move(data));
}

void QueryService::computeUptime(std::int64_t nowMs)
{
    QHash<QString, double> uptime;
    for (const char *expr : {"avg by (job) (avg_over_time(up[24h]))", "avg by (job) (avg_over_time(probe_success[24h]))"}) {
        auto result = m_engine->instantQuery(expr, nowMs);
        if (!result)
            continue;
        for (const auto &s : result->vector)
            uptime.insert(QString::fromStdString(std::string(s.labels.value("job"))), s.value);
    }
    emit uptimeReady(uptime);
}

void QueryService::appendSeries(PanelData &data, const promql::QueryResult &result, std::int64_t shiftMs,
                                const QString &suffix, int pixelWidth)
{
    std::vector<NamedSeries> identities;
    identities.reserve(result.matrix.size());
    for (const auto &s : result.matrix)
        identities.push_back(NamedSeries{s.metric, s.labels});
    const QStringList names = legendNames(identities);
    for (std::size_t i = 0; i < result.matrix.size(); ++i) {
        const auto &s = result.matrix[i];
        PlotSeries plot;
        plot.name = names[static_cast<qsizetype>(i)] + suffix;
        plot.dashed = shiftMs != 0;
        plot.points.reserve(s.points.size());
        for (const auto &p : s.points)
            plot.points.push_back(Point{static_cast<double>(p.timestampMs + shiftMs), p.value});
        plot.points = decimateMinMax(plot.points, static_cast<double>(data.startMs), static_cast<double>(data.endMs),
                                     std::max(16, pixelWidth / 2));
        data.series.push_back(std::move(plot));
    }
}

} // namespace pulse
