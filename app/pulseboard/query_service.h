// QueryService: answers panel queries off the GUI thread, over the live in-memory history.
#pragma once

#include "app/pulseboard/query_request.h"
#include "core/metric_batch.h"
#include "widgets/plot_series.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>

namespace pulse {

class MemoryHistory;
namespace promql {
class Engine;
struct QueryResult;
} // namespace promql

/// QueryService lives on its own QThread. It keeps the recent samples of every series in memory
/// (bounded by a retention window) and evaluates PromQL range queries over them.
///
/// Threading: every slot runs on the service's thread; talk to it only through queued signals.
class QueryService : public QObject {
    Q_OBJECT
public:
    explicit QueryService(std::int64_t retentionMs, QObject *parent = nullptr);
    ~QueryService() override;

public slots:
    void ingest(pulse::MetricBatch batch);
    void query(pulse::QueryRequest request);
    /// computeUptime answers every target's share of successful runs over the 24 h before nowMs
    /// (`up`, or `probe_success` for checks), keyed by job.
    void computeUptime(std::int64_t nowMs);

signals:
    void answered(pulse::PanelData data);
    void uptimeReady(QHash<QString, double> uptime);

private:
    /// appendSeries adds a result's series to `data`, moved forward by shiftMs (for comparisons).
    static void appendSeries(PanelData &data, const promql::QueryResult &result, std::int64_t shiftMs,
                             const QString &suffix, int pixelWidth);

    std::unique_ptr<MemoryHistory> m_history;
    std::unique_ptr<promql::Engine> m_engine;
    std::int64_t m_retentionMs;
    std::int64_t m_newestMs = 0;
};

} // namespace pulse
