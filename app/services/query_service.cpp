// QueryService: in-memory recent history plus the PromQL engine, on the query thread.
#include "app/services/query_service.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/plot/series_legend.h"
#include "core/promql/engine.h"
#include "core/selection/memory_history.h"
#include "storage/sample_writer.h"
#include "storage/sqlite_history.h"
#include "storage/sqlite_log_reader.h"

namespace pulse {

namespace {

/// MemorySink feeds the in-memory history (used only while no history file is open).
class MemorySink final : public SampleSink {
public:
    explicit MemorySink(std::shared_ptr<MemoryHistory> history) : m_history(std::move(history)) {}
    void append(MetricBatch batch) override
    {
        batch.forEachSample([this](std::string_view metric, const Labels &labels, std::int64_t ts, double value) {
            m_history->append(metric, labels, ts, value);
        });
    }

private:
    std::shared_ptr<MemoryHistory> m_history;
};

} // namespace

QueryService::QueryService(std::int64_t retentionMs, const LogReader &logs, QObject *parent)
    : QObject(parent), m_logs(logs), m_history(std::make_shared<MemoryHistory>(retentionMs)),
      m_memorySink(std::make_shared<MemorySink>(m_history))
{
}

void QueryService::setSinkListener(std::function<void(std::shared_ptr<SampleSink>)> listener)
{
    // Told once the history is open (or could not be): until then the Hub holds the batches.
    m_sinkListener = std::move(listener);
}

void QueryService::waitForStore()
{
    if (m_opener.joinable())
        installWriter();
    if (m_writer)
        (void)m_writer->flush();
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
    options.logRetentionMs = m_logsConfig.retention.count();
    options.logMaxBytes = m_logsConfig.maxSizeBytes;
    if (m_writeOptions.queueCapacity > 0)
        options.queueCapacity = m_writeOptions.queueCapacity;
    if (m_writeOptions.flushInterval.count() > 0)
        options.flushInterval = std::chrono::milliseconds(m_writeOptions.flushInterval.count());
    // A file that is already readable (current schema) answers queries now; only its writer waits.
    if (auto reader = storage::SqliteHistory::open(path.toStdString())) {
        m_store = std::move(*reader);
        openLogReader();
        m_storeError.clear();
        m_opener = std::thread([this, file = path.toStdString(), options] {
            pthread_setname_np(pthread_self(), "pulse-open");
            // Restoring the heads is not what the user waits for: the first charts (this thread's
            // queries) and the window come first on a 2-core machine. Linux's nice is per thread.
            setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
            auto writer = storage::SampleWriter::open(file, options);
            {
                std::lock_guard lock(m_openedMutex);
                m_opened = std::move(writer);
            }
            QMetaObject::invokeMethod(this, &QueryService::installWriter, Qt::QueuedConnection);
        });
        reportStatus();
        return;
    }
    // New file, or one to migrate: the writer creates or upgrades it before anything can read it.
    auto writer = storage::SampleWriter::open(path.toStdString(), options);
    auto reader = writer ? storage::SqliteHistory::open(path.toStdString())
                         : Result<std::unique_ptr<storage::SqliteHistory>>(std::unexpected(writer.error()));
    if (!writer || !reader) {
        useMemory(!writer ? writer.error().message : reader.error().message);
        return;
    }
    m_store = std::move(*reader);
    openLogReader();
    m_storeError.clear();
    useWriter(std::shared_ptr<storage::SampleWriter>(std::move(*writer)));
}

void QueryService::openLogReader()
{
    // Without it the logs are answered from memory: what the file holds is not shown, nothing is lost.
    auto logs = storage::SqliteLogReader::open(m_storePath.toStdString());
    m_logStore = logs ? std::move(*logs) : nullptr;
}

void QueryService::installWriter()
{
    if (m_opener.joinable())
        m_opener.join();
    std::optional<Result<std::unique_ptr<storage::SampleWriter>>> opened;
    {
        std::lock_guard lock(m_openedMutex);
        opened.swap(m_opened);
    }
    if (!opened)
        return; // already installed (waitForStore) or closed
    if (!*opened) {
        // Readable but not writable (read-only file, or another writer): keep nothing half-open.
        useMemory(opened->error().message);
        return;
    }
    useWriter(std::shared_ptr<storage::SampleWriter>(std::move(**opened)));
}

void QueryService::useMemory(const std::string &error)
{
    m_storeError = QString::fromStdString(error);
    m_store.reset();
    m_logStore.reset();
    for (MetricBatch &b : m_heldOwn)
        m_memorySink->append(std::move(b));
    m_heldOwn.clear();
    if (m_sinkListener)
        m_sinkListener(m_memorySink); // no file: the in-memory history stands in for it
    if (m_logListener)
        m_logListener(nullptr, {}); // and the in-memory log store; tailers start at their files' ends
    reportStatus();
}

void QueryService::useWriter(std::shared_ptr<storage::SampleWriter> writer)
{
    m_writer = std::move(writer);
    for (MetricBatch &b : m_heldOwn)
        m_writer->appendOwn(std::move(b));
    m_heldOwn.clear();
    // From now on batches go to the file, those the Hub held while it opened first.
    if (m_sinkListener)
        m_sinkListener(m_writer);
    // Tailers resume from the positions stored with the records they read last.
    if (m_logListener)
        m_logListener(m_writer, m_writer->savedLogCheckpoints());
    reportStatus();
}

void QueryService::closeStore()
{
    if (m_opener.joinable())
        installWriter(); // waits for the opener, so that what was held is written before the file closes
    // The counters as they are at the stop (a run shorter than the interval would store none).
    if (m_selfMetrics && m_writer)
        collectSelfMetrics(QDateTime::currentMSecsSinceEpoch());
    if (m_writer && m_sinkListener)
        m_sinkListener(nullptr); // nothing is left to write to; later batches are counted as dropped
    if (m_writer && m_logListener)
        m_logListener(nullptr, {});
    // Readers close first: the last connection to close checkpoints the WAL into the file and removes
    // it, and a read-only one cannot, so the writer must be last.
    m_store.reset();
    m_logStore.reset();
    if (m_writer) {
        m_writer->stop();
        if (const auto w = m_writer->status(); !w.ok)
            m_closeError = w.error;
    }
    m_writer.reset();
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
    f.quarantinedSeries = w.quarantinedSeries;
    f.queuedSamples = w.queuedSamples;
    f.queuedBytes = w.queuedBytes;
    f.queueCapacityBytes = w.queueCapacityBytes;
    f.lagMs = w.committedUpToMs > 0 ? std::max<std::int64_t>(0, w.newestAppendedMs - w.committedUpToMs) : 0;
    // The WAL holds recent commits until a checkpoint: count it, it is disk the user pays for.
    f.fileBytes = QFileInfo(m_storePath).size() + QFileInfo(m_storePath + QStringLiteral("-wal")).size();
    return f;
}

void QueryService::reportStatus()
{
    StoreStatus status;
    status.path = m_storePath;
    status.open = m_writer != nullptr;
    status.opening = m_store && !m_writer;
    status.error = m_storeError;
    if (const auto f = writerFigures()) {
        status.writerLagMs = f->lagMs;
        status.droppedSamples = f->droppedSamples;
        status.quarantinedSeries = f->quarantinedSeries;
        if (!f->ok)
            status.error = QString::fromStdString(m_writer->status().error);
        status.fileBytes = f->fileBytes;
    }
    emit storeStatus(status);
}

void QueryService::collectSelfMetrics(std::int64_t nowMs)
{
    SelfCounters counters = m_selfCounters;
    if (m_heldOwnDropped > 0) {
        counters.samplesWithoutSink = [outer = m_selfCounters.samplesWithoutSink, mine = m_heldOwnDropped] {
            return (outer ? outer() : 0) + mine;
        };
    }
    ingest(selfMetricsBatch(counters, writerFigures(), nowMs));
}

void QueryService::startSelfMetrics(int intervalMs)
{
    m_selfMetrics = true;
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [this] { collectSelfMetrics(QDateTime::currentMSecsSinceEpoch()); });
    timer->start(intervalMs);
}

void QueryService::queryLogs(const LogQuery &query)
{
    LogQueryAnswer answer;
    answer.generation = query.generation;
    const LogReader &logs = m_logStore ? static_cast<const LogReader &>(*m_logStore) : m_logs;
    auto records = logs.query(query);
    if (records)
        answer.records = std::move(*records);
    else
        answer.error = records.error().message;
    emit logsAnswered(std::move(answer));
}

void QueryService::ingest(MetricBatch batch)
{
    if (m_writer) {
        m_writer->appendOwn(std::move(batch)); // never blocks; admitted past a full queue (they are small)
    } else if (m_store) {
        // The file is open for reading and its writer is still opening: a few batches wait for it.
        constexpr std::size_t kMaxHeld = 256;
        if (m_heldOwn.size() < kMaxHeld)
            m_heldOwn.push_back(std::move(batch));
        else
            m_heldOwnDropped += batch.size(); // counted with the Hub's in pulse_samples_dropped_no_history_total
    } else {
        m_memorySink->append(std::move(batch));
    }
}

const HistoryReader &QueryService::readerFor(std::int64_t stepMs, std::int64_t smallestWindowMs) const
{
    // One copy of the data: the file when it is open (its heads are committed with every flush), else
    // the memory history that stands in for it.
    if (!m_store)
        return *m_history;
    return m_store->readerForStep(stepMs, smallestWindowMs);
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
        // Live panels ask every second: each text is parsed once (m_prepared), not at every tick.
        const Result<promql::PreparedQuery> prepared = m_prepared.get(text.toStdString());
        const std::int64_t window = prepared ? prepared->smallestWindowMs() : INT64_MAX;
        const promql::Engine engine(readerFor(request.stepMs, window));
        auto result = prepared ? engine.rangeQuery(*prepared, request.startMs, request.endMs, request.stepMs)
                               : Result<promql::QueryResult>(std::unexpected(prepared.error()));
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
            const promql::Engine pastEngine(readerFor(request.stepMs, window));
            auto past = pastEngine.rangeQuery(*prepared, request.startMs - offset, request.endMs - offset,
                                              request.stepMs);
            const QString suffix = offset % (7 * 86'400'000LL) == 0 ? tr(" (week ago)") : tr(" (day ago)");
            if (past)
                appendSeries(data, *past, offset, suffix, request, prefix);
        }
    }
    if (!request.bandSelector.isEmpty())
        data.bands = alertBands(request);
    emit answered(std::move(data));
}

std::vector<AlertBand> QueryService::alertBands(const QueryRequest &request)
{
    // ALERTS holds 1 at every evaluation while an alert is pending or firing and ends with a
    // staleness marker, so a range query at the panel's step shows each firing spell as a run of
    // points; a step without a point ends the band.
    std::vector<AlertBand> bands;
    const Result<promql::PreparedQuery> selector = m_prepared.get(request.bandSelector.toStdString());
    if (!selector)
        return bands;
    const promql::Engine engine(readerFor(request.stepMs, selector->smallestWindowMs()));
    auto result = engine.rangeQuery(*selector, request.startMs, request.endMs, request.stepMs);
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
        const promql::Engine engine(readerFor(60'000));
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
    // The first series in the engine's (label) order are drawn, the rest only counted: the same ones
    // on every refresh, so lines do not swap while the user looks.
    const std::size_t room = PanelData::kMaxSeries - std::min(PanelData::kMaxSeries, data.series.size());
    const std::size_t drawn = std::min(room, result.matrix.size());
    data.hiddenSeries += result.matrix.size() - drawn;
    std::vector<NamedSeries> identities;
    identities.reserve(drawn);
    for (std::size_t i = 0; i < drawn; ++i)
        identities.push_back(NamedSeries{result.matrix[i].metric, result.matrix[i].labels});
    const QStringList names = legendNames(identities, request.legend);
    const int pixelWidth = request.pixelWidth;
    for (std::size_t i = 0; i < drawn; ++i) {
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
