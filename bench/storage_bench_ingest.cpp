// storage_bench: the steps that write — ingest (and its OpenMetrics twin for promtool), retention,
// the writer's live steady state, and generating a history file for the start-up benchmark.
#include "storage_bench.h"

#include "storage/sample_writer.h"
#include "storage/series_head.h"
#include "storage/store_writer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

using namespace pulse;
using namespace pulse::storage;

namespace storage_bench {

int ingest(const std::string &dir, std::int64_t samples, const std::function<std::vector<SeriesModel>()> &make,
           std::int64_t intervalMs, const std::string &openMetricsPath)
{
    const std::string path = dir + "/ingest.db";
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    auto models = make();
    const int seriesCount = static_cast<int>(models.size());
    const std::int64_t rounds = samples / seriesCount;
    SampleWriterOptions options;
    options.queueCapacity = 200'000;
    auto writer = SampleWriter::open(path, options);
    if (!writer) {
        std::cerr << writer.error().message << '\n';
        return 1;
    }
    std::mt19937_64 rng(42);
    std::mt19937_64 jitter(7);
    const auto t0 = SteadyClock::now();
    for (std::int64_t r = 0; r < rounds; ++r) {
        MetricBatch batch;
        batch.samples.reserve(models.size());
        const std::int64_t ts = kT0 + r * intervalMs;
        for (auto &m : models)
            batch.samples.push_back(Sample{m.metric, m.labels, ts + jitterMs(jitter), m.next(rng)});
        (*writer)->appendWait(std::move(batch));
    }
    if (auto r = (*writer)->flush(); !r) {
        std::cerr << r.error().message << '\n';
        return 1;
    }
    const double seconds = secondsSince(t0);
    const WriterStatus status = (*writer)->status();
    writer->reset();
    std::printf("ingest_samples=%llu\ningest_series=%d\ningest_interval_ms=%lld\ningest_seconds=%.3f\n"
                "ingest_samples_per_s=%.0f\ningest_dropped=%llu\n",
                static_cast<unsigned long long>(status.committedSamples), seriesCount,
                static_cast<long long>(intervalMs), seconds, static_cast<double>(status.committedSamples) / seconds,
                static_cast<unsigned long long>(status.droppedSamples));

    auto db = SqliteDb::open(path);
    if (!db)
        return 1;
    (void)db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const std::int64_t before = fileSize(path);
    (void)db->exec("VACUUM");
    (void)db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const std::int64_t after = fileSize(path) + fileSize(path + "-wal");
    const auto n = static_cast<double>(status.committedSamples);
    std::printf("file_bytes_before_vacuum=%lld\nfile_bytes=%lld\nbytes_per_sample=%.3f\n",
                static_cast<long long>(before), static_cast<long long>(after), static_cast<double>(after) / n);
    std::printf("raw_chunk_bytes_per_sample=%.3f\nrollup_bytes_per_sample=%.3f\n",
                static_cast<double>(scalar(*db, "SELECT (SELECT total(length(data)) FROM chunk) + "
                                                "(SELECT total(length(data)) FROM head_chunk)")) /
                    n,
                static_cast<double>(scalar(*db, "SELECT (SELECT total(length(data)) FROM rollup_chunk) + "
                                                "(SELECT total(length(data)) FROM rollup_head)")) /
                    n);
    std::printf("rollup_1m_bytes_per_sample=%.3f\nrollup_1h_bytes_per_sample=%.3f\n",
                static_cast<double>(
                    scalar(*db, "SELECT (SELECT total(length(data)) FROM rollup_chunk WHERE resolution_ms = 60000) + "
                                "(SELECT total(length(data)) FROM rollup_head WHERE resolution_ms = 60000)")) /
                    n,
                static_cast<double>(
                    scalar(*db, "SELECT (SELECT total(length(data)) FROM rollup_chunk WHERE resolution_ms = 3600000) + "
                                "(SELECT total(length(data)) FROM rollup_head WHERE resolution_ms = 3600000)")) /
                    n);

    if (!openMetricsPath.empty()) {
        // The same values again (same seeds), series by series as OpenMetrics wants them.
        std::ofstream om(openMetricsPath);
        std::mt19937_64 rng2(42), jitter2(7);
        std::vector<std::vector<std::pair<std::int64_t, double>>> points(models.size());
        auto fresh = make();
        for (std::int64_t r = 0; r < rounds; ++r)
            for (std::size_t i = 0; i < fresh.size(); ++i)
                points[i].emplace_back(kT0 + r * intervalMs + jitterMs(jitter2), fresh[i].next(rng2));
        // OpenMetrics wants a family's samples together: write the series grouped by metric name.
        std::vector<std::size_t> order(fresh.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return fresh[a].metric < fresh[b].metric; });
        for (std::size_t i : order) {
            const std::string prefix = fresh[i].metric + fresh[i].labels.toString();
            for (const auto &[t, v] : points[i]) {
                char buf[64];
                std::snprintf(buf, sizeof buf, " %.17g %lld.%03lld\n", v, static_cast<long long>(t / 1000),
                              static_cast<long long>(t % 1000));
                om << prefix << buf;
            }
        }
        om << "# EOF\n";
    }
    return 0;
}

// retention expires the older half of the ingest file's raw chunks in slices of the writer thread's
// size, downsampling them, and reports how long the slices took.
int retention(const std::string &dir, std::int64_t samples, int seriesCount, std::int64_t intervalMs)
{
    const std::string path = dir + "/ingest.db";
    auto writer = StoreWriter::open(path);
    if (!writer) {
        std::cerr << writer.error().message << '\n';
        return 1;
    }
    const std::int64_t span = samples / seriesCount * intervalMs;
    const RetentionMs keep{span / 2, 0, 0};
    const std::int64_t now = kT0 + span;
    double slowestMs = 0;
    int slices = 0;
    const auto t0 = SteadyClock::now();
    for (bool more = true; more; ++slices) {
        const auto slice = SteadyClock::now();
        auto r = (*writer)->enforceRetention(now, keep, 2000);
        if (!r) {
            std::cerr << r.error().message << '\n';
            return 1;
        }
        more = *r;
        slowestMs = std::max(slowestMs, secondsSince(slice) * 1000);
    }
    const double seconds = secondsSince(t0);
    const WriterCounters c = (*writer)->counters();
    const std::int64_t minuteBytes = scalar((*writer)->db(), "SELECT total(length(data)) FROM rollup_chunk "
                                                             "WHERE resolution_ms = 60000");
    writer->reset();
    // Raw chunks hold kSealSamples samples; the expired ones held about this many.
    const auto expiredSamples = static_cast<double>(c.deletedChunks) * kSealSamples;
    std::printf("retention_slices=%d\nretention_slice_ms_max=%.1f\nretention_chunks=%llu\nretention_chunks_per_s=%.0f\n"
                "retention_downsampled_buckets=%llu\nretention_1m_bytes_per_expired_sample=%.3f\n",
                slices, slowestMs, static_cast<unsigned long long>(c.deletedChunks),
                static_cast<double>(c.deletedChunks) / seconds, static_cast<unsigned long long>(c.downsampledBuckets),
                static_cast<double>(minuteBytes) / expiredSamples);
    return 0;
}

int live(const std::string &dir, int seriesCount, std::int64_t intervalMs, int seconds)
{
    const std::string path = dir + "/live.db";
    for (const char *suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
    auto writer = StoreWriter::open(path);
    if (!writer) {
        std::cerr << "storage_bench: " << writer.error().message << "\n";
        return 1;
    }
    auto models = makeModels(seriesCount);
    std::mt19937_64 rng(11);
    constexpr std::int64_t kCommitMs = 250;
    const double cpu0 = cpuSeconds();
    double longest = 0;
    std::int64_t added = 0;
    // Each series is scraped at its own offset within the interval (the scheduler's jitter), so a
    // commit holds the series whose slot fell in its 250 ms.
    for (std::int64_t t = 0; t < seconds * 1000LL; t += kCommitMs) {
        const std::int64_t slot = t % intervalMs;
        for (int i = 0; i < seriesCount; ++i) {
            const std::int64_t offset = (static_cast<std::int64_t>(i) * 7919) % intervalMs;
            if (offset < slot || offset >= slot + kCommitMs)
                continue;
            SeriesModel &m = models[static_cast<std::size_t>(i)];
            (*writer)->add(m.metric, m.labels, kT0 + t - slot + offset, m.next(rng));
            ++added;
        }
        const double c0 = cpuSeconds();
        if (auto r = (*writer)->commit(); !r) {
            std::cerr << "storage_bench: " << r.error().message << "\n";
            return 1;
        }
        longest = std::max(longest, cpuSeconds() - c0);
    }
    const double cpu = cpuSeconds() - cpu0;
    std::printf("live_writer_rss_mib=%.0f\n", residentMiB());
    std::printf("live_series=%d\nlive_interval_ms=%lld\nlive_seconds=%d\nlive_samples=%lld\n", seriesCount,
                static_cast<long long>(intervalMs), seconds, static_cast<long long>(added));
    std::printf("live_writer_cpu_s_per_s=%.4f\nlive_writer_cpu_s_per_million_samples=%.3f\nlive_longest_commit_ms=%.1f\n",
                cpu / seconds, cpu * 1e6 / static_cast<double>(added), longest * 1000);
    return 0;
}

// generate writes a history file as the app would have after `days` of `targets` node_exporter
// targets (the payload's series, instance t0..tN-1) scraped every `intervalMs`, ending now: StoreWriter
// in bulk, one commit per hour of data, then a clean stop. For the start-up benchmark.
//
// With catchUp, an existing file generated before is extended from where its data ends to now (a long
// generation ends in the past; the app's live range must have data). Values restart from the payload's.
int generate(const std::string &path, const std::string &payload, int targets, double days, std::int64_t intervalMs,
             bool catchUp)
{
    std::int64_t resumeMs = 0;
    if (catchUp) {
        auto db = SqliteDb::open(path);
        if (!db) {
            std::cerr << db.error().message << '\n';
            return 1;
        }
        resumeMs = scalar(*db, "SELECT min(end_ms) FROM head_chunk"); // the generated series, not the app's own
    } else {
        for (const char *suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix);
    }
    auto writer = StoreWriter::open(path);
    if (!writer) {
        std::cerr << writer.error().message << '\n';
        return 1;
    }
    std::vector<SeriesModel> models;
    auto table = std::make_shared<SeriesTable>();
    for (int t = 0; t < targets; ++t) {
        for (SeriesModel m : makePayloadModels(payload)) {
            m.labels.set("job", "node");
            m.labels.set("instance", numbered("t", t));
            table->add(m.metric, m.labels);
            models.push_back(std::move(m));
        }
    }
    const std::int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count();
    const std::int64_t rounds = catchUp ? std::max<std::int64_t>(0, (nowMs - resumeMs) / intervalMs)
                                        : static_cast<std::int64_t>(days * 86'400'000.0) / intervalMs;
    const std::int64_t firstMs = catchUp ? resumeMs + intervalMs : (nowMs - rounds * intervalMs) / intervalMs * intervalMs;
    const std::int64_t roundsPerCommit = std::max<std::int64_t>(1, 3'600'000 / intervalMs);
    std::mt19937_64 rng(42);
    const auto t0 = SteadyClock::now();
    std::uint64_t written = 0;
    for (std::int64_t r0 = 0; r0 < rounds; r0 += roundsPerCommit) {
        const std::int64_t r1 = std::min(rounds, r0 + roundsPerCommit);
        MetricBatch batch;
        batch.series = table;
        batch.seriesTableIsNew = r0 == 0 && !catchUp;
        batch.refSamples.reserve(static_cast<std::size_t>((r1 - r0)) * models.size());
        for (std::uint32_t i = 0; i < models.size(); ++i)
            for (std::int64_t r = r0; r < r1; ++r)
                batch.refSamples.push_back(RefSample{i, firstMs + r * intervalMs, models[i].next(rng)});
        written += batch.refSamples.size();
        (*writer)->add(batch);
        if (auto c = (*writer)->commit(); !c) {
            std::cerr << c.error().message << '\n';
            return 1;
        }
    }
    if (auto c = (*writer)->checkpointAll(); !c) {
        std::cerr << c.error().message << '\n';
        return 1;
    }
    writer->reset();
    auto db = SqliteDb::open(path);
    if (db)
        (void)db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const double seconds = secondsSince(t0);
    std::printf("generate_samples=%llu\ngenerate_series=%zu\ngenerate_days=%.2f\ngenerate_seconds=%.1f\n"
                "generate_file_bytes=%lld\n",
                static_cast<unsigned long long>(written), models.size(), days, seconds,
                static_cast<long long>(fileSize(path) + fileSize(path + "-wal")));
    return 0;
}

} // namespace storage_bench
