// storage_bench: the query steps — reading back a day at 1 s, a month through the rollups, a
// sum-by-rate over 100 counters, a month of 200 targets' up — and the OpenMetrics files that let
// scripts/bench run the same queries on Prometheus.
#include "storage_bench.h"

#include "core/promql/engine.h"
#include "storage/sample_writer.h"
#include "storage/sqlite_history.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

using namespace pulse;
using namespace pulse::storage;

namespace storage_bench {
namespace {

constexpr std::int64_t kDay = 86'400'000;

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
        std::ofstream om(dir + numbered("/up-", file) + ".om");
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

// writeQueryHistory writes the query steps' file: one gauge at 1 s for a day and one at 10 s for 30
// days, 100 request counters at 15 s for a day, 200 targets' up at 60 s for 30 days.
bool writeQueryHistory(const std::string &path, const std::string &openMetricsPath, const std::string &upOpenMetricsDir)
{
    {
        auto writer = SampleWriter::open(path);
        if (!writer)
            return false;
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
            const Labels labels({{"instance", numbered("t", target)}, {"job", "node"}});
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
            return false;
        if (!openMetricsPath.empty())
            writeSeriesOpenMetrics(openMetricsPath, heads, counterPoints);
        if (!upOpenMetricsDir.empty())
            writeWindowedOpenMetrics(upOpenMetricsDir, upHeads, upPoints);
    }
    return true;
}

// measureReads: a day of one series at 1 s, a month at 1 h (rollups and raw), a month at 5 min.
void measureReads(const SqliteHistory &h)
{
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

}

// measureAggregations: sum-by-rate over 100 counters for a day, and a month of 200 targets' up.
void measureAggregations(const SqliteHistory &h)
{
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
}

} // namespace

int queries(const std::string &dir, const std::string &openMetricsPath, const std::string &upOpenMetricsDir)
{
    const std::string path = dir + "/query.db";
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    if (!writeQueryHistory(path, openMetricsPath, upOpenMetricsDir))
        return 1;
    auto history = SqliteHistory::open(path);
    if (!history) {
        std::cerr << history.error().message << '\n';
        return 1;
    }
    const SqliteHistory &h = **history;
    measureReads(h);
    measureAggregations(h);
    return 0;
}

// panels: what a live dashboard asks of the query thread each second — the 24 panels of
// scripts/bench's fleet dashboard (8 expressions, three times each) over the last 5 minutes at a 1 s
// step, on the payload ingest's file — once with the text entry point (parsed every refresh, as
// before issue #13) and once with queries prepared when the dashboard opened.
int panels(const std::string &dir, std::int64_t endMs)
{
    static constexpr std::array<const char *, 8> kExprs{
        "sum(rate(node_cpu_seconds_total{mode!=\"idle\"}[1m]))",
        "avg(node_load1)",
        "sum(node_memory_MemAvailable_bytes)",
        "sum by (device) (rate(node_network_receive_bytes_total[1m]))",
        "count(up == 1)",
        "sum(scrape_duration_seconds)",
        "max(node_filesystem_avail_bytes)",
        "sum(rate(node_context_switches_total[1m]))"};
    constexpr int kPanels = 24;
    auto history = SqliteHistory::open(dir + "/ingest.db");
    if (!history) {
        std::cerr << history.error().message << '\n';
        return 1;
    }
    const std::int64_t stepMs = 1000;
    const std::int64_t startMs = endMs - 5 * 60'000;
    const promql::Engine engine((*history)->readerForStep(stepMs));
    std::vector<promql::PreparedQuery> prepared;
    for (int p = 0; p < kPanels; ++p) {
        auto q = promql::Engine::prepare(kExprs[static_cast<std::size_t>(p) % kExprs.size()]);
        if (!q) {
            std::cerr << q.error().message << '\n';
            return 1;
        }
        prepared.push_back(std::move(*q));
    }
    std::size_t points = 0;
    auto count = [&points](const Result<promql::QueryResult> &r) {
        for (const auto &series : r ? r->matrix : std::vector<promql::Series>{})
            points += series.points.size();
    };
    const double textMs = medianMs(21, [&] {
        points = 0;
        for (int p = 0; p < kPanels; ++p)
            count(engine.rangeQuery(kExprs[static_cast<std::size_t>(p) % kExprs.size()], startMs, endMs, stepMs));
    });
    const double preparedMs = medianMs(21, [&] {
        points = 0;
        for (const auto &q : prepared)
            count(engine.rangeQuery(q, startMs, endMs, stepMs));
    });
    std::size_t parsed = 0; // read after the runs, so the parses cannot be optimised away
    const double parseMs = medianMs(21, [&] {
        for (int p = 0; p < kPanels; ++p)
            parsed += promql::Engine::prepare(kExprs[static_cast<std::size_t>(p) % kExprs.size()]).has_value();
    });
    if (parsed != 21 * kPanels)
        return 1;
    std::printf("panels_24_points=%zu\npanels_24_text_ms=%.3f\npanels_24_prepared_ms=%.3f\npanels_24_parse_ms=%.3f\n",
                points, textMs, preparedMs, parseMs);
    return 0;
}

} // namespace storage_bench
