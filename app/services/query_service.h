// QueryService: the data side of the GUI, on its own thread — the live in-memory history, the SQLite
// store (writer + readers), and PromQL over both.
#pragma once

#include "app/services/prepared_queries.h"
#include "app/services/query_request.h"
#include "app/services/self_metrics.h"
#include "core/base/metric_batch.h"
#include "core/logs/log_query.h"
#include "core/logs/log_reader.h"
#include "core/logs/log_sink.h"
#include "core/plot/plot_series.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <climits>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pulse {

class MemoryHistory;
class HistoryReader;
namespace storage {
class SampleWriter;
class SqliteHistory;
class SqliteLogReader;
} // namespace storage
namespace promql {
struct QueryResult;
} // namespace promql

/// StoreStatus is what the status bar shows about the history file.
struct StoreStatus {
    bool open = false;
    bool opening = false; ///< readable, its writer still restoring the series heads
    QString path;
    qint64 fileBytes = 0;
    qint64 writerLagMs = 0;   ///< newest ingested sample minus newest committed one
    quint64 droppedSamples = 0;
    quint64 quarantinedSeries = 0; ///< catalogue rows set aside at open (corrupt label sets)
    QString error;            ///< untrusted text (paths, SQLite messages): plain text only
};

/// QueryService lives on its own QThread and answers PromQL range queries. There is one copy of the
/// data: with a history file open, collectors' batches go straight to its writer (SampleWriter's
/// bounded queue, through the Hub: never through this thread) and every query reads the file, whose
/// planner picks raw chunks or rollups by step. Without a file (it could not be opened), batches go
/// to an in-memory history bounded by a retention window, and queries read that.
///
/// Threading: every slot runs on the service's thread; talk to it only through queued signals.
/// sinkChanged is called on this thread.
class QueryService : public QObject {
    Q_OBJECT
public:
    /// QueryService answers log queries from `logs` (which must outlive it; thread-safe).
    QueryService(std::int64_t retentionMs, const LogReader &logs, QObject *parent = nullptr);
    ~QueryService() override;

    /// readerFor picks the history for a query at this step: the file (whose planner picks raw
    /// chunks or rollups by step) when it is open, else the in-memory history.
    const HistoryReader &readerFor(std::int64_t stepMs, std::int64_t smallestWindowMs = INT64_MAX) const;

    /// setSelfCounters names the counters Pulseboard reports about itself (call before the thread
    /// starts; the functions must be thread-safe).
    void setSelfCounters(SelfCounters counters) { m_selfCounters = std::move(counters); }
    /// setSinkListener is told where collectors' batches must go once openStore() has run (the history
    /// file's writer, or the in-memory history when the file cannot be opened) and when it closes
    /// (null). Call before the thread starts.
    void setWriteOptions(const StorageWriteConfig &options) { m_writeOptions = options; }
    /// setLogRetention bounds the log records the file keeps (call before openStore).
    void setLogRetention(const LogsConfig &logs) { m_logsConfig = logs; }
    void setSinkListener(std::function<void(std::shared_ptr<SampleSink>)> listener);
    /// setLogListener is told where tailers' records must go (the writer, or null for memory) with
    /// the tail positions the file holds, once openStore() has run, and null again when it closes.
    /// Call before the thread starts.
    using LogListener = std::function<void(std::shared_ptr<LogSink>, std::vector<LogCheckpoint>)>;
    void setLogListener(LogListener listener) { m_logListener = std::move(listener); }
    /// waitForStore blocks until the writer is open (openStore opens it in the background) and every
    /// batch handed to it so far is committed and readable (tests and shutdown; never on a timer).
    /// Returns at once without a file.
    void waitForStore();
    /// closeError is why the last commit at closeStore() failed (empty: everything was stored). Read it
    /// after closeStore() returned (a blocking call orders the two).
    std::string closeError() const { return m_closeError; }

public slots:
    /// ingest stores a batch produced on this thread (self-metrics, ALERTS) like a collector's.
    void ingest(pulse::MetricBatch batch);
    /// collectSelfMetrics records Pulseboard's own `pulse_*` series (job="pulseboard") at nowMs.
    void collectSelfMetrics(std::int64_t nowMs);
    /// startSelfMetrics collects them every intervalMs from now on (a timer on this thread).
    void startSelfMetrics(int intervalMs);
    void query(const pulse::QueryRequest &request);
    /// computeUptime answers every target's share of successful runs over the 24 h before nowMs
    /// (`up`, or `probe_success` for checks), keyed by job.
    void computeUptime(std::int64_t nowMs);
    /// openStore opens (or creates) the history file; storeStatus() reports the outcome. Without a
    /// store, queries use the in-memory history only. An existing file of the current schema is
    /// readable at once; its writer (which restores every series' head: ~1 s per 100k series) opens
    /// on a thread of its own and takes the batches the Hub held meanwhile when it is ready.
    void openStore(const QString &path, std::int64_t rawRetentionMs, std::int64_t m1RetentionMs, std::int64_t h1RetentionMs);
    /// reportStatus emits storeStatus() with fresh figures (the file size is read here, not on the GUI).
    void reportStatus();
    /// closeStore commits what is queued and closes the file; closeError() then says whether that
    /// last commit failed.
    void closeStore();
    /// queryLogs answers a log view's query from the history file's log table when it is open, else
    /// from the in-memory log store.
    void queryLogs(const pulse::LogQuery &query);

signals:
    void storeStatus(pulse::StoreStatus status);
    void logsAnswered(pulse::LogQueryAnswer answer);
    void answered(pulse::PanelData data);
    void uptimeReady(QHash<QString, double> uptime);

private:
    /// appendSeries adds a result's series to `data`, moved forward by shiftMs (for comparisons).
    static void appendSeries(PanelData &data, const promql::QueryResult &result, std::int64_t shiftMs,
                             const QString &suffix, const QueryRequest &request, const QString &prefix);

    /// writerFigures describes the history file's writer; nothing when no file is open.
    std::optional<WriterFigures> writerFigures() const;
    /// alertBands reads when the ALERTS series of `selector` were firing within the request's range.
    std::vector<AlertBand> alertBands(const QueryRequest &request);
    /// installWriter takes the writer the opener thread made (on this thread), or gives up the file
    /// when it could not be opened for writing.
    void installWriter();
    /// useWriter makes `writer` the destination of every batch from now on.
    void useWriter(std::shared_ptr<storage::SampleWriter> writer);
    /// openLogReader opens the file's log table for queries (after m_storePath is set).
    void openLogReader();
    /// useMemory gives up the file (`error` says why): batches go to the in-memory history.
    void useMemory(const std::string &error);


    const LogReader &m_logs;
    SelfCounters m_selfCounters;
    std::function<void(std::shared_ptr<SampleSink>)> m_sinkListener;
    LogListener m_logListener;
    std::unique_ptr<storage::SqliteLogReader> m_logStore; ///< the file's log table, while it is open
    std::shared_ptr<MemoryHistory> m_history;
    std::shared_ptr<SampleSink> m_memorySink;
    std::shared_ptr<storage::SampleWriter> m_writer;
    std::unique_ptr<storage::SqliteHistory> m_store;
    // The background open: the opener thread leaves its result in m_opened (under m_openedMutex).
    std::thread m_opener;
    std::mutex m_openedMutex;
    std::optional<Result<std::unique_ptr<storage::SampleWriter>>> m_opened;
    std::vector<MetricBatch> m_heldOwn; ///< self-metrics and ALERTS while the writer opens (bounded)
    std::uint64_t m_heldOwnDropped = 0;  ///< samples of batches beyond that bound
    QString m_storePath;
    QString m_storeError;
    std::string m_closeError;
    bool m_selfMetrics = false; ///< startSelfMetrics ran: closeStore records them once more
    StorageWriteConfig m_writeOptions;
    LogsConfig m_logsConfig;
    PreparedQueries m_prepared; ///< panel expressions and band selectors, parsed once (query thread)
};

} // namespace pulse

Q_DECLARE_METATYPE(pulse::StoreStatus)
