// The comparison workload (see openmetrics_workload.h). OpenMetrics wants each family's lines
// together and each series' points in time order, so values are generated per scrape first and
// written family by family, series by series.
#include "tests/storage/openmetrics_workload.h"

#include <array>
#include <charconv>
#include <cmath>
#include <random>
#include <vector>

namespace pulse::test {

namespace {

constexpr std::array kRoutes = {"/api/users", "/api/orders", "/health"};
constexpr std::array kCodes = {"200", "500"};
constexpr std::array kSensors = {"cpu", "gpu"};
constexpr std::array kBuckets = {0.05, 0.1, 0.25, 0.5, 1.0};
constexpr std::array kBucketLabels = {"0.05", "0.1", "0.25", "0.5", "1.0", "+Inf"};
constexpr int kInstances = 2;

std::string instanceName(int i)
{
    return "10.0.0." + std::to_string(i + 1) + ":8080";
}

// number writes the shortest text that reads back as exactly `v`, as both parsers expect.
std::string number(double v)
{
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, ec == std::errc() ? end : buf);
}

struct Point {
    std::int64_t ms;
    double value;
};

// Series is one label set's points; `head` is its metric name and labels, ready to print.
struct Series {
    std::string head;
    std::vector<Point> points;
};

std::string timestamp(std::int64_t ms)
{
    std::string frac = std::to_string(ms % 1000);
    return std::to_string(ms / 1000) + '.' + std::string(3 - frac.size(), '0') + frac;
}

void writeSeries(std::string &out, const Series &s)
{
    for (const Point &p : s.points)
        out += s.head + ' ' + number(p.value) + ' ' + timestamp(p.ms) + '\n';
}

} // namespace

std::string makeOpenMetricsWorkload(const WorkloadOptions &o)
{
    std::mt19937_64 rng(o.seed);
    auto below = [&](std::uint64_t n) { return static_cast<double>(rng() % n); };

    std::vector<Series> requests, cpu, memory, temperature, queue;
    // Histogram points: per (instance, route), per scrape, the cumulative buckets, count and sum.
    struct HistogramPoint {
        std::int64_t ms;
        std::array<double, kBucketLabels.size()> buckets;
        double sum;
    };
    std::vector<std::pair<std::string, std::vector<HistogramPoint>>> histograms;

    for (int i = 0; i < kInstances; ++i) {
        const std::string inst = "instance=\"" + instanceName(i) + "\",job=\"api\"";
        for (const char *route : kRoutes)
            for (const char *code : kCodes)
                requests.push_back(
                    {"http_requests_total{" + inst + ",route=\"" + route + "\",code=\"" + code + "\"}", {}});
        cpu.push_back({"process_cpu_seconds_total{" + inst + "}", {}});
        memory.push_back({"memory_usage_bytes{" + inst + "}", {}});
        for (const char *sensor : kSensors)
            temperature.push_back({"temperature_celsius{" + inst + ",sensor=\"" + sensor + "\"}", {}});
        queue.push_back({"queue_depth{" + inst + "}", {}});
        for (std::size_t r = 0; r < 2; ++r)
            histograms.push_back({inst + ",route=\"" + kRoutes[r] + "\"", {}});
    }

    std::vector<double> counts(requests.size(), 0), cpuSeconds(kInstances, 0), memoryBytes(kInstances, 2.5e8);
    std::vector<HistogramPoint> histogramState(histograms.size(), HistogramPoint{0, {}, 0});
    for (int s = 0; s < o.scrapes; ++s) {
        for (int i = 0; i < kInstances; ++i) {
            // Prometheus aligns scrape timestamps; now and then one is a few milliseconds late.
            const std::int64_t ms = o.startMs + s * o.intervalMs + (rng() % 10 == 0 ? 1 + rng() % 40 : 0);
            const bool restart = i == 1 && s == o.restartScrape;
            const double load = 1.0 + 0.5 * std::sin(s / 40.0 + i);
            for (std::size_t k = 0; k < kRoutes.size() * kCodes.size(); ++k) {
                const std::size_t idx = i * kRoutes.size() * kCodes.size() + k;
                const double inc = k % 2 == 0 ? std::floor(below(40) * load) : below(3);
                counts[idx] = restart ? inc : counts[idx] + inc;
                requests[idx].points.push_back({ms, counts[idx]});
            }
            const double busy = std::round((cpuSeconds[i] + 0.5 + below(250) / 100) * 100) / 100;
            cpuSeconds[i] = restart ? 0.37 : busy;
            cpu[i].points.push_back({ms, cpuSeconds[i]});
            memoryBytes[i] = restart ? 1.2e8 : memoryBytes[i] + (below(9) - 4) * 4096;
            memory[i].points.push_back({ms, memoryBytes[i]});
            for (std::size_t t = 0; t < kSensors.size(); ++t)
                temperature[i * kSensors.size() + t].points.push_back(
                    {ms, 40 + 8 * std::sin(s / 25.0 + static_cast<double>(t)) + below(1000) / 997.0});
            if (i == 0 || s <= o.stopScrape)
                queue[i].points.push_back({ms, below(20)});
            for (std::size_t r = 0; r < 2; ++r) {
                HistogramPoint &h = histogramState[i * 2 + r];
                if (restart)
                    h = HistogramPoint{0, {}, 0};
                const int observations = static_cast<int>(below(30) * load);
                for (int n = 0; n < observations; ++n) {
                    // Route 0 is fast, route 1 slow: their quantiles land in different buckets.
                    const double seconds = (below(1000) / 1000.0) * (r == 0 ? 0.3 : 1.4);
                    for (std::size_t b = 0; b < kBucketLabels.size(); ++b)
                        if (b == kBuckets.size() || seconds <= kBuckets[b])
                            h.buckets[b] += 1;
                    h.sum += seconds;
                }
                h.ms = ms;
                histograms[i * 2 + r].second.push_back(h);
            }
        }
    }

    std::string out;
    out += "# TYPE http_requests counter\n# HELP http_requests Requests served.\n";
    for (const Series &s : requests)
        writeSeries(out, s);
    out += "# TYPE process_cpu_seconds counter\n";
    for (const Series &s : cpu)
        writeSeries(out, s);
    out += "# TYPE memory_usage_bytes gauge\n";
    for (const Series &s : memory)
        writeSeries(out, s);
    out += "# TYPE temperature_celsius gauge\n";
    for (const Series &s : temperature)
        writeSeries(out, s);
    out += "# TYPE queue_depth gauge\n";
    for (const Series &s : queue)
        writeSeries(out, s);
    out += "# TYPE http_request_duration_seconds histogram\n";
    for (const auto &[labels, points] : histograms) {
        for (const HistogramPoint &h : points) {
            const std::string ts = ' ' + timestamp(h.ms) + '\n';
            for (std::size_t b = 0; b < kBucketLabels.size(); ++b)
                out += "http_request_duration_seconds_bucket{" + labels + ",le=\"" + kBucketLabels[b] + "\"} " +
                       number(h.buckets[b]) + ts;
            out += "http_request_duration_seconds_count{" + labels + "} " + number(h.buckets.back()) + ts;
            out += "http_request_duration_seconds_sum{" + labels + "} " + number(h.sum) + ts;
        }
    }
    out += "# EOF\n";
    return out;
}

} // namespace pulse::test
