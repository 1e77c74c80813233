// The query thread's cache of parsed panel expressions: a text is parsed once however often panels
// ask, a broken one is not parsed again either, and the cache stays within its bound.
#include "app/services/prepared_queries.h"

#include <QTest>

using namespace pulse;

class TstPreparedQueries : public QObject {
    Q_OBJECT
private slots:
    void parsesEachTextOnce()
    {
        PreparedQueries cache;
        for (int tick = 0; tick < 100; ++tick) {
            QVERIFY(cache.get("rate(http_requests_total[5m])"));
            QVERIFY(!cache.get("sum("));
        }
        QCOMPARE(cache.parses(), std::uint64_t{2});
        QCOMPARE(cache.size(), std::size_t{2});
        QCOMPARE(cache.get("rate(http_requests_total[5m])")->text(), std::string("rate(http_requests_total[5m])"));
        QVERIFY(cache.get("sum(").error().message.find("col") != std::string::npos);
    }

    void staysWithinItsBound()
    {
        PreparedQueries cache(8);
        for (int i = 0; i < 100; ++i)
            QVERIFY(cache.get("up{n=\"" + std::to_string(i) + "\"}"));
        QCOMPARE(cache.size(), std::size_t{8});
        QCOMPARE(cache.evicted(), std::uint64_t{92});
        // The newest are kept; the oldest comes back by being parsed again.
        QVERIFY(cache.get("up{n=\"99\"}"));
        QCOMPARE(cache.parses(), std::uint64_t{100});
        QVERIFY(cache.get("up{n=\"0\"}"));
        QCOMPARE(cache.parses(), std::uint64_t{101});
    }
};

QTEST_GUILESS_MAIN(TstPreparedQueries)
#include "tst_prepared_queries.moc"
