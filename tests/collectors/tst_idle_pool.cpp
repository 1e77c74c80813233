// IdlePool's bounds: per key and in all, idle timeout, newest-first reuse, and close().
#include "collectors/idle_pool.h"

#include <QTest>

using namespace pulse;
using namespace std::chrono_literals;

namespace {

using Pool = IdlePool<int>;
const Pool::TimePoint t0{};

std::unique_ptr<int> item(int v)
{
    return std::make_unique<int>(v);
}

} // namespace

class TstIdlePool : public QObject {
    Q_OBJECT
private slots:
    void newestFirstPerKey();
    void boundPerKeyDropsTheOldest();
    void boundInAllDropsTheOldest();
    void idleTimeout();
    void closeRefusesMore();
};

void TstIdlePool::newestFirstPerKey()
{
    Pool pool;
    pool.put("a", item(1), t0);
    pool.put("b", item(2), t0 + 1ms);
    pool.put("a", item(3), t0 + 2ms);
    QCOMPARE(*pool.take("a", t0 + 3ms), 3);
    QCOMPARE(*pool.take("a", t0 + 3ms), 1);
    QVERIFY(!pool.take("a", t0 + 3ms));
    QCOMPARE(pool.size(), std::size_t(1));
}

void TstIdlePool::boundPerKeyDropsTheOldest()
{
    Pool pool(IdlePoolLimits{2, 10, 30s});
    pool.put("a", item(1), t0);
    pool.put("a", item(2), t0 + 1ms);
    pool.put("a", item(3), t0 + 2ms);
    QCOMPARE(pool.size(), std::size_t(2));
    QCOMPARE(pool.dropped(), std::uint64_t(1));
    QCOMPARE(*pool.take("a", t0 + 3ms), 3);
    QCOMPARE(*pool.take("a", t0 + 3ms), 2);
}

void TstIdlePool::boundInAllDropsTheOldest()
{
    Pool pool(IdlePoolLimits{4, 3, 30s});
    pool.put("a", item(1), t0);
    pool.put("b", item(2), t0 + 1ms);
    pool.put("c", item(3), t0 + 2ms);
    pool.put("d", item(4), t0 + 3ms);
    QCOMPARE(pool.size(), std::size_t(3));
    QCOMPARE(pool.dropped(), std::uint64_t(1));
    QVERIFY(!pool.take("a", t0 + 4ms));
    QCOMPARE(*pool.take("d", t0 + 4ms), 4);
}

void TstIdlePool::idleTimeout()
{
    Pool pool(IdlePoolLimits{4, 10, 100ms});
    pool.put("a", item(1), t0);
    pool.put("b", item(2), t0 + 50ms);
    QVERIFY(!pool.take("a", t0 + 101ms)); // expired, and dropped from the pool
    QCOMPARE(pool.size(), std::size_t(1));
    QCOMPARE(*pool.take("b", t0 + 150ms), 2);
    QCOMPARE(pool.dropped(), std::uint64_t(0)); // expiry is not a bound
}

void TstIdlePool::closeRefusesMore()
{
    Pool pool;
    pool.put("a", item(1), t0);
    pool.close();
    QCOMPARE(pool.size(), std::size_t(0));
    pool.put("a", item(2), t0);
    QCOMPARE(pool.size(), std::size_t(0));
}

QTEST_GUILESS_MAIN(TstIdlePool)
#include "tst_idle_pool.moc"
