// IoRuntime's loops are a boundary: a handler that throws is reported and its loop goes on running
// every other target's work, instead of the process ending in std::terminate.
#include "collectors/io_runtime.h"

#include <QTest>

#include <future>
#include <stdexcept>

using namespace pulse;

class TstIoRuntime : public QObject {
    Q_OBJECT
private slots:
    void aThrowingHandlerDoesNotStopItsLoop()
    {
        IoRuntime io(1);
        io.post([] { throw std::runtime_error("a handler's bug"); });
        std::promise<void> ran;
        io.post([&] { ran.set_value(); });
        QCOMPARE(ran.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
        // And again: the loop survives more than one.
        io.post([] { throw 42; });
        std::promise<void> again;
        io.post([&] { again.set_value(); });
        QCOMPARE(again.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
        io.stop();
    }
};

QTEST_GUILESS_MAIN(TstIoRuntime)
#include "tst_io_runtime.moc"
