// ConnectionGate and HttpClient's bound on connections in flight: no more sockets are busy than the
// limit however many requests are due, waiters are served in arrival order, and a request that waits
// past its deadline fails saying what it waited for.
#include "collectors/connection_gate.h"
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "test_http_server.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

using namespace pulse;
using pulse::test::TestHttpServer;

namespace {

/// HeldServer answers each connection only once the test lets go, counting connections open at once.
class HeldServer {
public:
    HeldServer()
        : m_server([this](int fd, const std::string &, const TestHttpServer &self) { serve(fd, self); },
                   TestHttpServer::Mode::ThreadPerConnection)
    {
    }
    ~HeldServer() { release(); }
    std::string url() const { return m_server.url("/metrics"); }
    void release() { m_released = true; }
    int connections() const { return m_connections; }
    int mostAtOnce() const { return m_mostAtOnce; }

private:
    void serve(int fd, const TestHttpServer &self)
    {
        ++m_connections;
        const int now = ++m_open;
        int seen = m_mostAtOnce;
        while (now > seen && !m_mostAtOnce.compare_exchange_weak(seen, now)) {
        }
        // The peer's pace, not the test's clock: the test decides when answers may go.
        while (!m_released && !self.stopping())
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --m_open;
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    }

    std::atomic<bool> m_released{false};
    std::atomic<int> m_connections{0};
    std::atomic<int> m_open{0};
    std::atomic<int> m_mostAtOnce{0};
    TestHttpServer m_server;
};

} // namespace

class TstConnectionGate : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_io = std::make_unique<IoRuntime>(2); }
    void cleanupTestCase() { m_io->stop(); }
    void slotsAreHandedOnInArrivalOrder();
    void cancelledWaiterIsNeverGranted();
    void closeAnswersWaitersAndFullQueueRefuses();
    void clientKeepsConnectionsInFlightUnderTheLimit();
    void waitingPastTheDeadlineFailsByName();

private:
    std::unique_ptr<IoRuntime> m_io;
};

void TstConnectionGate::slotsAreHandedOnInArrivalOrder()
{
    auto gate = ConnectionGate::create(2, 10);
    auto a = gate->acquire({});
    auto b = gate->acquire({});
    QVERIFY(a.slot && b.slot);
    std::vector<int> order;
    std::vector<ConnectionGate::Slot> granted;
    auto waiter = [&](int id) {
        return [&, id](std::optional<ConnectionGate::Slot> slot) {
            QVERIFY(slot.has_value());
            order.push_back(id);
            granted.push_back(std::move(*slot));
        };
    };
    auto c = gate->acquire(waiter(3));
    auto d = gate->acquire(waiter(4));
    QVERIFY(!c.slot && !d.slot && !c.refused);
    QCOMPARE(gate->waiting(), std::size_t(2));
    QCOMPARE(gate->inFlight(), std::size_t(2));
    a.slot.reset(); // passes to the oldest waiter: the count stays at the limit
    QCOMPARE(order, std::vector<int>{3});
    QCOMPARE(gate->inFlight(), std::size_t(2));
    // A newcomer does not jump the queue even though a slot is about to free.
    auto e = gate->acquire(waiter(5));
    QVERIFY(!e.slot);
    b.slot.reset();
    QCOMPARE(order, (std::vector<int>{3, 4}));
    std::vector<ConnectionGate::Slot> done = std::move(granted);
    granted.clear();
    done.clear(); // frees two: 5 gets one, the other goes back
    QCOMPARE(order, (std::vector<int>{3, 4, 5}));
    QCOMPARE(gate->inFlight(), std::size_t(1));
    granted.clear();
    QCOMPARE(gate->inFlight(), std::size_t(0));
    QCOMPARE(gate->waits(), std::uint64_t(3));
}

void TstConnectionGate::cancelledWaiterIsNeverGranted()
{
    auto gate = ConnectionGate::create(1, 10);
    auto held = gate->acquire({});
    bool called = false;
    auto waiting = gate->acquire([&](std::optional<ConnectionGate::Slot>) { called = true; });
    QVERIFY(gate->cancel(waiting.ticket));
    QVERIFY(!gate->cancel(waiting.ticket));
    held.slot.reset();
    QVERIFY(!called);
    QCOMPARE(gate->inFlight(), std::size_t(0));
}

void TstConnectionGate::closeAnswersWaitersAndFullQueueRefuses()
{
    auto gate = ConnectionGate::create(1, 1);
    auto held = gate->acquire({});
    int answers = 0;
    auto first = gate->acquire([&](std::optional<ConnectionGate::Slot> slot) {
        QVERIFY(!slot.has_value());
        ++answers;
    });
    QVERIFY(first.ticket != 0);
    auto second = gate->acquire([](std::optional<ConnectionGate::Slot>) { QFAIL("refused requests are not queued"); });
    QVERIFY(second.refused);
    gate->close();
    QCOMPARE(answers, 1);
    held.slot.reset();
    QCOMPARE(gate->inFlight(), std::size_t(0));
}

void TstConnectionGate::clientKeepsConnectionsInFlightUnderTheLimit()
{
    HeldServer server;
    HttpClientOptions options;
    options.maxConnectionsInFlight = 2;
    HttpClient client(*m_io, options);
    QCOMPARE(client.connectionLimit(), std::size_t(2));
    constexpr int kRequests = 8;
    std::vector<std::future<Result<HttpResponse>>> answers;
    for (int i = 0; i < kRequests; ++i) {
        auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
        answers.push_back(promise->get_future());
        HttpRequest req;
        req.url = server.url();
        req.timeout = std::chrono::seconds(30);
        client.fetch(req, [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
    }
    QTRY_COMPARE(server.connections(), 2);
    QTRY_COMPARE(client.connectionWaits(), std::uint64_t(kRequests - 2));
    QCOMPARE(client.connectionsInFlight(), std::size_t(2));
    server.release();
    for (auto &answer : answers) {
        auto res = answer.get();
        QVERIFY2(res.has_value(), res ? "" : res.error().message.c_str());
        QCOMPARE(res->body, std::string("ok"));
    }
    QCOMPARE(server.connections(), kRequests);
    QVERIFY2(server.mostAtOnce() <= 2, std::to_string(server.mostAtOnce()).c_str());
    QTRY_COMPARE(client.connectionsInFlight(), std::size_t(0));
}

void TstConnectionGate::waitingPastTheDeadlineFailsByName()
{
    HeldServer server;
    HttpClientOptions options;
    options.maxConnectionsInFlight = 1;
    HttpClient client(*m_io, options);
    auto held = std::make_shared<std::promise<Result<HttpResponse>>>();
    auto heldAnswer = held->get_future();
    HttpRequest req;
    req.url = server.url();
    req.timeout = std::chrono::seconds(30);
    client.fetch(req, [held](Result<HttpResponse> r) { held->set_value(std::move(r)); });
    QTRY_COMPARE(server.connections(), 1);

    req.timeout = std::chrono::milliseconds(200);
    auto late = client.fetchBlocking(req);
    QVERIFY(!late.has_value());
    QVERIFY2(late.error().message.find("while waiting for a free connection (1 in flight, the limit)") !=
                 std::string::npos,
             late.error().message.c_str());
    QCOMPARE(server.connections(), 1); // the late request never connected

    server.release();
    QVERIFY(heldAnswer.get().has_value());
    // The slot is free again: a new request goes through at once.
    req.timeout = std::chrono::seconds(5);
    auto next = client.fetchBlocking(req);
    QVERIFY2(next.has_value(), next ? "" : next.error().message.c_str());
    QTRY_COMPARE(client.connectionsInFlight(), std::size_t(0));
}

QTEST_GUILESS_MAIN(TstConnectionGate)
#include "tst_connection_gate.moc"
