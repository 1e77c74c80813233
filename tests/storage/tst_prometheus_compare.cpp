// Conformance against the real thing: one OpenMetrics file is imported with `pulsectl import` and
// backfilled into a real Prometheus (`promtool tsdb create-blocks-from openmetrics`, then
// `prometheus` on 127.0.0.1 with a free port and a temporary data directory). The same instant and
// range queries go to both — Prometheus over /api/v1/query and /api/v1/query_range, ours through
// `pulsectl query --raw` (raw chunks, no rollup planner) — and the answers must hold the same series
// with the same timestamps and values within 1e-9 relative (NaN equals NaN).
//
// Skips with the reason when `prometheus`/`promtool` are not installed (scripts/test installs them).
#include "tests/storage/openmetrics_workload.h"
#include "tests/storage/prometheus_peer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cmath>
#include <memory>

using pulse::test::PrometheusPeer;

namespace {

constexpr double kRelativeTolerance = 1e-9;
const pulse::test::WorkloadOptions kWorkload;

// seconds formats a millisecond time for both APIs' time parameters.
QString seconds(std::int64_t ms)
{
    return QString::number(ms / 1000) + QLatin1Char('.') + QStringLiteral("%1").arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

std::int64_t at(double minutes)
{
    return kWorkload.startMs + static_cast<std::int64_t>(std::llround(minutes * 60'000));
}

// The queries cover counters across a reset, histograms, *_over_time, offset, aggregation with
// by/without, topk, comparisons with and without bool, and vector matching with on/ignoring and
// group_left. topk/bottomk run over values without ties: which of two equal values wins depends on
// each engine's heap order, and rates that are equal in exact arithmetic may differ in the last
// bit (Prometheus multiplies by (extrapolated / sampled) / range, which is not (x * r) / range).
const char *const kQueries[] = {
    "http_requests_total",
    "rate(http_requests_total[5m])",
    "increase(http_requests_total[10m])",
    "irate(http_requests_total[1m])",
    "sum by (route) (rate(http_requests_total[5m]))",
    "sum without (instance, code) (increase(http_requests_total[2m]))",
    "histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(0.5, rate(http_request_duration_seconds_bucket[10m]))",
    "rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])",
    "avg_over_time(temperature_celsius[10m])",
    "max_over_time(memory_usage_bytes[15m]) - min_over_time(memory_usage_bytes[15m])",
    "quantile_over_time(0.9, temperature_celsius[10m])",
    "temperature_celsius offset 30m",
    "rate(process_cpu_seconds_total[5m] offset 10m)",
    "topk(3, temperature_celsius)",
    "bottomk(1, memory_usage_bytes)",
    "temperature_celsius > 42",
    "temperature_celsius > bool 42",
    "rate(http_requests_total{code=\"500\"}[5m]) / ignoring(code) rate(http_requests_total{code=\"200\"}[5m])",
    "rate(http_requests_total[5m]) / on(instance) group_left sum by (instance) (rate(http_requests_total[5m]))",
    "temperature_celsius - on(instance) group_left avg by (instance) (temperature_celsius)",
    "delta(temperature_celsius[5m])",
    "deriv(memory_usage_bytes[10m])",
    "predict_linear(memory_usage_bytes[10m], 600)",
    "count by (instance) (queue_depth)",
    "avg by (instance) (rate(process_cpu_seconds_total[2m]))",
    "quantile by (route) (0.5, rate(http_requests_total[5m]))",
    "clamp_max(rate(http_requests_total[5m]), 5)",
    "round(temperature_celsius, 0.1) * 2 + 1",
    "absent(queue_depth{instance=\"10.0.0.9:8080\"})",
};

QString canonicalMetric(const QJsonValue &metric)
{
    return QString::fromUtf8(QJsonDocument(metric.toObject()).toJson(QJsonDocument::Compact));
}

double parseValue(const QJsonValue &v)
{
    const QString s = v.toString();
    if (s == QLatin1String("NaN"))
        return std::nan("");
    if (s == QLatin1String("+Inf"))
        return INFINITY;
    if (s == QLatin1String("-Inf"))
        return -INFINITY;
    bool ok = false;
    const double d = s.toDouble(&ok);
    return ok ? d : std::nan("1");
}

bool sameValue(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (a == b)
        return true;
    return std::fabs(a - b) <= kRelativeTolerance * std::max(std::fabs(a), std::fabs(b));
}

// comparePoints checks one [t, "v"] pair; returns a description of the difference or empty.
QString comparePoints(const QJsonArray &ours, const QJsonArray &theirs)
{
    const double ta = ours.at(0).toDouble(), tb = theirs.at(0).toDouble();
    const double va = parseValue(ours.at(1)), vb = parseValue(theirs.at(1));
    if (ta != tb || !sameValue(va, vb))
        return QStringLiteral("[%1, %2] vs Prometheus [%3, %4]")
            .arg(ta, 0, 'f', 3)
            .arg(ours.at(1).toString())
            .arg(tb, 0, 'f', 3)
            .arg(theirs.at(1).toString());
    return {};
}

// compareAnswers returns every difference between two API answers (empty when they agree).
QStringList compareAnswers(const QJsonObject &ours, const QJsonObject &theirs)
{
    const QString status = theirs.value(QLatin1String("status")).toString();
    if (ours.value(QLatin1String("status")).toString() != status || status != QLatin1String("success"))
        return {QStringLiteral("status: ours %1, Prometheus %2")
                    .arg(QString::fromUtf8(QJsonDocument(ours).toJson(QJsonDocument::Compact)),
                         QString::fromUtf8(QJsonDocument(theirs).toJson(QJsonDocument::Compact)))};
    const QJsonObject a = ours.value(QLatin1String("data")).toObject();
    const QJsonObject b = theirs.value(QLatin1String("data")).toObject();
    const QString type = b.value(QLatin1String("resultType")).toString();
    if (a.value(QLatin1String("resultType")).toString() != type)
        return {QStringLiteral("resultType: ours %1, Prometheus %2")
                    .arg(a.value(QLatin1String("resultType")).toString(), type)};
    if (type == QLatin1String("scalar")) {
        const QString d =
            comparePoints(a.value(QLatin1String("result")).toArray(), b.value(QLatin1String("result")).toArray());
        return d.isEmpty() ? QStringList{} : QStringList{d};
    }
    const QString pointsKey = type == QLatin1String("vector") ? QStringLiteral("value") : QStringLiteral("values");
    auto bySeries = [&](const QJsonObject &data) {
        QMap<QString, QJsonArray> out;
        for (const QJsonValue &s : data.value(QLatin1String("result")).toArray()) {
            const QJsonValue points = s.toObject().value(pointsKey);
            out.insert(canonicalMetric(s.toObject().value(QLatin1String("metric"))),
                       type == QLatin1String("vector") ? QJsonArray{points} : points.toArray());
        }
        return out;
    };
    const QMap<QString, QJsonArray> mine = bySeries(a), peer = bySeries(b);
    QStringList diffs;
    for (auto it = peer.begin(); it != peer.end(); ++it) {
        if (!mine.contains(it.key())) {
            diffs << QStringLiteral("missing %1 (%2 points)").arg(it.key()).arg(it.value().size());
            continue;
        }
        const QJsonArray &p = mine[it.key()], &q = it.value();
        if (p.size() != q.size())
            diffs << QStringLiteral("%1: %2 points, Prometheus %3").arg(it.key()).arg(p.size()).arg(q.size());
        for (qsizetype i = 0; i < std::min(p.size(), q.size()); ++i) {
            if (const QString d = comparePoints(p[i].toArray(), q[i].toArray()); !d.isEmpty()) {
                diffs << it.key() + QStringLiteral(" point %1: ").arg(i) + d;
                break;
            }
        }
    }
    for (auto it = mine.begin(); it != mine.end(); ++it)
        if (!peer.contains(it.key()))
            diffs << QStringLiteral("extra %1 (%2 points)").arg(it.key()).arg(it.value().size());
    return diffs;
}

} // namespace

class TstPrometheusCompare : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void instantQuery_data();
    void instantQuery();
    void rangeQuery_data();
    void rangeQuery();

private:
    QJsonObject ours(const QStringList &args);
    QJsonObject theirs(const std::string &endpoint, const QList<QPair<QString, QString>> &params);
    void compare(const QJsonObject &mine, const QJsonObject &peer);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<PrometheusPeer> m_prometheus;
    QString m_db;
};

void TstPrometheusCompare::initTestCase()
{
    if (const QString reason = PrometheusPeer::missingReason(); !reason.isEmpty())
        QSKIP(qPrintable(reason));
    const QString pulsectl = QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl");
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString om = m_dir->filePath(QStringLiteral("workload.om"));
    QFile f(om);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const std::string text = pulse::test::makeOpenMetricsWorkload(kWorkload);
    QCOMPARE(f.write(text.data(), static_cast<qint64>(text.size())), static_cast<qint64>(text.size()));
    f.close();

    m_db = m_dir->filePath(QStringLiteral("history.db"));
    QProcess import;
    import.start(pulsectl, {QStringLiteral("import"), QStringLiteral("--db"), m_db, om});
    QVERIFY(import.waitForFinished(120000));
    QVERIFY2(import.exitCode() == 0, import.readAllStandardError().constData());
    std::printf("pulsectl import: %s", import.readAllStandardOutput().constData());

    m_prometheus = std::make_unique<PrometheusPeer>(m_dir->path());
    auto backfilled = m_prometheus->backfill(om);
    QVERIFY2(backfilled, backfilled ? "" : backfilled.error().message.c_str());
    auto started = m_prometheus->start(std::chrono::seconds(60));
    QVERIFY2(started, started ? "" : started.error().message.c_str());
    std::printf("peer: %s\n", qPrintable(PrometheusPeer::version()));
}

void TstPrometheusCompare::cleanupTestCase()
{
    m_prometheus.reset();
}

QJsonObject TstPrometheusCompare::ours(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"),
            QStringList{QStringLiteral("query"), QStringLiteral("--db"), m_db, QStringLiteral("--raw")} + args);
    if (!p.waitForFinished(60000))
        return {};
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

QJsonObject TstPrometheusCompare::theirs(const std::string &endpoint, const QList<QPair<QString, QString>> &params)
{
    std::string query;
    for (const auto &[name, value] : params)
        query += (query.empty() ? "?" : "&") + name.toStdString() + '=' + QUrl::toPercentEncoding(value).toStdString();
    auto body = m_prometheus->get(endpoint + query);
    if (!body) {
        qWarning("Prometheus: %s", body.error().message.c_str());
        return {};
    }
    return QJsonDocument::fromJson(QByteArray::fromStdString(*body)).object();
}

void TstPrometheusCompare::compare(const QJsonObject &mine, const QJsonObject &peer)
{
    QVERIFY2(!peer.isEmpty(), "no answer from Prometheus");
    QVERIFY2(!mine.isEmpty(), "no answer from pulsectl query");
    const QStringList diffs = compareAnswers(mine, peer);
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 8).join(QLatin1Char('\n'))));
    // An empty answer on both sides would prove nothing for most queries; say so in the log.
    const QJsonValue result = peer.value(QLatin1String("data")).toObject().value(QLatin1String("result"));
    if (result.isArray() && result.toArray().isEmpty())
        qInfo("both answers empty");
}

void TstPrometheusCompare::instantQuery_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("time");
    // Mid-run; 20 s after instance 2 restarted; 200 s after the last scrape (inside the lookback).
    const std::int64_t restart = kWorkload.startMs + kWorkload.restartScrape * kWorkload.intervalMs;
    const std::int64_t last = kWorkload.startMs + (kWorkload.scrapes - 1) * kWorkload.intervalMs;
    const std::pair<const char *, std::int64_t> times[] = {
        {"mid", at(30)}, {"after restart", restart + 20'000}, {"after end", last + 200'000}};
    for (const char *q : kQueries)
        for (const auto &[name, ms] : times)
            QTest::addRow("%s @ %s", q, name) << QString::fromUtf8(q) << seconds(ms);
}

void TstPrometheusCompare::instantQuery()
{
    QFETCH(QString, expr);
    QFETCH(QString, time);
    compare(ours({QStringLiteral("--time"), time, expr}),
            theirs("/api/v1/query", {{QStringLiteral("query"), expr}, {QStringLiteral("time"), time}}));
}

void TstPrometheusCompare::rangeQuery_data()
{
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("end");
    QTest::addColumn<QString>("step");
    // The whole run and 10 minutes past it (series end within the lookback) at 1 minute; the
    // restart at 15 s from a start that is not on the scrape grid.
    const std::int64_t restart = kWorkload.startMs + kWorkload.restartScrape * kWorkload.intervalMs;
    for (const char *q : kQueries) {
        QTest::addRow("%s, 2h10m at 60s", q)
            << QString::fromUtf8(q) << seconds(at(0)) << seconds(at(130)) << QStringLiteral("60");
        QTest::addRow("%s, restart at 15s", q)
            << QString::fromUtf8(q) << seconds(restart - 600'123) << seconds(restart + 600'000) << QStringLiteral("15");
    }
}

void TstPrometheusCompare::rangeQuery()
{
    QFETCH(QString, expr);
    QFETCH(QString, start);
    QFETCH(QString, end);
    QFETCH(QString, step);
    compare(
        ours({QStringLiteral("--start"), start, QStringLiteral("--end"), end, QStringLiteral("--step"), step, expr}),
        theirs("/api/v1/query_range", {{QStringLiteral("query"), expr},
                                       {QStringLiteral("start"), start},
                                       {QStringLiteral("end"), end},
                                       {QStringLiteral("step"), step}}));
}

QTEST_GUILESS_MAIN(TstPrometheusCompare)
#include "tst_prometheus_compare.moc"
