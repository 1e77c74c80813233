// Engine tests over hand-built fixtures: extrapolated rates, staleness, vector matching,
// aggregation grouping, histogram_quantile, range queries, and MemoryHistory itself.
#include "core/promql/engine.h"
#include "core/promql/operations.h"
#include "core/selection/memory_history.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <random>

using namespace pulse;
using namespace pulse::promql;

namespace {

Labels labels(std::initializer_list<std::pair<const char *, const char *>> items)
{
    Labels out;
    for (const auto &[name, value] : items)
        out.set(name, value);
    return out;
}

double valueFor(const QueryResult &r, std::string_view label, std::string_view value)
{
    for (const auto &s : r.vector) {
        if (s.labels.value(label) == value)
            return s.value;
    }
    return std::nan("");
}

// PlainReader ignores windows (every sample); it counts what it hands out, as CountingReader does for
// the windowed reads.
class PlainReader : public HistoryReader {
public:
    explicit PlainReader(const HistoryReader &inner) : m_inner(inner) {}
    mutable std::size_t samples = 0;

protected:
    Result<std::vector<SeriesData>> read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                         std::int64_t endMs, const StepWindows *) const override
    {
        return counted(m_inner.select(matchers, startMs, endMs));
    }
    Result<std::vector<SeriesData>> counted(Result<std::vector<SeriesData>> r) const
    {
        if (r) {
            for (const auto &s : *r)
                samples += s.timestampsMs.size();
        }
        return r;
    }
    const HistoryReader &m_inner;
};

class CountingReader : public PlainReader {
public:
    using PlainReader::PlainReader;

protected:
    Result<std::vector<SeriesData>> read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                         std::int64_t endMs, const StepWindows *windows) const override
    {
        return counted(windows ? m_inner.selectWindows(matchers, startMs, endMs, *windows)
                               : m_inner.select(matchers, startMs, endMs));
    }
};

} // namespace

class TestPromqlEngine : public QObject {
    Q_OBJECT
private slots:
    void rateExtrapolatesToWindowEdges();
    void increaseHandlesCounterReset();
    void stalenessMarkerEndsSeries();
    void lookbackDelta();
    void vectorMatching();
    void manyToManyIsAnError();
    void samplesLoadedAreBounded();
    void aggregationByAndWithout();
    void histogramQuantile();
    void rangeQueryBuildsSortedMatrix();
    void rangeQueryRejectsRangeVector();
    void scalarAndStringResults();
    void deepestExpressionEvaluates();
    void memoryHistoryRetention();
    void stepWindowsFilter();
    void rangeQueryReadsOnlyStepWindows();
    void avgOverTimeInterleavedIsBitExact();
    void ratesOverArraysAreBitExact();
    void rangeStepsMatchInstantQueries();
};

void TestPromqlEngine::rateExtrapolatesToWindowEdges()
{
    MemoryHistory h;
    // A counter growing 1/s, sampled at 5s, 15s, …, 55s: the window [0s, 60s] misses 5s at each edge.
    for (int i = 0; i < 6; ++i)
        h.append("c", {}, 5000 + i * 10000, 5 + i * 10);
    const Engine engine(h);
    auto increase = engine.instantQuery("increase(c[1m])", 60000);
    QVERIFY(increase.has_value());
    QCOMPARE(increase->vector.size(), std::size_t(1));
    QCOMPARE(increase->vector[0].value, 60.0);
    QVERIFY(increase->vector[0].metric.empty());
    auto rate = engine.instantQuery("rate(c[1m])", 60000);
    QCOMPARE(rate->vector[0].value, 1.0);
    // One sample is not enough for a rate.
    auto single = engine.instantQuery("rate(c[5s])", 60000);
    QVERIFY(single->vector.empty());
}

void TestPromqlEngine::increaseHandlesCounterReset()
{
    MemoryHistory h;
    const double values[] = {0, 10, 20, 5, 15};
    for (int i = 0; i < 5; ++i)
        h.append("c", {}, i * 10000, values[i]);
    const Engine engine(h);
    auto r = engine.instantQuery("increase(c[40s])", 40000);
    QVERIFY(r.has_value());
    QCOMPARE(r->vector.at(0).value, 35.0);
    auto d = engine.instantQuery("delta(c[40s])", 40000);
    QCOMPARE(d->vector.at(0).value, 15.0);
    auto resets = engine.instantQuery("resets(c[40s])", 40000);
    QCOMPARE(resets->vector.at(0).value, 1.0);
}

void TestPromqlEngine::stalenessMarkerEndsSeries()
{
    MemoryHistory h;
    h.append("m", {}, 0, 1);
    h.append("m", {}, 10000, staleMarker());
    h.append("m", {}, 20000, 2);
    const Engine engine(h);
    QCOMPARE(engine.instantQuery("m", 5000)->vector.size(), std::size_t(1));
    QVERIFY(engine.instantQuery("m", 10000)->vector.empty());
    QVERIFY(engine.instantQuery("m", 15000)->vector.empty());
    QCOMPARE(engine.instantQuery("m", 20000)->vector.at(0).value, 2.0);
    // Range selectors skip the marker.
    QCOMPARE(engine.instantQuery("count_over_time(m[30s])", 20000)->vector.at(0).value, 2.0);
    QVERIFY(isStaleMarker(staleMarker()));
    QVERIFY(!isStaleMarker(std::nan("")));
}

void TestPromqlEngine::lookbackDelta()
{
    MemoryHistory h;
    h.append("m", labels({{"a", "1"}}), 0, 7);
    const Engine engine(h);
    auto at = engine.instantQuery("m", 300000);
    QCOMPARE(at->vector.size(), std::size_t(1));
    QCOMPARE(at->vector[0].metric, std::string("m"));
    QCOMPARE(at->vector[0].timestampMs, std::int64_t(300000));
    QVERIFY(engine.instantQuery("m", 300001)->vector.empty());
    const Engine shortLookback(h, EngineOptions{60000, 60000, 11000});
    QVERIFY(shortLookback.instantQuery("m", 60001)->vector.empty());
}

void TestPromqlEngine::vectorMatching()
{
    MemoryHistory h;
    h.append("cpu", labels({{"instance", "a"}, {"mode", "idle"}}), 0, 3);
    h.append("cpu", labels({{"instance", "a"}, {"mode", "user"}}), 0, 1);
    h.append("role", labels({{"instance", "a"}, {"role", "db"}}), 0, 1);
    h.append("limit", labels({{"instance", "a"}}), 0, 2);
    const Engine engine(h);

    auto ratio = engine.instantQuery("cpu / on(instance) group_left sum by (instance) (cpu)", 0);
    QVERIFY2(ratio.has_value(), ratio ? "" : ratio.error().message.c_str());
    QCOMPARE(ratio->vector.size(), std::size_t(2));
    QCOMPARE(valueFor(*ratio, "mode", "idle"), 0.75);

    auto joined = engine.instantQuery("cpu * on(instance) group_left(role) role", 0);
    QVERIFY(joined.has_value());
    QCOMPARE(joined->vector.size(), std::size_t(2));
    QCOMPARE(joined->vector[0].labels.value("role"), std::string_view("db"));
    QVERIFY(joined->vector[0].metric.empty());

    // Comparisons filter and keep the name; `bool` returns 0/1 without it.
    auto filtered = engine.instantQuery("cpu > on(instance) group_left limit", 0);
    QCOMPARE(filtered->vector.size(), std::size_t(1));
    QCOMPARE(filtered->vector[0].metric, std::string("cpu"));
    auto boolean = engine.instantQuery("cpu > bool on(instance) group_left limit", 0);
    QCOMPARE(boolean->vector.size(), std::size_t(2));
    QCOMPARE(valueFor(*boolean, "mode", "user"), 0.0);

    auto unless = engine.instantQuery("cpu unless on(mode) cpu{mode=\"idle\"}", 0);
    QCOMPARE(unless->vector.size(), std::size_t(1));
    QCOMPARE(unless->vector[0].labels.value("mode"), std::string_view("user"));
}

void TestPromqlEngine::manyToManyIsAnError()
{
    MemoryHistory h;
    h.append("a", labels({{"x", "1"}, {"y", "1"}}), 0, 1);
    h.append("a", labels({{"x", "1"}, {"y", "2"}}), 0, 2);
    h.append("b", labels({{"x", "1"}}), 0, 3);
    const Engine engine(h);
    auto rightDup = engine.instantQuery("b * on(x) a", 0);
    QVERIFY(!rightDup.has_value());
    QVERIFY(rightDup.error().message.find("many-to-many matching not allowed") != std::string::npos);
    QVERIFY(!isUnsupported(rightDup.error()));
    auto leftDup = engine.instantQuery("a * on(x) b", 0);
    QVERIFY(!leftDup.has_value());
    QVERIFY(leftDup.error().message.find("many-to-one matching must be explicit") != std::string::npos);
    // Dropping the name makes two series identical.
    h.append("a2", labels({{"x", "1"}, {"y", "1"}}), 0, 1);
    auto duplicate = engine.instantQuery("abs({__name__=~\"a|a2\", y=\"1\"})", 0);
    QVERIFY(!duplicate.has_value());
    QCOMPARE(QString::fromStdString(duplicate.error().message),
             QStringLiteral("vector cannot contain metrics with the same labelset"));
}

void TestPromqlEngine::samplesLoadedAreBounded()
{
    // 10 series x 100 samples: a limit of 1,000 loads them; 999 refuses with Prometheus's wording,
    // also when the samples come from two selectors together.
    MemoryHistory h;
    for (int s = 0; s < 10; ++s)
        for (int i = 0; i < 100; ++i)
            h.append("m", labels({{"s", std::to_string(s).c_str()}}), i * 1000LL, i);
    EngineOptions options;
    options.maxSamples = 1000;
    const Engine fits(h, options);
    QVERIFY(fits.instantQuery("count_over_time(m[100s])", 99'000));
    options.maxSamples = 999;
    const Engine tight(h, options);
    auto refused = tight.instantQuery("count_over_time(m[100s])", 99'000);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.starts_with(
                 "query processing would load too many samples into memory in query execution (more than 999)"),
             refused.error().message.c_str());
    options.maxSamples = 1500;
    const Engine two(h, options);
    QVERIFY(two.instantQuery("count_over_time(m[100s])", 99'000));
    QVERIFY(!two.instantQuery("count_over_time(m[100s]) + count_over_time(m{s=~\".+\"}[100s])", 99'000));
    QCOMPARE(EngineOptions{}.maxSamples, std::size_t(50'000'000));
}

void TestPromqlEngine::aggregationByAndWithout()
{
    MemoryHistory h;
    h.append("req", labels({{"job", "api"}, {"instance", "0"}}), 0, 10);
    h.append("req", labels({{"job", "api"}, {"instance", "1"}}), 0, 30);
    h.append("req", labels({{"job", "web"}, {"instance", "0"}}), 0, 5);
    const Engine engine(h);
    auto by = engine.instantQuery("sum by (job) (req)", 0);
    QCOMPARE(by->vector.size(), std::size_t(2));
    QCOMPARE(valueFor(*by, "job", "api"), 40.0);
    QCOMPARE(by->vector[0].labels.size(), std::size_t(1));
    auto without = engine.instantQuery("max without (instance) (req)", 0);
    QCOMPARE(valueFor(*without, "job", "api"), 30.0);
    QVERIFY(without->vector[0].metric.empty());
    auto avg = engine.instantQuery("avg(req)", 0);
    QCOMPARE(avg->vector.at(0).value, 15.0);
    auto top = engine.instantQuery("topk(1, req)", 0);
    QCOMPARE(top->vector.size(), std::size_t(1));
    QCOMPARE(top->vector[0].metric, std::string("req"));
    QCOMPARE(top->vector[0].value, 30.0);
    auto q = engine.instantQuery("quantile(0.5, req)", 0);
    QCOMPARE(q->vector.at(0).value, 10.0);
    auto values = engine.instantQuery("count_values(\"v\", req)", 0);
    QCOMPARE(values->vector.size(), std::size_t(3));

    // Few groups are found by a scan, many by a map (aggregations.cpp): both add up the same, at every
    // step of a range query.
    for (const int groups : {3, 16, 17, 40}) {
        MemoryHistory many;
        for (int i = 0; i < 4 * groups; ++i) {
            const std::string g = std::to_string(i % groups), n = std::to_string(i);
            const auto l = labels({{"g", g.c_str()}, {"i", n.c_str()}});
            for (std::int64_t t = 0; t <= 120'000; t += 15'000)
                many.append("m", l, t, i + t / 15'000);
        }
        auto r = Engine(many).rangeQuery("sum by (g) (m)", 0, 120'000, 30'000);
        QVERIFY(r);
        QCOMPARE(r->matrix.size(), std::size_t(groups));
        for (const auto &series : r->matrix) {
            const int g = std::stoi(std::string(series.labels.value("g")));
            QCOMPARE(series.points.size(), std::size_t(5));
            for (const auto &p : series.points) {
                // members g, g + groups, g + 2 groups, g + 3 groups, each plus the step number
                const double expected = 4.0 * g + 6.0 * groups + 4.0 * static_cast<double>(p.timestampMs / 15'000);
                QCOMPARE(p.value, expected);
            }
        }
    }
}

void TestPromqlEngine::histogramQuantile()
{
    MemoryHistory h;
    const char *bounds[] = {"0.1", "0.5", "1", "+Inf"};
    const double counts[] = {10, 30, 40, 40};
    for (int i = 0; i < 4; ++i)
        h.append("lat_bucket", labels({{"le", bounds[i]}, {"job", "api"}}), 0, counts[i]);
    const Engine engine(h);
    auto median = engine.instantQuery("histogram_quantile(0.5, lat_bucket)", 0);
    QVERIFY(median.has_value());
    QCOMPARE(median->vector.size(), std::size_t(1));
    // rank 20 falls in (0.1, 0.5] holding 20 observations, halfway: 0.3.
    QVERIFY(std::abs(median->vector[0].value - 0.3) < 1e-12);
    QCOMPARE(median->vector[0].labels.value("job"), std::string_view("api"));
    QVERIFY(!median->vector[0].labels.has("le"));
    auto top = engine.instantQuery("histogram_quantile(0.99, lat_bucket)", 0);
    // rank 39.6 falls in (0.5, 1] holding 10 observations, 9.6 of them in: 0.98.
    QVERIFY(std::abs(top->vector[0].value - 0.98) < 1e-12);
}

void TestPromqlEngine::rangeQueryBuildsSortedMatrix()
{
    MemoryHistory h;
    for (int i = 0; i <= 10; ++i) {
        h.append("g", labels({{"k", "b"}}), i * 10000, i);
        if (i >= 5)
            h.append("g", labels({{"k", "a"}}), i * 10000, 100 + i);
    }
    const Engine engine(h);
    auto r = engine.rangeQuery("g", 0, 100000, 20000);
    QVERIFY(r.has_value());
    QCOMPARE(r->type, QueryResult::Type::Matrix);
    QCOMPARE(r->matrix.size(), std::size_t(2));
    QCOMPARE(r->matrix[0].labels.value("k"), std::string_view("a"));
    QCOMPARE(r->matrix[0].points.size(), std::size_t(3)); // 60s, 80s, 100s
    QCOMPARE(r->matrix[1].points.size(), std::size_t(6));
    QCOMPARE(r->matrix[1].points[2].timestampMs, std::int64_t(40000));
    QCOMPARE(r->matrix[1].points[2].value, 4.0);
    auto scalar = engine.rangeQuery("time()", 0, 20000, 10000);
    QCOMPARE(scalar->matrix.size(), std::size_t(1));
    QCOMPARE(scalar->matrix[0].points.back().value, 20.0);
    auto tooMany = engine.rangeQuery("g", 0, 1000000000, 1);
    QVERIFY(!tooMany.has_value());
}

void TestPromqlEngine::rangeQueryRejectsRangeVector()
{
    MemoryHistory h;
    const Engine engine(h);
    auto r = engine.rangeQuery("g[5m]", 0, 1000, 100);
    QVERIFY(!r.has_value());
    QVERIFY(r.error().message.find("range vector") != std::string::npos);
    auto instant = engine.instantQuery("g[5m]", 0);
    QVERIFY(instant.has_value());
    QCOMPARE(instant->type, QueryResult::Type::Matrix);
}

void TestPromqlEngine::deepestExpressionEvaluates()
{
    // The deepest tree the parser accepts is evaluated recursively without running out of stack
    // (also in the sanitizer build, whose frames are larger).
    MemoryHistory h;
    const Engine engine(h);
    std::string additions;
    for (int i = 0; i < 999; ++i)
        additions += "1+";
    auto sum = engine.instantQuery(additions + "1", 0);
    QVERIFY2(sum.has_value(), sum ? "" : sum.error().message.c_str());
    QCOMPARE(sum->scalar, 1000.0);
    std::string calls;
    for (int i = 0; i < 997; ++i)
        calls += "abs(";
    auto vec = engine.instantQuery(calls + "vector(-1)" + std::string(997, ')'), 0);
    QVERIFY2(vec.has_value(), vec ? "" : vec.error().message.c_str());
    QCOMPARE(vec->vector.at(0).value, 1.0);
}

void TestPromqlEngine::scalarAndStringResults()
{
    MemoryHistory h;
    const Engine engine(h);
    auto s = engine.instantQuery("2 ^ 3 ^ 2", 0);
    QCOMPARE(s->type, QueryResult::Type::Scalar);
    QCOMPARE(s->scalar, 512.0);
    auto str = engine.instantQuery("\"hello\"", 0);
    QCOMPARE(str->type, QueryResult::Type::String);
    QCOMPARE(str->string, std::string("hello"));
    auto absent = engine.instantQuery("absent(nothing{job=\"x\"})", 0);
    QCOMPARE(absent->vector.at(0).labels.value("job"), std::string_view("x"));
    auto parseError = engine.instantQuery("sum(", 0);
    QVERIFY(!parseError.has_value());
    QVERIFY(parseError.error().message.starts_with("col 5:"));
}

void TestPromqlEngine::memoryHistoryRetention()
{
    MemoryHistory h(10000);
    for (int i = 0; i < 1000; ++i)
        h.append("m", {}, i * 1000, i);
    QVERIFY(h.sampleCount() <= 12);
    std::vector<LabelMatcher> matchers{{"__name__", LabelMatcher::Op::Equal, "m"}};
    auto all = h.select(matchers, 0, 2000000);
    QVERIFY(all.has_value());
    QCOMPARE(all->at(0).timestampsMs.back(), std::int64_t(999000));
    // Out-of-order appends land in place; the same timestamp replaces.
    MemoryHistory o;
    o.append("m", {}, 2000, 2);
    o.append("m", {}, 1000, 1);
    o.append("m", {}, 2000, 3);
    auto sorted = o.select(matchers, 0, 5000);
    QCOMPARE(sorted->at(0).timestampsMs, (std::vector<std::int64_t>{1000, 2000}));
    QCOMPARE(sorted->at(0).values.back(), 3.0);
    std::vector<LabelMatcher> regex{{"__name__", LabelMatcher::Op::Regex, "m|n"}};
    QCOMPARE(o.select(regex, 0, 5000)->size(), std::size_t(1));
    std::vector<LabelMatcher> partial{{"__name__", LabelMatcher::Op::Regex, "m."}};
    QVERIFY(o.select(partial, 0, 5000)->empty());
    o.clear();
    QCOMPARE(o.seriesCount(), std::size_t(0));
}

void TestPromqlEngine::stepWindowsFilter()
{
    // Windows [end - 5, end] for end = 100, 110, …, 150.
    const StepWindows w{100, 150, 10, 5};
    QCOMPARE(w.endAtOrAfter(0), std::int64_t{100});
    QCOMPARE(w.endAtOrAfter(100), std::int64_t{100});
    QCOMPARE(w.endAtOrAfter(101), std::int64_t{110});
    QVERIFY(w.overlaps(96, 99));
    QVERIFY(!w.overlaps(101, 104));
    QVERIFY(w.overlaps(101, 105));
    QVERIFY(!w.overlaps(151, 1000));
    StepWindowFilter f(w);
    const std::int64_t kept[] = {95, 100, 105, 110, 150};
    const std::int64_t dropped[] = {94, 101, 104, 111, 151, 160};
    for (std::int64_t ms : kept)
        QVERIFY2(f.keep(ms), qPrintable(QString::number(ms)));
    for (std::int64_t ms : dropped)
        QVERIFY2(!f.keep(ms), qPrintable(QString::number(ms)));
    // Backwards after forwards: still right.
    QVERIFY(f.keep(97));
    QVERIFY(!f.keep(99 - 10));
}

void TestPromqlEngine::rangeQueryReadsOnlyStepWindows()
{
    // One day of a counter and a gauge at 15 s. The counter resets within a minute before every fourth
    // step time (inside its windows), the gauge's last sample before every third step is a staleness
    // marker; both also happen now and then elsewhere.
    MemoryHistory history;
    constexpr std::int64_t kDay = 86'400'000;
    constexpr std::int64_t kStart = 3'600'000;
    const std::int64_t step = 43 * 60'000 + 7'000; // not a multiple of the scrape interval
    const auto nearStep = [&](std::int64_t t, int every, std::int64_t beforeMs) {
        const std::int64_t k = (t - kStart + step - 1) / step; // the first step at or after t
        return t > kStart && k % every == 0 && kStart + k * step - t < beforeMs;
    };
    double counter = 0;
    for (std::int64_t t = 0; t <= kDay; t += 15'000) {
        const bool reset = (nearStep(t, 4, 60'000) && !nearStep(t - 15'000, 4, 60'000)) || t % 7'000'000 == 0;
        counter = reset ? 0 : counter + 1;
        const bool marker = nearStep(t, 3, 15'000) || t % 6'000'000 == 0; // the last scrape before the step
        history.append("c_total", labels({{"job", "a"}}), t, counter);
        history.append("g", labels({{"job", "a"}}), t, marker ? staleMarker() : std::sin(static_cast<double>(t)));
    }
    const PlainReader plain(history);
    const CountingReader windowed(history);
    const char *exprs[] = {"g", "rate(c_total[5m])", "g offset 10m", "g offset -7m", "rate(c_total[5m] offset 11m)",
                           "resets(c_total[4m])", "c_total @ end()", "g @ start()", "max_over_time(g[5m:1m])",
                           "rate(c_total[1h])", "timestamp(g)", "changes(g[2m]) + g", "absent_over_time(g[1m])"};
    for (const char *expr : exprs) {
        plain.samples = windowed.samples = 0;
        auto a = Engine(plain).rangeQuery(expr, kStart, kDay, step);
        auto b = Engine(windowed).rangeQuery(expr, kStart, kDay, step);
        QVERIFY2(a && b, expr);
        QCOMPARE(b->matrix.size(), a->matrix.size());
        for (std::size_t i = 0; i < a->matrix.size(); ++i) {
            QVERIFY2(b->matrix[i].labels == a->matrix[i].labels && b->matrix[i].metric == a->matrix[i].metric, expr);
            QCOMPARE(b->matrix[i].points.size(), a->matrix[i].points.size());
            for (std::size_t j = 0; j < a->matrix[i].points.size(); ++j) {
                QCOMPARE(b->matrix[i].points[j].timestampMs, a->matrix[i].points[j].timestampMs);
                const double x = a->matrix[i].points[j].value, y = b->matrix[i].points[j].value;
                QVERIFY2(std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y), expr);
            }
        }
        QVERIFY2(windowed.samples <= plain.samples, expr);
        const std::string e = expr;
        // A 5-minute window every 43 minutes reads about a ninth of the samples; a window as wide as
        // the step, a subquery or @ reads them all.
        if (e == "g" || e == "rate(c_total[5m])" || e == "g offset 10m")
            QVERIFY2(windowed.samples * 6 < plain.samples, expr);
        if (e == "c_total @ end()" || e == "g @ start()" || e == "max_over_time(g[5m:1m])" || e == "rate(c_total[1h])")
            QCOMPARE(windowed.samples, plain.samples);
    }
}

void TestPromqlEngine::avgOverTimeInterleavedIsBitExact()
{
    // Series four at a time, of unequal lengths, with staleness markers, runs equal to the mean, ±0,
    // infinities and NaN: each result must carry the bits avg_over_time gives for that series alone.
    std::mt19937_64 rng(11);
    const double specials[] = {0.0, -0.0, 1.0, -1.0, 1e308, -1e308, INFINITY, -INFINITY, NAN};
    for (int round = 0; round < 50; ++round) {
        std::vector<std::vector<double>> series(1 + rng() % 11);
        for (auto &values : series) {
            const std::size_t n = rng() % 60;
            double v = static_cast<double>(rng() % 3);
            for (std::size_t i = 0; i < n; ++i) {
                const auto r = rng() % 100;
                if (r < 5)
                    values.push_back(std::bit_cast<double>(pulse::kStaleMarkerBits));
                else if (r < 15)
                    values.push_back(specials[rng() % std::size(specials)]);
                else {
                    if (r > 85)
                        v = static_cast<double>(rng() % 1000) / 7;
                    values.push_back(v);
                }
            }
        }
        std::vector<std::span<const double>> spans(series.begin(), series.end());
        std::vector<std::optional<double>> got(series.size());
        promql::avgOverTimeInterleaved(spans, got);
        for (std::size_t i = 0; i < series.size(); ++i) {
            std::vector<promql::Point> points;
            for (double v : series[i]) {
                if (!pulse::isStaleMarker(v))
                    points.push_back(promql::Point{static_cast<std::int64_t>(points.size()), v});
            }
            QCOMPARE(got[i].has_value(), !points.empty());
            if (points.empty())
                continue;
            const promql::RangeWindow window{points, 0, 100, 100};
            const auto want = promql::evalRangeFunction(promql::RangeFunction::AvgOverTime, window, {});
            QVERIFY(want.has_value());
            QCOMPARE(std::bit_cast<std::uint64_t>(*got[i]), std::bit_cast<std::uint64_t>(*want));
        }
    }
}

void TestPromqlEngine::ratesOverArraysAreBitExact()
{
    // rate/increase/delta over a window left in the selector's arrays must carry the bits of the
    // RangeWindow form: counters with resets, gauges going down, jittered and irregular timestamps.
    std::mt19937_64 rng(5);
    for (int round = 0; round < 300; ++round) {
        std::vector<std::int64_t> ts;
        std::vector<double> values;
        std::vector<promql::Point> points;
        std::int64_t t = 1'000'000 + static_cast<std::int64_t>(rng() % 20'000);
        double v = static_cast<double>(rng() % 100);
        const std::size_t n = rng() % 25;
        for (std::size_t i = 0; i < n; ++i) {
            ts.push_back(t);
            values.push_back(v);
            points.push_back(promql::Point{t, v});
            t += 15'000 + static_cast<std::int64_t>(rng() % 2'000) - 1'000;
            v = rng() % 9 == 0 ? static_cast<double>(rng() % 10) : v + static_cast<double>(rng() % 1000) / 3;
        }
        const std::int64_t end = t + static_cast<std::int64_t>(rng() % 30'000);
        const std::int64_t start = end - 300'000;
        for (auto f : {promql::RangeFunction::Rate, promql::RangeFunction::Increase, promql::RangeFunction::Delta}) {
            QVERIFY(promql::hasArrayForm(f));
            const auto got = promql::evalRangeFunction(f, ts, values, start, end, false);
            bool monotonic = true;
            for (std::size_t i = 1; i < values.size(); ++i)
                monotonic = monotonic && !(values[i] < values[i - 1]);
            if (monotonic) { // the two-ends shortcut: same bits
                const auto ends = promql::evalRangeFunction(f, ts, values, start, end, true);
                QCOMPARE(ends.has_value(), got.has_value());
                if (ends)
                    QCOMPARE(std::bit_cast<std::uint64_t>(*ends), std::bit_cast<std::uint64_t>(*got));
            }
            std::optional<double> want;
            if (!points.empty())
                want = promql::evalRangeFunction(f, promql::RangeWindow{points, start, end, end}, {});
            QCOMPARE(got.has_value(), want.has_value());
            if (got)
                QCOMPARE(std::bit_cast<std::uint64_t>(*got), std::bit_cast<std::uint64_t>(*want));
        }
    }
}

void TestPromqlEngine::rangeStepsMatchInstantQueries()
{
    // A range query carries state from step to step (cursors, sliding windows with their count of
    // counter resets and staleness markers); each step must give the bits a fresh instant query gives.
    MemoryHistory history;
    std::mt19937_64 rng(3);
    double c1 = 0, c2 = 1e6;
    for (std::int64_t t = 0; t <= 2 * 3'600'000; t += 15'000) {
        const std::int64_t jitter = static_cast<std::int64_t>(rng() % 900);
        c1 = rng() % 40 == 0 ? 0 : c1 + static_cast<double>(rng() % 5);
        c2 = rng() % 60 == 0 ? c2 / 3 : c2 + 0.25;
        const bool marker = rng() % 50 == 0;
        history.append("c", labels({{"job", "a"}}), t + jitter, marker ? staleMarker() : c1);
        history.append("c", labels({{"job", "b"}}), t + jitter, c2);
        const double g = rng() % 70 == 0 ? NAN : static_cast<double>(static_cast<int>(rng() % 200) - 100) / 8;
        history.append("g", labels({{"job", "a"}}), t + jitter, rng() % 45 == 0 ? staleMarker() : g);
    }
    const Engine engine(history);
    const char *exprs[] = {"rate(c[5m])", "increase(c[3m])", "delta(g[5m])", "avg_over_time(g[5m])",
                           "rate(c[5m] offset 2m)", "max_over_time(rate(c[2m])[10m:1m])", "sum by (job) (rate(c[5m]))",
                           "avg_over_time(c[7m])"};
    const std::int64_t start = 3'600'000, end = 2 * 3'600'000, step = 60'000;
    for (const char *expr : exprs) {
        auto range = engine.rangeQuery(expr, start, end, step);
        QVERIFY2(range, expr);
        for (std::int64_t t = start; t <= end; t += step) {
            auto instant = engine.instantQuery(expr, t);
            QVERIFY2(instant, expr);
            std::size_t atStep = 0;
            for (const auto &series : range->matrix) {
                for (const auto &p : series.points) {
                    if (p.timestampMs != t)
                        continue;
                    ++atStep;
                    const auto same = std::find_if(instant->vector.begin(), instant->vector.end(), [&](const auto &e) {
                        return e.metric == series.metric && e.labels == series.labels;
                    });
                    QVERIFY2(same != instant->vector.end(), expr);
                    QVERIFY2(std::bit_cast<std::uint64_t>(same->value) == std::bit_cast<std::uint64_t>(p.value), expr);
                }
            }
            QCOMPARE(atStep, instant->vector.size());
        }
    }
}

QTEST_APPLESS_MAIN(TestPromqlEngine)
#include "tst_promql_engine.moc"
