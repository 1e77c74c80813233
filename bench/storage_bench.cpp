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
//    Then the 24 panels of a live dashboard over its last 5 minutes, text against prepared queries.
// Prints key=value lines.
#include "storage_bench.h"

#include <cstdlib>
#include <iostream>
#include <string>

using namespace storage_bench;

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
        if (int rc = ingest(dir, samples, [&] { return makePayloadModels(payload); }, intervalMs, openMetrics); rc != 0)
            return rc;
        return panels(dir, kT0 + samples / static_cast<std::int64_t>(models.size()) * intervalMs);
    }
    if (int rc = ingest(dir, samples, [&] { return makeModels(series); }, intervalMs, openMetrics); rc != 0)
        return rc;
    if (runRetention) {
        if (int rc = retention(dir, samples, series, intervalMs); rc != 0)
            return rc;
    }
    return runQueries ? queries(dir, queryOpenMetrics, upOpenMetricsDir) : 0;
}
