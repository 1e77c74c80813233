// storage_bench: the series models (generated, or replaying a captured node_exporter payload) and
// small helpers the steps share.
#include "storage_bench.h"

#include "core/exposition/exposition_parser.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

using namespace pulse;

namespace storage_bench {

double secondsSince(SteadyClock::time_point t0)
{
    return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

namespace {

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

} // namespace

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
        m.labels = Labels({{"instance", numbered("host-", i / 50) + ":9100"},
                           {"job", "node"},
                           {"device", numbered("dev", i % 50)}});
        m.value = m.kind == 0 ? 1e11 + i : m.kind == 4 ? 1 << 30 : 1000 + i;
        models.push_back(std::move(m));
    }
    return models;
}

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

std::string numbered(std::string_view prefix, long long n)
{
    std::string out(prefix);
    out += std::to_string(n);
    return out;
}

Labels counterLabels(int s)
{
    return Labels({{"route", numbered("/r", s % 10)}, {"instance", numbered("i", s / 10)}});
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

} // namespace storage_bench
