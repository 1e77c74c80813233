// storage_bench: the SQLite history through its real paths.
//   storage_bench --dir DIR [--samples N] [--series S] [--interval-ms I] [--write-openmetrics FILE]
//                 [--write-query-openmetrics FILE] [--write-up-openmetrics-dir DIR] [--no-queries] [--retention]
// 1. ingest: N samples over S series (node_exporter-like mix: integral counters, integral and
//    two-decimal gauges, constants) at a regular interval through SampleWriter; then bytes/sample of
//    the whole file after a WAL checkpoint and VACUUM, with a breakdown per table.
// 2. queries on a second file: one series 1 day at 1 s (86,400 raw points); 30 days at 1 h through
//    the 1-hour rollups; sum by (route) (rate(http_requests_total[5m])) over 1 day at 60 s for 100
//    series, raw and through the 1-minute rollups.
// 3. with --retention: raw retention of half the ingested span on the ingest file, through
//    StoreWriter::enforceRetention slices as the writer thread runs them (sparse series' expiring
//    chunks are downsampled to 1-minute buckets first): the longest slice, chunks per second, and the
//    1-minute tier's bytes per expired sample.
// --write-openmetrics writes the ingest data set as OpenMetrics, for promtool's backfill;
// --write-query-openmetrics the 100 request counters of step 2, so scripts/bench can run the same
// sum-by-rate query on a real Prometheus (query_sum_rate_start_s/end_s/step_s say when);
// --write-up-openmetrics-dir the 30 days of 200 targets' up, one file per 2-hour block.
// 4. with --live SECONDS: the writer's steady state as the app runs it — S series each scraped every
//    I ms, committed every 250 ms (a quarter of a 1 s interval's series per commit), for SECONDS of
//    simulated time, through StoreWriter on this thread: writer CPU seconds per simulated second and
//    the longest commit.
// 5. with --payload FILE [--hours H]: the ingest of step 1 on real-shaped data instead — every series of a
//    captured exposition (scripts/bench: node_exporter on loopback) replayed for H hours (default 6) at
//    --interval-ms: counters grow by integer or fractional steps like the payload's values, gauges
//    wander with the payload's decimals, constants (info series, sizes, limits, start times) stay.
// Prints key=value lines.
#include "core/exposition/exposition_parser.h"
#include "core/promql/engine.h"
#include "storage/sample_writer.h"
#include "storage/series_head.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_history.h"
#include "storage/store_writer.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace pulse;
using namespace pulse::storage;

namespace {

using SteadyClock = std::chrono::steady_clock;

double secondsSince(SteadyClock::time_point t0)
{
    return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

constexpr std::int64_t kT0 = 1'699'999'200'000;
constexpr int kUpTargets = 200;

// SeriesModel produces one series' values, shaped like a node_exporter scrape: a quarter constant
// (info metrics, file-system sizes), a quarter CPU-seconds-like counters with two decimals, a fifth
// small integral counters (packets, interrupts), a tenth byte counters with large random steps, and
// a fifth integral gauges that move now and then (memory in pages).
struct SeriesModel {
    std::string metric;
    Labels labels;
    int kind = 0;
    double value = 0;
    double step = 0;   ///< kinds 5 and 6: a typical change per scrape
    int decimals = -1; ///< kinds 5 and 6: the payload value's decimals (-1: not a short decimal)

    double next(std::mt19937_64 &rng)
    {
        switch (kind) {
        case 1:
            value = std::round((value + 14.9 + static_cast<double>(rng() % 11) / 100) * 100) / 100;
            break;
        case 2:
            value += static_cast<double>(rng() % 50);
            break;
        case 3:
            value += static_cast<double>(rng() % 100'000);
            break;
        case 4:
            if (rng() % 8 == 0)
                value += static_cast<double>(static_cast<int>(rng() % 9) - 4) * 4096;
            break;
        case 5: // a payload counter: some scrapes idle, others one to three typical steps
            value = rounded(value + step * static_cast<double>(rng() % 4));
            break;
        case 6: // a payload gauge: moves now and then, by a step either way
            if (rng() % 3 == 0)
                value = rounded(value + step * static_cast<double>(static_cast<int>(rng() % 5) - 2));
            break;
        default:
            break;
        }
        return value;
    }

    double rounded(double v) const
    {
        if (decimals < 0)
            return v;
        const double scale = std::pow(10.0, decimals);
        return std::round(v * scale) / scale;
    }
};

// decimalsOf is the fewest decimals (up to 6) that print v exactly, or -1.
int decimalsOf(double v)
{
    for (int d = 0; d <= 6; ++d) {
        const double scale = std::pow(10.0, d);
        if (std::round(v * scale) / scale == v)
            return d;
    }
    return -1;
}

// makePayloadModels turns every sample of a captured exposition into a series that evolves like it.
std::vector<SeriesModel> makePayloadModels(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = parseExposition(text, ExpositionFormat::PrometheusText);
    if (!parsed) {
        std::cerr << "storage_bench: " << path << ": " << parsed.error().message << "\n";
        std::exit(1);
    }
    std::map<std::string, MetricType, std::less<>> types;
    for (const MetricFamily &f : parsed->families)
        types.emplace(f.name, f.type);
    auto typeOf = [&](const std::string &name) {
        for (const char *suffix : {"", "_total", "_bucket", "_count", "_sum"}) {
            const std::string_view sv(suffix);
            if (name.size() > sv.size() && name.ends_with(sv)) {
                if (auto it = types.find(name.substr(0, name.size() - sv.size())); it != types.end())
                    return it->second;
            }
        }
        return MetricType::Untyped;
    };
    std::vector<SeriesModel> models;
    for (const ParsedSample &p : parsed->samples) {
        SeriesModel m;
        m.metric = p.name;
        m.labels = p.labels;
        m.labels.set("job", "node");
        m.labels.set("instance", "127.0.0.1:9100");
        m.value = p.value;
        m.decimals = decimalsOf(p.value);
        const MetricType type = typeOf(p.name);
        const bool quantile = m.labels.has("quantile");
        const bool constant = p.name.ends_with("_info") || p.name.find("size_bytes") != std::string::npos ||
                              p.name.find("_limit") != std::string::npos || p.name.find("MemTotal") != std::string::npos ||
                              p.name.find("start_time") != std::string::npos || p.name.find("boot_time") != std::string::npos ||
                              p.name.find("mtu") != std::string::npos || !std::isfinite(p.value);
        const bool counter = !quantile && (type == MetricType::Counter || type == MetricType::Histogram ||
                                           type == MetricType::Summary || p.name.ends_with("_total"));
        const double magnitude = std::max(1.0, std::abs(p.value));
        if (constant) {
            m.kind = 0;
        } else if (counter) {
            m.kind = 5;
            // Integral counters step by whole units scaled to their size; fractional ones (seconds) by
            // about a scrape interval's worth at their decimals.
            m.step = m.decimals == 0 ? std::max(1.0, std::round(magnitude * 1e-6)) : std::max(0.01, magnitude * 1e-6);
        } else {
            m.kind = 6;
            m.step = m.decimals == 0 ? std::max(1.0, std::round(magnitude * 1e-4)) : magnitude * 1e-4;
        }
        if (m.decimals < 0 && m.kind != 0)
            m.decimals = 6; // wandering values keep a printable precision, as exporters print them
        models.push_back(std::move(m));
    }
    return models;
}

std::vector<SeriesModel> makeModels(int count)
{
    static const char *kNames[] = {"node_filesystem_size_bytes", "node_cpu_seconds_total",
                                   "node_network_receive_packets_total", "node_network_receive_bytes_total",
                                   "node_memory_Active_bytes"};
    static const int kKindOf[20] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4};
    std::vector<SeriesModel> models;
    for (int i = 0; i < count; ++i) {
        SeriesModel m;
        m.kind = kKindOf[i % 20];
        m.metric = kNames[m.kind];
        m.labels = Labels({{"instance", "host-" + std::to_string(i / 50) + ":9100"},
                           {"job", "node"},
                           {"device", "dev" + std::to_string(i % 50)}});
        m.value = m.kind == 0 ? 1e11 + i : m.kind == 4 ? 1 << 30 : 1000 + i;
        models.push_back(std::move(m));
    }
    return models;
}

// jitterMs models Prometheus's scrape timestamps: aligned to the schedule when within its 2 ms
// tolerance (--scrape.adjust-timestamps), a few milliseconds late now and then.
std::int64_t jitterMs(std::mt19937_64 &rng)
{
    return rng() % 100 == 0 ? 3 + static_cast<std::int64_t>(rng() % 18) : 0;
}

std::int64_t fileSize(const std::string &path)
{
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::int64_t>(n);
}

std::int64_t scalar(SqliteDb &db, SqlText sql)
{
    auto s = db.prepare(sql);
    if (!s)
        return -1;
    auto row = s->step();
    if (!row || !*row)
        return -1;
    return static_cast<std::int64_t>(s->columnDouble(0));
}

Labels counterLabels(int s)
{
    return Labels({{"route", "/r" + std::to_string(s % 10)}, {"instance", "i" + std::to_string(s / 10)}});
}

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

template <class F> double medianMs(int runs, F f)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = SteadyClock::now();
        f();
        times.push_back(secondsSince(t0) * 1000);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// writeSeriesOpenMetrics writes series grouped by series, each in time order, as OpenMetrics wants.
void writeSeriesOpenMetrics(const std::string &path, const std::vector<std::string> &heads,
                            const std::vector<std::vector<std::pair<std::int64_t, double>>> &points)
{
    std::ofstream om(path);
    for (std::size_t i = 0; i < heads.size(); ++i) {
        for (const auto &[t, v] : points[i]) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " %.17g %lld.%03lld\n", v, static_cast<long long>(t / 1000),
                          static_cast<long long>(t % 1000));
            om << heads[i] << buf;
        }
    }
    om << "# EOF\n";
}

// writeWindowedOpenMetrics writes the points as one OpenMetrics file per 2-hour window (DIR/up-N.om),
// aligned as promtool's blocks are: promtool 2.42 parses its whole input once per block it writes, so a
// month in one file is parsed 360 times; a file per block is parsed once.
void writeWindowedOpenMetrics(const std::string &dir, const std::vector<std::string> &heads,
                              const std::vector<std::vector<std::pair<std::int64_t, double>>> &points)
{
    constexpr std::int64_t kBlockMs = 2 * 3'600'000;
    std::filesystem::create_directories(dir);
    std::vector<std::size_t> next(heads.size(), 0);
    for (int file = 0;; ++file) {
        std::int64_t first = INT64_MAX;
        for (std::size_t i = 0; i < heads.size(); ++i) {
            if (next[i] < points[i].size())
                first = std::min(first, points[i][next[i]].first);
        }
        if (first == INT64_MAX)
            return;
        const std::int64_t blockEnd = (first / kBlockMs + 1) * kBlockMs;
        std::ofstream om(dir + "/up-" + std::to_string(file) + ".om");
        for (std::size_t i = 0; i < heads.size(); ++i) {
            for (; next[i] < points[i].size() && points[i][next[i]].first < blockEnd; ++next[i]) {
                const auto [t, v] = points[i][next[i]];
                char buf[64];
                std::snprintf(buf, sizeof buf, " %.17g %lld.%03lld\n", v, static_cast<long long>(t / 1000),
                              static_cast<long long>(t % 1000));
                om << heads[i] << buf;
            }
        }
        om << "# EOF\n";
    }
}

int queries(const std::string &dir, const std::string &openMetricsPath, const std::string &upOpenMetricsDir)
{
    const std::string path = dir + "/query.db";
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    constexpr std::int64_t kDay = 86'400'000;
    {
        auto writer = SampleWriter::open(path);
        if (!writer)
            return 1;
        std::mt19937_64 rng(1);
        // One gauge at 1 s for a day, then 30 days of a 10 s gauge.
        MetricBatch b;
        for (std::int64_t i = 0; i < 86'400; ++i) {
            b.samples.push_back(Sample{"cpu_temp", Labels({{"host", "a"}}), kT0 + i * 1000,
                                       std::round(4000 + static_cast<double>(rng() % 400)) / 100});
            if (b.samples.size() == 10'000)
                (*writer)->appendWait(std::exchange(b, MetricBatch{}));
        }
        for (std::int64_t i = 0; i < 30 * 8640; ++i) {
            b.samples.push_back(Sample{"disk_used", Labels({{"host", "a"}}), kT0 + i * 10'000,
                                       static_cast<double>(1'000'000 + i * 7 + static_cast<std::int64_t>(rng() % 5))});
            if (b.samples.size() == 10'000)
                (*writer)->appendWait(std::exchange(b, MetricBatch{}));
        }
        // 100 request counters (10 routes x 10 instances) at 15 s for a day.
        std::vector<std::string> heads;
        std::vector<std::vector<std::pair<std::int64_t, double>>> counterPoints(100);
        for (int s = 0; s < 100; ++s)
            heads.push_back("http_requests_total" + counterLabels(s).toString());
        for (std::int64_t t = 0; t < kDay; t += 15'000) {
            for (int s = 0; s < 100; ++s) {
                const auto v = static_cast<double>(t / 15'000 * (s + 1) + static_cast<std::int64_t>(rng() % 3));
                b.samples.push_back(Sample{"http_requests_total", counterLabels(s), kT0 + t, v});
                if (!openMetricsPath.empty())
                    counterPoints[s].emplace_back(kT0 + t, v);
            }
            if (b.samples.size() >= 10'000)
                (*writer)->appendWait(std::exchange(b, MetricBatch{}));
        }
        // 200 targets' `up` at 60 s for 30 days (what the uptime column and SLA reports read): 1, but
        // down for 5 to 30 minutes on about one day in three. --write-up-openmetrics-dir writes them
        // one file per 2-hour block (writeWindowedOpenMetrics).
        std::vector<std::string> upHeads;
        std::vector<std::vector<std::pair<std::int64_t, double>>> upPoints(upOpenMetricsDir.empty() ? 0 : kUpTargets);
        for (int target = 0; target < kUpTargets; ++target) {
            const Labels labels({{"instance", "t" + std::to_string(target)}, {"job", "node"}});
            upHeads.push_back("up" + labels.toString());
            std::int64_t downFrom = -1, downTo = -1;
            for (std::int64_t t = 0; t < 30 * kDay; t += 60'000) {
                if (t % kDay == 0 && rng() % 3 == 0) {
                    downFrom = t + static_cast<std::int64_t>(rng() % 1380) * 60'000;
                    downTo = downFrom + (5 + static_cast<std::int64_t>(rng() % 26)) * 60'000;
                }
                const double v = t >= downFrom && t < downTo ? 0 : 1;
                b.samples.push_back(Sample{"up", labels, kT0 + t, v});
                if (!upPoints.empty())
                    upPoints[static_cast<std::size_t>(target)].emplace_back(kT0 + t, v);
                if (b.samples.size() >= 10'000)
                    (*writer)->appendWait(std::exchange(b, MetricBatch{}));
            }
        }
        (*writer)->appendWait(std::move(b));
        if (!(*writer)->flush())
            return 1;
        if (!openMetricsPath.empty())
            writeSeriesOpenMetrics(openMetricsPath, heads, counterPoints);
        if (!upOpenMetricsDir.empty())
            writeWindowedOpenMetrics(upOpenMetricsDir, upHeads, upPoints);
    }
    auto history = SqliteHistory::open(path);
    if (!history) {
        std::cerr << history.error().message << '\n';
        return 1;
    }
    const SqliteHistory &h = **history;
    const std::vector<LabelMatcher> temp = {{"__name__", LabelMatcher::Op::Equal, "cpu_temp"}};
    std::size_t points = 0;
    const double selectMs = medianMs(21, [&] {
        auto r = h.select(temp, kT0, kT0 + kDay - 1);
        points = r && !r->empty() ? r->front().values.size() : 0;
    });
    std::printf("query_1d_1s_points=%zu\nquery_1d_1s_select_ms=%.3f\n", points, selectMs);

    std::size_t hourPoints = 0;
    const std::int64_t end30 = kT0 + 30 * kDay;
    const double rollupMs = medianMs(21, [&] {
        auto r = promql::Engine(h.readerForStep(3'600'000))
                     .rangeQuery("disk_used", end30 - 30 * kDay + 3'600'000, end30, 3'600'000);
        hourPoints = r && !r->matrix.empty() ? r->matrix.front().points.size() : 0;
    });
    const double rawMs = medianMs(5, [&] {
        auto r = promql::Engine(h).rangeQuery("disk_used", end30 - 30 * kDay + 3'600'000, end30, 3'600'000);
        (void)r;
    });
    std::printf("query_30d_1h_points=%zu\nquery_30d_1h_rollup_ms=%.3f\nquery_30d_1h_raw_ms=%.3f\n", hourPoints,
                rollupMs, rawMs);
    // A 30-day chart a few hundred pixels wide: 5-minute steps, planned onto the 1-minute tier (which
    // for this 10 s series means its raw samples while they last).
    std::size_t fiveMinutePoints = 0;
    const double fiveMinuteMs = medianMs(5, [&] {
        auto r = promql::Engine(h.readerForStep(300'000))
                     .rangeQuery("disk_used", end30 - 30 * kDay + 300'000, end30, 300'000);
        fiveMinutePoints = r && !r->matrix.empty() ? r->matrix.front().points.size() : 0;
    });
    std::printf("query_30d_5m_points=%zu\nquery_30d_5m_planned_ms=%.3f\n", fiveMinutePoints, fiveMinuteMs);

    const char *sumRate = "sum by (route) (rate(http_requests_total[5m]))";
    const std::int64_t sumStart = kT0 + 600'000, sumEnd = kT0 + kDay - 60'000;
    std::printf("query_sum_rate_start_s=%lld\nquery_sum_rate_end_s=%lld\nquery_sum_rate_step_s=60\n",
                static_cast<long long>(sumStart / 1000), static_cast<long long>(sumEnd / 1000));
    std::size_t groups = 0;
    const double sumRawMs = medianMs(5, [&] {
        auto r = promql::Engine(h).rangeQuery(sumRate, sumStart, sumEnd, 60'000);
        groups = r ? r->matrix.size() : 0;
    });
    const double sumRollupMs = medianMs(5, [&] {
        auto r = promql::Engine(h.readerForStep(60'000)).rangeQuery(sumRate, sumStart, sumEnd, 60'000);
        (void)r;
    });
    std::printf("query_sum_rate_groups=%zu\nquery_sum_rate_raw_ms=%.3f\nquery_sum_rate_rollup_ms=%.3f\n", groups,
                sumRawMs, sumRollupMs);

    // 30 days of 200 targets' up: each target's share of the month (instant), and the month as a
    // chart at 1 h steps (range, planned onto the 1-hour tier). scripts/bench runs both through
    // `pulsectl query` too. Steps fall on the hour (kT0 is on one), where each 1-hour bucket's last
    // sample is: a step a minute before the hour would find nothing within the 5-minute look-back.
    static_assert(kT0 % 3'600'000 == 0);
    const std::int64_t upEnd = kT0 + 30 * kDay;
    std::printf("query_up_30d_end_s=%lld\nquery_up_30d_start_s=%lld\nquery_up_30d_step_s=3600\n",
                static_cast<long long>(upEnd / 1000), static_cast<long long>((upEnd - 30 * kDay + 3'600'000) / 1000));
    std::size_t upSeries = 0;
    const double upInstantMs = medianMs(5, [&] {
        auto r = promql::Engine(h).instantQuery("avg_over_time(up[30d])", upEnd);
        upSeries = r ? r->vector.size() : 0;
    });
    std::size_t upRangePoints = 0;
    const double upRangeMs = medianMs(5, [&] {
        auto r = promql::Engine(h.readerForStep(3'600'000)).rangeQuery("up", upEnd - 30 * kDay + 3'600'000, upEnd,
                                                                     3'600'000);
        upRangePoints = 0;
        for (const auto &series : r ? r->matrix : std::vector<promql::Series>{})
            upRangePoints += series.points.size();
    });
    std::printf("query_up_30d_series=%zu\nquery_up_30d_instant_ms=%.3f\nquery_up_30d_range_points=%zu\n"
                "query_up_30d_range_1h_ms=%.3f\n",
                upSeries, upInstantMs, upRangePoints, upRangeMs);
    return 0;
}

double residentMiB()
{
    std::ifstream statm("/proc/self/statm");
    double pages = 0;
    double resident = 0;
    statm >> pages >> resident;
    return resident * 4096.0 / (1 << 20);
}

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
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

} // namespace

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
            m.labels.set("instance", "t" + std::to_string(t));
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

int main(int argc, char **argv)
{
    std::string dir = ".";
    std::string openMetrics, queryOpenMetrics, upOpenMetricsDir;
    std::int64_t samples = 10'000'000;
    int series = 1000;
    std::int64_t intervalMs = 15'000;
    bool runQueries = true;
    bool runRetention = false;
    int liveSeconds = 0;
    std::string payload;
    double hours = 6;
    std::string generatePath;
    bool catchUp = false;
    int targets = 200;
    double days = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (a == "--samples" && i + 1 < argc)
            samples = std::atoll(argv[++i]);
        else if (a == "--series" && i + 1 < argc)
            series = std::atoi(argv[++i]);
        else if (a == "--interval-ms" && i + 1 < argc)
            intervalMs = std::atoll(argv[++i]);
        else if (a == "--write-openmetrics" && i + 1 < argc)
            openMetrics = argv[++i];
        else if (a == "--write-query-openmetrics" && i + 1 < argc)
            queryOpenMetrics = argv[++i];
        else if (a == "--write-up-openmetrics-dir" && i + 1 < argc)
            upOpenMetricsDir = argv[++i];
        else if (a == "--no-queries")
            runQueries = false;
        else if (a == "--retention")
            runRetention = true;
        else if (a == "--live" && i + 1 < argc)
            liveSeconds = std::atoi(argv[++i]);
        else if (a == "--payload" && i + 1 < argc)
            payload = argv[++i];
        else if (a == "--hours" && i + 1 < argc)
            hours = std::atof(argv[++i]);
        else if (a == "--generate" && i + 1 < argc)
            generatePath = argv[++i];
        else if (a == "--catch-up")
            catchUp = true;
        else if (a == "--targets" && i + 1 < argc)
            targets = std::atoi(argv[++i]);
        else if (a == "--days" && i + 1 < argc)
            days = std::atof(argv[++i]);
        else {
            std::cerr << "usage: storage_bench --dir DIR [--samples N] [--series S] [--interval-ms I] "
                         "[--write-openmetrics FILE] [--write-query-openmetrics FILE] [--write-up-openmetrics-dir DIR] "
                         "[--no-queries] [--retention] "
                         "[--live SECONDS] [--payload FILE [--hours H]] "
                         "[--generate DB --payload FILE [--targets N] [--days D] [--catch-up]]\n";
            return 2;
        }
    }
    if (liveSeconds > 0)
        return live(dir, series, intervalMs, liveSeconds);
    if (!generatePath.empty())
        return generate(generatePath, payload, targets, days, intervalMs, catchUp);
    if (!payload.empty()) {
        const auto models = makePayloadModels(payload);
        samples = static_cast<std::int64_t>(hours * 3'600'000 / static_cast<double>(intervalMs)) *
                  static_cast<std::int64_t>(models.size());
        return ingest(dir, samples, [&] { return makePayloadModels(payload); }, intervalMs, openMetrics);
    }
    if (int rc = ingest(dir, samples, [&] { return makeModels(series); }, intervalMs, openMetrics); rc != 0)
        return rc;
    if (runRetention) {
        if (int rc = retention(dir, samples, series, intervalMs); rc != 0)
            return rc;
    }
    return runQueries ? queries(dir, queryOpenMetrics, upOpenMetricsDir) : 0;
}
