// Parse once, evaluate many times: a PreparedQuery answers exactly as the text entry points, carries
// what planning needs, and the Engine's public functions are a boundary no exception crosses.
#include "core/promql/engine.h"
#include "core/promql/prepared_query.h"
#include "core/selection/memory_history.h"

#include <QTest>

#include <stdexcept>

using namespace pulse;
using namespace pulse::promql;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

/// ThrowingHistory fails every read with an exception, as a buggy reader or std::bad_alloc would.
class ThrowingHistory : public HistoryReader {
protected:
    Result<std::vector<SeriesData>> read(std::span<const LabelMatcher>, std::int64_t, std::int64_t,
                                         const StepWindows *) const override
    {
        throw std::runtime_error("reader exploded");
    }
};

void fillTwoSeries(MemoryHistory &h)
{
    for (int i = 0; i <= 60; ++i) {
        h.append("http_requests_total", Labels({{"job", "api"}}), kT0 + i * 15'000, i * 10.0);
        h.append("http_requests_total", Labels({{"job", "web"}}), kT0 + i * 15'000, i * 4.0);
    }
}

} // namespace

class TstPreparedQuery : public QObject {
    Q_OBJECT
private slots:
    void carriesWhatPlanningNeeds()
    {
        auto q = Engine::prepare("sum by (job) (rate(http_requests_total[5m])) / on() group_left up offset 1m");
        QVERIFY2(q, q ? "" : q.error().message.c_str());
        QCOMPARE(q->metricNames(), (std::vector<std::string>{"http_requests_total", "up"}));
        QCOMPARE(q->smallestWindowMs(), std::int64_t{300'000});
        QCOMPARE(q->type(), ValueType::Vector);
        QVERIFY(q->dataSpanMs(300'000) >= 300'000);
        auto none = Engine::prepare("up");
        QVERIFY(none);
        QCOMPARE(none->smallestWindowMs(), INT64_MAX);
        auto bad = Engine::prepare("sum(");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("col") != std::string::npos, bad.error().message.c_str());
    }

    void answersAsTheTextFormsDo()
    {
        MemoryHistory h;
        fillTwoSeries(h);
        const Engine engine(h);
        const std::string expr = "sum by (job) (rate(http_requests_total[5m]))";
        auto prepared = Engine::prepare(expr);
        QVERIFY(prepared);
        for (int round = 0; round < 3; ++round) { // the same prepared query, evaluated again and again
            auto once = engine.rangeQuery(*prepared, kT0 + 300'000, kT0 + 900'000, 60'000);
            auto text = engine.rangeQuery(expr, kT0 + 300'000, kT0 + 900'000, 60'000);
            QVERIFY(once && text);
            QCOMPARE(once->matrix.size(), std::size_t{2});
            QCOMPARE(once->matrix.size(), text->matrix.size());
            for (std::size_t i = 0; i < once->matrix.size(); ++i) {
                QCOMPARE(once->matrix[i].points.size(), text->matrix[i].points.size());
                for (std::size_t k = 0; k < once->matrix[i].points.size(); ++k)
                    QCOMPARE(once->matrix[i].points[k].value, text->matrix[i].points[k].value);
            }
            auto instant = engine.instantQuery(*prepared, kT0 + 900'000);
            QVERIFY(instant);
            QCOMPARE(instant->vector.size(), std::size_t{2});
        }
        // A range query still refuses a range-vector expression, prepared or not.
        auto matrix = Engine::prepare("http_requests_total[5m]");
        QVERIFY(matrix);
        auto refused = engine.rangeQuery(*matrix, kT0, kT0 + 60'000, 15'000);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.find("invalid expression type \"range vector\"") != std::string::npos);
    }

    void noExceptionCrossesTheEngine()
    {
        const ThrowingHistory h;
        const Engine engine(h);
        auto instant = engine.instantQuery("up", kT0);
        QVERIFY(!instant);
        QCOMPARE(instant.error().message, std::string("internal error while evaluating 'up': reader exploded"));
        auto range = engine.rangeQuery("rate(up[5m])", kT0, kT0 + 60'000, 15'000);
        QVERIFY(!range);
        QVERIFY2(range.error().message.find("'rate(up[5m])': reader exploded") != std::string::npos,
                 range.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TstPreparedQuery)
#include "tst_prepared_query.moc"
