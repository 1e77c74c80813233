// Lossless storage on real-shaped data: the payload of Debian's prometheus-node-exporter, captured
// from one started on loopback by this test, replayed for 6 h at 15 s (counters growing by integer or
// fractional steps, gauges wandering at the decimals they were printed with, constants constant, and
// whatever NaN/Inf the exporter printed) through the writer with a restart half-way, then read back:
// every timestamp and every value's bit pattern must be what was written.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "core/exposition/exposition_parser.h"
#include "storage/sqlite_history.h"
#include "storage/store_writer.h"
#include "tests/storage/loopback_port.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <random>
#include <thread>

using namespace pulse;
using namespace pulse::storage;

namespace {

constexpr std::int64_t kT0 = 1'699'999'200'000;
constexpr std::int64_t kIntervalMs = 15'000;
constexpr int kRounds = 6 * 3600 / 15;

// decimalsOf is the fewest decimals (up to 9) that print v exactly, or -1.
int decimalsOf(double v)
{
    for (int d = 0; d <= 9; ++d) {
        const double scale = std::pow(10.0, d);
        if (std::isfinite(v) && std::round(v * scale) / scale == v)
            return d;
    }
    return -1;
}

// Evolution is how one series of the payload moves from scrape to scrape.
struct Evolution {
    std::string metric;
    Labels labels;
    double value = 0;
    int kind = 0; // 0 constant, 1 counter, 2 gauge
    int decimals = -1;
    double step = 0;

    double next(std::mt19937_64 &rng)
    {
        if (kind == 1) {
            value += step * static_cast<double>(rng() % 4);
        } else if (kind == 2) {
            const double delta = step * (static_cast<double>(rng() % 21) - 10.0);
            value += delta;
        }
        if (kind != 0 && decimals >= 0) {
            const double scale = std::pow(10.0, decimals);
            value = std::round(value * scale) / scale;
        }
        return value;
    }
};

std::vector<Evolution> evolutionsOf(const std::vector<ParsedSample> &samples)
{
    std::vector<Evolution> out;
    for (const ParsedSample &p : samples) {
        Evolution e;
        e.metric = p.name;
        e.labels = p.labels;
        e.labels.set("job", "node");
        e.labels.set("instance", "127.0.0.1:9100");
        e.value = p.value;
        e.decimals = decimalsOf(p.value);
        const double magnitude = std::max(1.0, std::abs(p.value));
        if (!std::isfinite(p.value) || p.name.ends_with("_info") || p.name.find("start_time") != std::string::npos) {
            e.kind = 0;
        } else if (p.name.ends_with("_total") || p.name.ends_with("_count") || p.name.ends_with("_sum") ||
                   p.name.ends_with("_bucket")) {
            e.kind = 1;
            e.step = e.decimals == 0 ? std::max(1.0, std::round(magnitude * 1e-6)) : std::max(0.01, magnitude * 1e-6);
        } else {
            e.kind = 2;
            e.step = e.decimals == 0 ? std::max(1.0, std::round(magnitude * 1e-4)) : magnitude * 1e-4;
        }
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace

class TstNodeRoundTrip : public QObject {
    Q_OBJECT
private slots:
    void nodeExporterPayloadRoundTripsBitExact()
    {
        const QString exporter = QStandardPaths::findExecutable(QStringLiteral("prometheus-node-exporter"));
        QVERIFY2(!exporter.isEmpty(), "prometheus-node-exporter is not installed (scripts/test installs it)");
        const int port = test::freeLoopbackPort();
        QVERIFY(port > 0);
        QProcess server;
        server.start(exporter, {QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port)});
        QVERIFY(server.waitForStarted(10'000));
        std::string payload;
        {
            IoRuntime io(1);
            HttpClient http(io);
            for (int attempt = 0; attempt < 100 && payload.empty(); ++attempt) {
                HttpRequest req;
                req.url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
                req.timeout = std::chrono::seconds(10);
                auto res = http.fetchBlocking(std::move(req));
                if (res && res->status == 200)
                    payload = std::move(res->body);
                else
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        server.kill();
        server.waitForFinished(5000);
        QVERIFY2(!payload.empty(), "node_exporter did not answer on loopback");
        auto parsed = parseExposition(payload, ExpositionFormat::PrometheusText);
        QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
        QVERIFY2(parsed->samples.size() > 200, "a node_exporter payload has hundreds of series");
        std::vector<Evolution> series = evolutionsOf(parsed->samples);

        // Expected values, written in two halves with a restart between them (heads restored).
        std::mt19937_64 rng(42);
        std::vector<std::vector<double>> expected(series.size());
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("node.db")).toStdString();
        for (int half = 0; half < 2; ++half) {
            auto writer = StoreWriter::open(path);
            QVERIFY2(writer, writer ? "" : writer.error().message.c_str());
            for (int r = half * kRounds / 2; r < (half + 1) * kRounds / 2; ++r) {
                MetricBatch batch;
                for (std::size_t i = 0; i < series.size(); ++i) {
                    const double v = series[i].next(rng);
                    expected[i].push_back(v);
                    batch.samples.push_back(Sample{series[i].metric, series[i].labels, kT0 + r * kIntervalMs, v});
                }
                (*writer)->add(batch);
                if (r % 20 == 0)
                    QVERIFY((*writer)->commit());
            }
            QVERIFY((*writer)->commit());
            if (half == 1)
                QVERIFY((*writer)->checkpointAll());
            // half 0 ends without a clean stop: the head log carries what the head rows do not.
        }

        auto history = SqliteHistory::open(path);
        QVERIFY2(history, history ? "" : history.error().message.c_str());
        std::size_t compared = 0;
        for (std::size_t i = 0; i < series.size(); ++i) {
            std::vector<LabelMatcher> m{{"__name__", LabelMatcher::Op::Equal, series[i].metric}};
            for (const Label &l : series[i].labels)
                m.push_back(LabelMatcher{l.name, LabelMatcher::Op::Equal, l.value});
            auto got = (*history)->select(m, kT0, kT0 + kRounds * kIntervalMs);
            QVERIFY(got);
            // Equality matchers with an empty value also match series without the label: pick ours.
            const SeriesData *mine = nullptr;
            for (const SeriesData &s : *got)
                if (s.labels == series[i].labels)
                    mine = &s;
            QVERIFY2(mine, series[i].metric.c_str());
            QCOMPARE(mine->values.size(), expected[i].size());
            for (std::size_t k = 0; k < expected[i].size(); ++k) {
                QCOMPARE(mine->timestampsMs[k], kT0 + static_cast<std::int64_t>(k) * kIntervalMs);
                if (std::bit_cast<std::uint64_t>(mine->values[k]) != std::bit_cast<std::uint64_t>(expected[i][k]))
                    QFAIL(qPrintable(QStringLiteral("%1 sample %2: wrote %3, read %4")
                                         .arg(QString::fromStdString(series[i].metric))
                                         .arg(k)
                                         .arg(expected[i][k], 0, 'g', 17)
                                         .arg(mine->values[k], 0, 'g', 17)));
                ++compared;
            }
        }
        QCOMPARE(compared, series.size() * static_cast<std::size_t>(kRounds));
    }
};

QTEST_GUILESS_MAIN(TstNodeRoundTrip)
#include "tst_node_round_trip.moc"
