// Clock: a ManualClock tells its watchers after every move until their handle is released; the
// wall clock moves by itself and has no one to tell.
#include "core/base/clock.h"

#include <QTest>

using namespace pulse;

class TstClock : public QObject {
    Q_OBJECT
private slots:
    void manualClockTellsItsWatchers();
    void aReleasedWatcherIsNotCalled();
    void systemClockMovesByItself();
};

void TstClock::manualClockTellsItsWatchers()
{
    ManualClock clock(1'000);
    QVERIFY(!clock.movesByItself());
    std::vector<std::int64_t> seenA;
    std::vector<std::int64_t> seenB;
    auto a = clock.watchMoves([&] { seenA.push_back(clock.nowMs()); });
    auto b = clock.watchMoves([&] { seenB.push_back(clock.nowMs()); });
    clock.advance(500);
    clock.set(200); // back, too: a move is a move
    clock.advance(0);
    QCOMPARE(seenA, (std::vector<std::int64_t>{1'500, 200, 200}));
    QCOMPARE(seenB, seenA);
}

void TstClock::aReleasedWatcherIsNotCalled()
{
    ManualClock clock;
    int kept = 0;
    int released = 0;
    auto keep = clock.watchMoves([&] { ++kept; });
    auto drop = clock.watchMoves([&] { ++released; });
    clock.advance(1);
    drop.reset();
    clock.advance(1);
    clock.advance(1);
    QCOMPARE(kept, 3);
    QCOMPARE(released, 1);
}

void TstClock::systemClockMovesByItself()
{
    SystemClock clock;
    QVERIFY(clock.movesByItself());
    bool called = false;
    QVERIFY(!clock.watchMoves([&] { called = true; }));
    QVERIFY(clock.nowMs() > 1'600'000'000'000); // after 2020: milliseconds since the epoch
    QVERIFY(!called);
}

QTEST_GUILESS_MAIN(TstClock)
#include "tst_clock.moc"
