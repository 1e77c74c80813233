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
    auto result = m_engine->rangeQuery(request.expr.toStdString(), request.startMs, request.endMs, request.stepMs);
    if (!result) {
        data.error = QString::fromStdString(result.error().message);
    } else {
        std::vector<NamedSeries> identities;
        identities.reserve(result->matrix.size());
        for (const auto &s : result->matrix)
            identities.push_back(NamedSeries{s.metric, s.labels});
        const QStringList names = legendNames(identities);
        data.series.reserve(result->matrix.size());
        for (std::size_t i = 0; i < result->matrix.size(); ++i) {
            const auto &s = result->matrix[i];
            PlotSeries plot;
            plot.name = names[static_cast<qsizetype>(i)];
            plot.points.reserve(s.points.size());
            for (const auto &p : s.points)
                plot.points.push_back(Point{static_cast<double>(p.timestampMs), p.value});
            data.series.push_back(std::move(plot));
        }
    }
    emit answered(std::move(data));
}

} // namespace pulse
