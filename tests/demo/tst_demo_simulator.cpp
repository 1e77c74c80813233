// DemoSimulator: determinism, valid and consistent Prometheus text, the incident timetable, health,
// stats and GraphQL answers, the daily load curve, and bounded work for long jumps.
#include "demo/demo_simulator.h"
#include "exposition_check.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <map>
#include <string>

using namespace pulse::demo;
using pulse::demo::test::checkExposition;
using pulse::demo::test::Exposition;
using pulse::demo::test::familyOf;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

/// kStart is 2026-11-29T09:00:00Z, mid-morning so the load is moderate.
const std::int64_t kStart = QDateTime(QDate(2026, 11, 29), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch();

QByteArray bytes(const std::string &text)
{
    return QByteArray::fromStdString(text);
}

QJsonObject jsonObject(const std::string &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes(text), &error);
    return error.error == QJsonParseError::NoError && document.isObject() ? document.object() : QJsonObject();
}

/// runSteps drives a simulator through a fixed mix of short and long steps and collects everything.
std::string runSteps(std::uint64_t seed)
{
    DemoOptions options;
    options.seed = seed;
    options.incidentEveryMs = 2 * kMinute;
    DemoSimulator sim(options, kStart);
    std::string all;
    std::int64_t now = kStart;
    for (std::int64_t step :
         std::initializer_list<std::int64_t>{250, 250, 1000, 30'000, 7 * kMinute, 100, 2 * kHour, 5000, 45'000}) {
        now += step;
        sim.advanceTo(now);
        all += sim.metricsText();
        for (const std::string &line : sim.takeAccessLogLines())
            all += line + '\n';
        for (const std::string &line : sim.takeAppLogLines())
            all += line + '\n';
        all += sim.health(now).body + sim.stats().body + sim.graphql(R"({"query":"{ stats { activeUsers } }"})").body;
    }
    return all;
}

} // namespace

class TstDemoSimulator : public QObject {
    Q_OBJECT
private slots:
    void deterministicForSeed();
    void exposition_data();
    void exposition();
    void countersNeverDecrease();
    void labelValuesEscaped();
    void pastIsNoOp();
    void incidentTimetable_data();
    void incidentTimetable();
    void incidentsDisabled();
    void refusedConnectionsServeNothing();
    void errorBurst();
    void latencySpike();
    void healthShape();
    void statsShape();
    void graphqlSeesCounters();
    void loadFollowsTheDay();
    void longJumpIsBounded();
};

void TstDemoSimulator::deterministicForSeed()
{
    const std::string first = runSteps(7);
    QVERIFY(first.size() > 10'000);
    QVERIFY(first == runSteps(7));
    QVERIFY(first != runSteps(8));
}

void TstDemoSimulator::exposition_data()
{
    QTest::addColumn<qint64>("step");
    QTest::addColumn<int>("steps");
    QTest::newRow("fresh") << qint64(0) << 0;
    QTest::newRow("detailed steps") << qint64(500) << 40;
    QTest::newRow("bulk jump") << qint64(3 * kHour) << 1;
    QTest::newRow("mixed") << qint64(97 * kSecond) << 30;
}

void TstDemoSimulator::exposition()
{
    QFETCH(qint64, step);
    QFETCH(int, steps);
    DemoSimulator sim(DemoOptions{}, kStart);
    for (int i = 1; i <= steps; ++i)
        sim.advanceTo(kStart + i * step);

    const Exposition e = checkExposition(sim.metricsText());
    QVERIFY2(e.error.empty(), e.error.c_str());
    const std::map<std::string, std::string> expectedTypes{
        {"http_requests_total", "counter"},         {"http_request_duration_seconds", "histogram"},
        {"db_pool_connections", "gauge"},           {"cache_hits_total", "counter"},
        {"cache_misses_total", "counter"},          {"process_cpu_seconds_total", "counter"},
        {"process_resident_memory_bytes", "gauge"}, {"process_start_time_seconds", "gauge"},
        {"demo_incident_active", "gauge"},          {"demo_build_info", "gauge"},
    };
    for (const auto &[name, type] : expectedTypes) {
        QVERIFY2(e.types.contains(name), name.c_str());
        QCOMPARE(bytes(e.types.at(name)), bytes(type));
    }
    const std::string route = "http_request_duration_seconds_bucket{route=\"/api/users\",le=\"";
    for (const char *le : {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"})
        QVERIFY2(e.samples.contains(route + le + "\"}"), le);
    QCOMPARE(e.value("demo_build_info{version=\"1.4.2\"}"), 1.0);
    QCOMPARE(e.value("process_start_time_seconds"), double(kStart) / 1000.0);
    QCOMPARE(e.value("db_pool_connections{state=\"idle\"}") + e.value("db_pool_connections{state=\"active\"}"), 20.0);
    QCOMPARE(e.sum("http_requests_total{"), double(sim.requestsSimulated()));
    QCOMPARE(e.sum("http_request_duration_seconds_count{"), double(sim.requestsSimulated()));
    if (steps > 0) {
        QVERIFY(sim.requestsSimulated() > 0);
        QVERIFY(e.value("cache_hits_total") > e.value("cache_misses_total"));
    }
}

void TstDemoSimulator::countersNeverDecrease()
{
    DemoOptions options;
    options.incidentEveryMs = 3 * kMinute;
    DemoSimulator sim(options, kStart);
    Exposition previous = checkExposition(sim.metricsText());
    std::uint64_t previousRequests = 0;
    std::int64_t now = kStart;
    for (std::int64_t step : std::initializer_list<std::int64_t>{100, 100, 5000, 90'000, 3 * kHour, 333, 20 * kMinute,
                                                                 1, 61'000, 10 * kMinute}) {
        now += step;
        sim.advanceTo(now);
        const Exposition current = checkExposition(sim.metricsText());
        QVERIFY2(current.error.empty(), current.error.c_str());
        for (const auto &[series, value] : previous.samples) {
            const std::string name = series.substr(0, series.find('{'));
            const std::string family = familyOf(name, current.types);
            if (current.types.at(family) == "gauge")
                continue;
            QVERIFY2(current.samples.contains(series), series.c_str());
            QVERIFY2(current.value(series) >= value, series.c_str());
        }
        QVERIFY(sim.requestsSimulated() >= previousRequests);
        previousRequests = sim.requestsSimulated();
        previous = current;
    }
    QVERIFY(previousRequests > 100'000);
}

void TstDemoSimulator::labelValuesEscaped()
{
    DemoOptions options;
    options.version = "2.0 \"rc\\1\"\nnext";
    DemoSimulator sim(options, kStart);
    const std::string text = sim.metricsText();
    QVERIFY(text.find("demo_build_info{version=\"2.0 \\\"rc\\\\1\\\"\\nnext\"} 1\n") != std::string::npos);
    const Exposition e = checkExposition(text);
    QVERIFY2(e.error.empty(), e.error.c_str());
}

void TstDemoSimulator::pastIsNoOp()
{
    DemoSimulator sim(DemoOptions{}, kStart);
    sim.advanceTo(kStart + 10 * kSecond);
    const std::string before = sim.metricsText();
    const std::uint64_t requests = sim.requestsSimulated();
    sim.advanceTo(kStart + 5 * kSecond);
    sim.advanceTo(kStart + 10 * kSecond);
    QCOMPARE(sim.requestsSimulated(), requests);
    QVERIFY(sim.metricsText() == before);
    QCOMPARE(sim.simulatedUntilMs(), kStart + 10 * kSecond);
}

void TstDemoSimulator::incidentTimetable_data()
{
    QTest::addColumn<qint64>("period");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("startOffset");
    QTest::addColumn<qint64>("endOffset");

    const qint64 p = 10 * kMinute;
    const auto none = int(IncidentKind::None);
    QTest::newRow("before first") << p << p - 1 << none << qint64(0) << qint64(0);
    QTest::newRow("spike starts") << p << p << int(IncidentKind::LatencySpike) << p << p + kMinute;
    QTest::newRow("spike last ms") << p << p + kMinute - 1 << int(IncidentKind::LatencySpike) << p << p + kMinute;
    QTest::newRow("spike over") << p << p + kMinute << none << qint64(0) << qint64(0);
    QTest::newRow("burst") << p << 2 * p + 10 * kSecond << int(IncidentKind::ErrorBurst) << 2 * p
                           << 2 * p + 30 * kSecond;
    QTest::newRow("burst over") << p << 2 * p + 30 * kSecond << none << qint64(0) << qint64(0);
    QTest::newRow("refused") << p << 3 * p + 4999 << int(IncidentKind::RefusedConnections) << 3 * p << 3 * p + 5000;
    QTest::newRow("refused over") << p << 3 * p + 5000 << none << qint64(0) << qint64(0);
    QTest::newRow("cycle repeats") << p << 4 * p + 1 << int(IncidentKind::LatencySpike) << 4 * p << 4 * p + kMinute;
    QTest::newRow("day later") << p << 144 * p << int(IncidentKind::RefusedConnections) << 144 * p << 144 * p + 5000;
    // Short periods cap each incident at half the period, so incidents never overlap.
    QTest::newRow("short period spike") << qint64(20'000) << qint64(29'999) << int(IncidentKind::LatencySpike)
                                        << qint64(20'000) << qint64(30'000);
    QTest::newRow("short period gap") << qint64(20'000) << qint64(30'000) << none << qint64(0) << qint64(0);
    QTest::newRow("before start") << p << -5 * p << none << qint64(0) << qint64(0);
}

void TstDemoSimulator::incidentTimetable()
{
    QFETCH(qint64, period);
    QFETCH(qint64, offset);
    QFETCH(int, kind);
    QFETCH(qint64, startOffset);
    QFETCH(qint64, endOffset);
    DemoOptions options;
    options.incidentEveryMs = period;
    const DemoSimulator sim(options, kStart);
    const IncidentState state = sim.incidentAt(kStart + offset);
    QCOMPARE(int(state.kind), kind);
    QCOMPARE(sim.refusingConnections(kStart + offset), state.kind == IncidentKind::RefusedConnections);
    if (state.kind != IncidentKind::None) {
        QCOMPARE(state.startMs, kStart + startOffset);
        QCOMPARE(state.endMs, kStart + endOffset);
    }
    if (state.kind == IncidentKind::LatencySpike)
        QVERIFY(state.latencyFactor >= 10 && state.latencyFactor <= 20);
    if (state.kind == IncidentKind::ErrorBurst)
        QVERIFY(state.errorRatio >= 0.35 && state.errorRatio <= 0.45);
}

void TstDemoSimulator::incidentsDisabled()
{
    DemoOptions options;
    options.incidentEveryMs = 0;
    const DemoSimulator sim(options, kStart);
    for (std::int64_t t = kStart; t < kStart + 3 * kHour; t += 7 * kSecond)
        QVERIFY(sim.incidentAt(t).kind == IncidentKind::None);
}

void TstDemoSimulator::refusedConnectionsServeNothing()
{
    DemoOptions options;
    options.incidentEveryMs = kMinute;
    DemoSimulator sim(options, kStart);
    const IncidentState refused = sim.incidentAt(kStart + 3 * kMinute);
    QVERIFY(refused.kind == IncidentKind::RefusedConnections);
    sim.advanceTo(refused.startMs);
    const std::uint64_t before = sim.requestsSimulated();
    for (std::int64_t t = refused.startMs + 100; t < refused.endMs; t += 100)
        sim.advanceTo(t);
    QCOMPARE(sim.requestsSimulated(), before);
    QVERIFY(sim.metricsText().find("demo_incident_active{kind=\"refused_connections\"} 1\n") != std::string::npos);
    sim.advanceTo(refused.endMs + 10 * kSecond);
    QVERIFY(sim.requestsSimulated() > before);
    QVERIFY(!sim.refusingConnections(refused.endMs));

    bool logged = false;
    for (const std::string &line : sim.takeAppLogLines())
        logged = logged || line.find("listener closed") != std::string::npos;
    QVERIFY(logged);
}

void TstDemoSimulator::errorBurst()
{
    DemoOptions options;
    options.incidentEveryMs = 10 * kMinute;
    DemoSimulator sim(options, kStart);
    const IncidentState burst = sim.incidentAt(kStart + 20 * kMinute + 1);
    QVERIFY(burst.kind == IncidentKind::ErrorBurst);

    QCOMPARE(sim.health(burst.startMs - 1).status, 200);
    sim.advanceTo(burst.startMs);
    const Exposition before = checkExposition(sim.metricsText());
    for (std::int64_t t = burst.startMs + 250; t <= burst.endMs - 1; t += 250)
        sim.advanceTo(t);
    const Exposition during = checkExposition(sim.metricsText());
    QVERIFY2(during.error.empty(), during.error.c_str());

    const double all = during.sum("http_requests_total{") - before.sum("http_requests_total{");
    double serverErrors = 0;
    for (const auto &[series, value] : during.samples)
        if (series.starts_with("http_requests_total{") && series.find("status=\"5") != std::string::npos)
            serverErrors += value - (before.samples.contains(series) ? before.value(series) : 0.0);
    QVERIFY(all > 100);
    QVERIFY2(serverErrors / all > 0.25 && serverErrors / all < 0.5, std::to_string(serverErrors / all).c_str());
    QCOMPARE(during.value("demo_incident_active{kind=\"error_burst\"}"), 1.0);
    QCOMPARE(during.value("demo_incident_active{kind=\"latency_spike\"}"), 0.0);

    const HttpAnswer health = sim.health(burst.startMs + 5 * kSecond);
    QCOMPARE(health.status, 503);
    QCOMPARE(jsonObject(health.body).value(QStringLiteral("status")).toString(), QStringLiteral("degraded"));
    QCOMPARE(sim.health(burst.endMs).status, 200);
}

void TstDemoSimulator::latencySpike()
{
    DemoOptions options;
    options.incidentEveryMs = 10 * kMinute;
    DemoSimulator sim(options, kStart);
    const IncidentState spike = sim.incidentAt(kStart + 10 * kMinute);
    QVERIFY(spike.kind == IncidentKind::LatencySpike);

    const std::string sumSeries = "http_request_duration_seconds_sum{route=\"/api/users\"}";
    const std::string countSeries = "http_request_duration_seconds_count{route=\"/api/users\"}";
    sim.advanceTo(spike.startMs - kMinute);
    const Exposition e0 = checkExposition(sim.metricsText());
    sim.advanceTo(spike.startMs);
    const Exposition e1 = checkExposition(sim.metricsText());
    for (std::int64_t t = spike.startMs + kSecond; t <= spike.endMs; t += kSecond)
        sim.advanceTo(t);
    const Exposition e2 = checkExposition(sim.metricsText());
    const double normalMean =
        (e1.value(sumSeries) - e0.value(sumSeries)) / (e1.value(countSeries) - e0.value(countSeries));
    const double spikeMean =
        (e2.value(sumSeries) - e1.value(sumSeries)) / (e2.value(countSeries) - e1.value(countSeries));
    QVERIFY2(spikeMean > 5 * normalMean, (std::to_string(normalMean) + " vs " + std::to_string(spikeMean)).c_str());

    bool warned = false;
    for (const std::string &line : sim.takeAppLogLines())
        warned = warned || line.find("\"level\":\"warn\",\"msg\":\"slow request\"") != std::string::npos;
    QVERIFY(warned);
}

void TstDemoSimulator::healthShape()
{
    DemoSimulator sim(DemoOptions{}, kStart);
    sim.advanceTo(kStart + 90 * kSecond);
    const HttpAnswer answer = sim.health(kStart + 90 * kSecond + 400);
    QCOMPARE(answer.status, 200);
    QCOMPARE(bytes(answer.contentType), QByteArray("application/json"));
    const QJsonObject health = jsonObject(answer.body);
    QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(health.value(QStringLiteral("version")).toString(), QStringLiteral("1.4.2"));
    QCOMPARE(health.value(QStringLiteral("uptime_seconds")).toInteger(), 90);
    const QJsonObject checks = health.value(QStringLiteral("checks")).toObject();
    for (const QString &check : {QStringLiteral("database"), QStringLiteral("cache"), QStringLiteral("queue")}) {
        const QJsonObject c = checks.value(check).toObject();
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QVERIFY(c.value(QStringLiteral("latency_ms")).toDouble() > 0);
    }
}

void TstDemoSimulator::statsShape()
{
    DemoSimulator sim(DemoOptions{}, kStart);
    sim.advanceTo(kStart + 5 * kMinute);
    const HttpAnswer answer = sim.stats();
    QCOMPARE(answer.status, 200);
    const QJsonObject stats = jsonObject(answer.body);
    const QJsonObject requests = stats.value(QStringLiteral("requests")).toObject();
    QCOMPARE(requests.value(QStringLiteral("total")).toInteger(), qint64(sim.requestsSimulated()));
    QVERIFY(requests.value(QStringLiteral("errors")).isDouble());
    const QJsonObject connections =
        stats.value(QStringLiteral("db")).toObject().value(QStringLiteral("connections")).toObject();
    QCOMPARE(connections.value(QStringLiteral("active")).toInt() + connections.value(QStringLiteral("idle")).toInt(),
             20);
    QVERIFY(connections.value(QStringLiteral("waiting")).isDouble());
    const QJsonObject queue = stats.value(QStringLiteral("queue")).toObject();
    QVERIFY(queue.value(QStringLiteral("depth")).isDouble());
    QVERIFY(queue.value(QStringLiteral("oldest_age_seconds")).toDouble() > 0);
    const double hitRatio =
        stats.value(QStringLiteral("cache")).toObject().value(QStringLiteral("hit_ratio")).toDouble();
    QVERIFY(hitRatio > 0.85 && hitRatio < 0.98);
    QVERIFY(stats.value(QStringLiteral("users")).toObject().value(QStringLiteral("active")).toInt() > 0);
}

void TstDemoSimulator::graphqlSeesCounters()
{
    DemoSimulator sim(DemoOptions{}, kStart);
    sim.advanceTo(kStart + kMinute);
    const HttpAnswer answer =
        sim.graphql(R"({"query":"{ s: stats { total: requestsTotal } health { uptimeSeconds } }"})");
    QCOMPARE(answer.status, 200);
    const QJsonObject data = jsonObject(answer.body).value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("s")).toObject().value(QStringLiteral("total")).toDouble(),
             double(sim.requestsSimulated()));
    QCOMPARE(data.value(QStringLiteral("health")).toObject().value(QStringLiteral("uptimeSeconds")).toDouble(), 60.0);
    QCOMPARE(sim.graphql("not json").status, 400);
}

void TstDemoSimulator::loadFollowsTheDay()
{
    const auto requestsInTenMinutesAt = [](int hour) {
        const std::int64_t start = QDateTime(QDate(2026, 11, 29), QTime(hour, 0), Qt::UTC).toMSecsSinceEpoch();
        DemoOptions options;
        options.incidentEveryMs = 0;
        DemoSimulator sim(options, start);
        for (std::int64_t t = start + kSecond; t <= start + 10 * kMinute; t += kSecond)
            sim.advanceTo(t);
        return double(sim.requestsSimulated()) / 600.0;
    };
    const double night = requestsInTenMinutesAt(3);
    const double afternoon = requestsInTenMinutesAt(15);
    QVERIFY2(night >= 4 && night <= 7, std::to_string(night).c_str());
    QVERIFY2(afternoon >= 50 && afternoon <= 62, std::to_string(afternoon).c_str());
}
void TstDemoSimulator::longJumpIsBounded()
{
    DemoSimulator sim(DemoOptions{}, kStart);
    QElapsedTimer timer;
    timer.start();
    sim.advanceTo(kStart + 24 * kHour);
    const qint64 elapsed = timer.elapsed();
    qInfo("24 h jump simulated %llu requests in %lld ms", static_cast<unsigned long long>(sim.requestsSimulated()),
          static_cast<long long>(elapsed));
    // The day averages 32.5 req/s: about 2.8 million requests, minus incident outages.
    QVERIFY(sim.requestsSimulated() > 2'000'000 && sim.requestsSimulated() < 3'500'000);
    const auto access = sim.takeAccessLogLines();
    const auto app = sim.takeAppLogLines();
    QVERIFY(!access.empty() && access.size() <= 2000);
    QVERIFY(!app.empty() && app.size() <= 2000);
    const Exposition e = checkExposition(sim.metricsText());
    QVERIFY2(e.error.empty(), e.error.c_str());
    QCOMPARE(e.sum("http_request_duration_seconds_count{"), double(sim.requestsSimulated()));

    // A second long jump stays consistent with the first.
    sim.advanceTo(kStart + 24 * kHour + 90 * kMinute);
    QVERIFY(sim.requestsSimulated() > 2'000'000 + 90 * 60 * 5);
}

QTEST_GUILESS_MAIN(TstDemoSimulator)
#include "tst_demo_simulator.moc"
