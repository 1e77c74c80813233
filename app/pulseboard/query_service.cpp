// QueryService: in-memory recent history plus the PromQL engine, on the query thread.
#include "app/pulseboard/query_service.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include "core/memory_history.h"
#include "core/promql/engine.h"
#include "storage/sample_writer.h"
#include "storage/sqlite_history.h"
#include "widgets/series_legend.h"

namespace pulse {
QueryService::QueryService(std::int64_t retentionMs, const LogReader &logs, QObject *parent)
    : QObject(parent), m_logs(logs), m_history(std::make_unique<MemoryHistory>(retentionMs)), m_retentionMs(retentionMs)
{
}

QueryService::~QueryService()
{
    closeStore();
}

void QueryService::openStore(const QString &path, std::int64_t rawRetentionMs, std::int64_t m1RetentionMs,
                             std::int64_t h1RetentionMs)
{
    m_storePath = path;
    QDir().mkpath(QFileInfo(path).absolutePath());
    storage::SampleWriterOptions options;
    options.retention = storage::RetentionMs{rawRetentionMs, m1RetentionMs, h1RetentionMs};
    auto writer = storage::SampleWriter::open(path.toStdString(), options);
    if (!writer) {
        m_storeError = QString::fromStdString(writer.error().message);
        reportStatus();
        return;
    }
    auto reader = storage::SqliteHistory::open(path.toStdString());
    if (!reader) {
        m_storeError = QString::fromStdString(reader.error().message);
        reportStatus();
        return;
    }
    m_writer = std::move(*writer);
    m_store = std::move(*reader);
    m_storeError.clear();
    reportStatus();
}

void QueryService::closeStore()
{
    if (m_writer)
        m_writer->stop();
    m_writer.reset();
    m_store.reset();
}

std::optional<WriterFigures> QueryService::writerFigures() const
{
    if (!m_writer)
        return std::nullopt;
    const auto w = m_writer->status();
    WriterFigures f;
    f.ok = w.ok;
    f.committedSamples = w.committedSamples;
    f.droppedSamples = w.droppedSamples;
    f.outOfOrderSamples = w.outOfOrderSamples;
    f.seriesCount = w.seriesCount;
    f.lagMs = w.committedUpToMs > 0 ? std::max<std::int64_t>(0, m_newestMs - w.committedUpToMs) : 0;
    // The WAL holds recent commits until a checkpoint: count it, it is disk the user pays for.
    f.fileBytes = QFileInfo(m_storePath).size() + QFileInfo(m_storePath + QStringLiteral("-wal")).size();
    return f;
}

void QueryService::reportStatus()
{
    StoreStatus status;
    status.path = m_storePath;
    status.open = m_writer != nullptr;
    status.error = m_storeError;
    if (const auto f = writerFigures()) {
        status.writerLagMs = f->lagMs;
        status.droppedSamples = f->droppedSamples;
        if (!f->ok)
            status.error = QString::fromStdString(m_writer->status().error);
        status.fileBytes = f->fileBytes;
    }
    emit storeStatus(status);
}

void QueryService::collectSelfMetrics(std::int64_t nowMs)
{
    ingest(selfMetricsBatch(m_selfCounters, writerFigures(), nowMs));
}

void QueryService::startSelfMetrics(int intervalMs)
{
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [this] { collectSelfMetrics(QDateTime::currentMSecsSinceEpoch()); });
    timer->start(intervalMs);
}

void QueryService::queryLogs(const LogQuery &query)
{
    LogQueryAnswer answer;
    answer.generation = query.generation;
    auto records = m_logs.query(query);
    if (records)
        answer.records = std::move(*records);
    else
        answer.error = records.error().message;
    emit logsAnswered(std::move(answer));
}

void QueryService::ingest(MetricBatch batch)
{
    for (const auto &s : batch.samples) {
        m_history->append(s.metric, s.labels, s.timestampMs, s.value);
        m_newestMs = std::max(m_newestMs, s.timestampMs);
        if (m_oldestInMemoryMs == 0 || s.timestampMs < m_oldestInMemoryMs)
            m_oldestInMemoryMs = s.timestampMs;
    }
    // Keep memory bounded: drop what fell out of the window (cheap when nothing did).
    m_history->dropBefore(m_newestMs - m_retentionMs);
    m_oldestInMemoryMs = std::max(m_oldestInMemoryMs, m_newestMs - m_retentionMs);
    if (m_writer)
        m_writer->append(std::move(batch)); // never blocks: a full queue drops and counts
}

const HistoryReader &QueryService::readerFor(std::int64_t startMs, std::int64_t stepMs) const
{
    // Memory holds everything since it started (within its window) and never lags the writer; the
    // store holds the past. A range that begins before memory does goes to the store. The 5-minute
    // lookback needs memory to reach that far back too.
    constexpr std::int64_t kLookbackMs = 5 * 60 * 1000;
    if (!m_store || (m_oldestInMemoryMs > 0 && startMs - kLookbackMs >= m_oldestInMemoryMs))
        return *m_history;
    return m_store->readerForStep(stepMs);
}

void QueryService::query(const QueryRequest &request)
{
    PanelData data;
    data.panelIndex = request.panelIndex;
    data.generation = request.generation;
    data.startMs = request.startMs;
    data.endMs = request.endMs;
    const bool several = request.exprs.size() > 1;
    for (const QString &text : request.exprs) {
        const std::string expr = text.toStdString();
        const promql::Engine engine(readerFor(request.startMs, request.stepMs));
        auto result = engine.rangeQuery(expr, request.startMs, request.endMs, request.stepMs);
        if (!result) {
            // One bad expression does not hide the others' series.
            if (!data.error.isEmpty())
                data.error += QLatin1Char('\n');
            data.error += (several ? text + QStringLiteral(": ") : QString()) + QString::fromStdString(result.error().message);
            continue;
        }
        const QString prefix = several ? text + QLatin1Char(' ') : QString();
        appendSeries(data, *result, 0, QString(), request, prefix);
        if (request.compareOffsetMs > 0) {
            const std::int64_t offset = request.compareOffsetMs;
            const promql::Engine pastEngine(readerFor(request.startMs - offset, request.stepMs));
            auto past = pastEngine.rangeQuery(expr, request.startMs - offset, request.endMs - offset, request.stepMs);
            const QString suffix = offset % (7 * 86'400'000LL) == 0 ? tr(" (week ago)") : tr(" (day ago)");
            if (past)
                appendSeries(data, *past, offset, suffix, request, prefix);
        }
    }
    if (!request.bandSelector.isEmpty())
        data.bands = alertBands(request);
    emit answered(std::move(data));
}

std::vector<AlertBand> QueryService::alertBands(const QueryRequest &request) const
{
    // ALERTS holds 1 at every evaluation while an alert is pending or firing and ends with a
    // staleness marker, so a range query at the panel's step shows each firing spell as a run of
    // points; a step without a point ends the band.
    std::vector<AlertBand> bands;
    const promql::Engine engine(readerFor(request.startMs, request.stepMs));
    auto result =
        engine.rangeQuery(request.bandSelector.toStdString(), request.startMs, request.endMs, request.stepMs);
    if (!result)
        return bands;
    for (const auto &series : result->matrix) {
        const QString name = QString::fromStdString(std::string(series.labels.value("alertname")));
        const QString severity = QString::fromStdString(std::string(series.labels.value("severity")));
        const QString job = QString::fromStdString(std::string(series.labels.value("job")));
        for (std::size_t i = 0; i < series.points.size();) {
            std::size_t j = i;
            while (j + 1 < series.points.size() &&
                   series.points[j + 1].timestampMs - series.points[j].timestampMs <= request.stepMs)
                ++j;
            bands.push_back({series.points[i].timestampMs,
                             std::min(request.endMs, series.points[j].timestampMs + request.stepMs), name, severity,
                             job});
            i = j + 1;
        }
    }
    return bands;
}

void QueryService::computeUptime(std::int64_t nowMs)
{
    QHash<QString, double> uptime;
    for (const char *expr : {"avg by (job) (avg_over_time(up[24h]))", "avg by (job) (avg_over_time(probe_success[24h]))"}) {
        const promql::Engine engine(readerFor(nowMs - 24 * 3600 * 1000LL, 60'000));
        auto result = engine.instantQuery(expr, nowMs);
        if (!result)
            continue;
        for (const auto &s : result->vector)
            uptime.insert(QString::fromStdString(std::string(s.labels.value("job"))), s.value);
    }
    emit uptimeReady(uptime);
}

void QueryService::appendSeries(PanelData &data, const promql::QueryResult &result, std::int64_t shiftMs,
                                const QString &suffix, const QueryRequest &request, const QString &prefix)
{
    std::vector<NamedSeries> identities;
    identities.reserve(result.matrix.size());
    for (const auto &s : result.matrix)
        identities.push_back(NamedSeries{s.metric, s.labels});
    const QStringList names = legendNames(identities, request.legend);
    const int pixelWidth = request.pixelWidth;
    for (std::size_t i = 0; i < result.matrix.size(); ++i) {
        const auto &s = result.matrix[i];
        PlotSeries plot;
        plot.name = prefix + names[static_cast<qsizetype>(i)] + suffix;
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
