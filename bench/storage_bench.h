// storage_bench's parts (storage_bench.cpp says what each step measures): the series models that
// stand for node_exporter data, small helpers, and one function per step.
#pragma once

#include "core/base/labels.h"
#include "storage/sqlite_db.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace storage_bench {

using SteadyClock = std::chrono::steady_clock;

double secondsSince(SteadyClock::time_point t0);

constexpr std::int64_t kT0 = 1'699'999'200'000;
constexpr int kUpTargets = 200;

// SeriesModel produces one series' values, shaped like a node_exporter scrape: a quarter constant
// (info metrics, file-system sizes), a quarter CPU-seconds-like counters with two decimals, a fifth
// small integral counters (packets, interrupts), a tenth byte counters with large random steps, and
// a fifth integral gauges that move now and then (memory in pages).
struct SeriesModel {
    std::string metric;
    pulse::Labels labels;
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

/// makePayloadModels turns every sample of a captured exposition into a series that evolves like it.
std::vector<SeriesModel> makePayloadModels(const std::string &path);
/// makeModels is `count` series of a node_exporter-like mix, without a captured payload.
std::vector<SeriesModel> makeModels(int count);
// jitterMs models Prometheus's scrape timestamps: aligned to the schedule when within its 2 ms
// tolerance (--scrape.adjust-timestamps), a few milliseconds late now and then.
std::int64_t jitterMs(std::mt19937_64 &rng);
/// numbered is prefix followed by n ("t" 7 → "t7"), built by appending: GCC 12 at -O3 warns falsely
/// (-Wrestrict) about `"t" + std::to_string(n)`.
std::string numbered(std::string_view prefix, long long n);
std::int64_t fileSize(const std::string &path);
std::int64_t scalar(pulse::SqliteDb &db, pulse::SqlText sql);
pulse::Labels counterLabels(int s);
double residentMiB();
double cpuSeconds();

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

// The steps (each prints key=value lines and returns an exit code).
int ingest(const std::string &dir, std::int64_t samples, const std::function<std::vector<SeriesModel>()> &make,
           std::int64_t intervalMs, const std::string &openMetricsPath);
int retention(const std::string &dir, std::int64_t samples, int seriesCount, std::int64_t intervalMs);
int queries(const std::string &dir, const std::string &openMetricsPath, const std::string &upOpenMetricsDir);
int panels(const std::string &dir, std::int64_t endMs);
int live(const std::string &dir, int seriesCount, std::int64_t intervalMs, int seconds);
int generate(const std::string &path, const std::string &payload, int targets, double days, std::int64_t intervalMs,
             bool catchUp);

} // namespace storage_bench
