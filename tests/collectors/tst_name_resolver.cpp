// NameResolver: numeric hosts need no lookup, one lookup per name however many ask, answers and
// failures cached, a slow name delays no other, and shutdown does not wait for a stuck lookup. Then
// HttpClient over it: a name that never resolves times out "while resolving" and leaves the rest alone.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/name_resolver.h"
#include "test_http_server.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

using namespace pulse;
using pulse::test::TestHttpServer;
using Answer = Result<std::vector<std::string>>;

namespace {

/// Await collects one answer.
struct Await {
    std::shared_ptr<std::promise<Answer>> promise = std::make_shared<std::promise<Answer>>();
    std::future<Answer> future = promise->get_future();
    NameResolver::Done done()
    {
        return [p = promise](const Answer &a) { p->set_value(a); };
    }
    bool within(int ms) { return future.wait_for(std::chrono::milliseconds(ms)) == std::future_status::ready; }
};

} // namespace

class TstNameResolver : public QObject {
    Q_OBJECT
private slots:
    void numericHostsNeedNoLookup();
    void oneLookupPerNameThenCached();
    void failuresAreCachedBriefly();
    void aSlowNameDelaysNoOther();
    void shutdownDoesNotWaitForALookup();
    void httpClientTimesOutWhileResolving();
};

void TstNameResolver::numericHostsNeedNoLookup()
{
    std::atomic<int> calls{0};
    NameResolver resolver([&](const std::string &) -> Answer {
        ++calls;
        return std::vector<std::string>{"10.0.0.1"};
    });
    for (const char *host : {"127.0.0.1", "::1", "fe80::1"}) {
        Await a;
        resolver.resolve(host, a.done());
        QVERIFY(a.within(0)); // answered on the caller's thread
        QCOMPARE(a.future.get().value(), std::vector<std::string>{host});
    }
    QCOMPARE(calls.load(), 0);
}

void TstNameResolver::oneLookupPerNameThenCached()
{
    std::atomic<int> calls{0};
    NameResolver resolver([&](const std::string &) -> Answer {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return std::vector<std::string>{"127.0.0.1", "::1"};
    });
    std::vector<Await> waits(10);
    for (auto &w : waits)
        resolver.resolve("api.test", w.done());
    for (auto &w : waits) {
        QVERIFY(w.within(5000));
        QCOMPARE(w.future.get().value().size(), std::size_t(2));
    }
    QCOMPARE(calls.load(), 1);
    Await again;
    resolver.resolve("api.test", again.done());
    QVERIFY(again.within(0)); // from the cache, at once
    QCOMPARE(calls.load(), 1);
    QCOMPARE(resolver.lookups(), std::size_t(1));
}

void TstNameResolver::failuresAreCachedBriefly()
{
    std::atomic<int> calls{0};
    NameResolver resolver([&](const std::string &host) -> Answer {
        ++calls;
        return fail("cannot resolve " + host + ": Name or service not known");
    });
    Await first;
    resolver.resolve("nowhere.test", first.done());
    QVERIFY(first.within(5000));
    QCOMPARE(QString::fromStdString(first.future.get().error().message),
             QStringLiteral("cannot resolve nowhere.test: Name or service not known"));
    Await second;
    resolver.resolve("nowhere.test", second.done());
    QVERIFY(second.within(0));
    QVERIFY(!second.future.get().has_value());
    QCOMPARE(calls.load(), 1); // within kNegativeTtlMs: not asked again
}

void TstNameResolver::aSlowNameDelaysNoOther()
{
    NameResolver resolver([](const std::string &host) -> Answer {
        if (host == "slow.test")
            std::this_thread::sleep_for(std::chrono::seconds(2));
        return std::vector<std::string>{"127.0.0.1"};
    });
    Await slow;
    resolver.resolve("slow.test", slow.done());
    QElapsedTimer timer;
    timer.start();
    Await fast;
    resolver.resolve("fast.test", fast.done());
    QVERIFY(fast.within(1000));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!slow.within(0));
    QVERIFY(slow.within(5000));
}

void TstNameResolver::shutdownDoesNotWaitForALookup()
{
    std::atomic<bool> called{false};
    QElapsedTimer timer;
    timer.start();
    {
        NameResolver resolver([](const std::string &) -> Answer {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            return std::vector<std::string>{"127.0.0.1"};
        });
        resolver.resolve("stuck.test", [&](const Answer &) { called = true; });
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the lookup is running
    }
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    std::this_thread::sleep_for(std::chrono::milliseconds(2000)); // the lookup ends on its own thread
    QVERIFY(!called);                                             // and its answer is dropped
}

void TstNameResolver::httpClientTimesOutWhileResolving()
{
    TestHttpServer server([](int fd, const std::string &, const TestHttpServer &) {
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    });
    IoRuntime io(1); // one loop: with Asio's resolver, the slow name would hold up the fast one
    HttpClientOptions options;
    options.lookup = [](const std::string &host) -> Answer {
        if (host == "slow.test")
            std::this_thread::sleep_for(std::chrono::seconds(3));
        return std::vector<std::string>{"127.0.0.1"};
    };
    HttpClient client(io, options);
    auto slowDone = std::make_shared<std::promise<Result<HttpResponse>>>();
    HttpRequest slow;
    slow.url = "http://slow.test:" + std::to_string(server.port()) + "/metrics";
    slow.timeout = std::chrono::milliseconds(300);
    QElapsedTimer timer;
    timer.start();
    client.fetch(slow, [slowDone](Result<HttpResponse> r) { slowDone->set_value(std::move(r)); });
    HttpRequest fast;
    fast.url = "http://fast.test:" + std::to_string(server.port()) + "/metrics";
    fast.timeout = std::chrono::seconds(2);
    const auto answer = client.fetchBlocking(fast);
    QVERIFY2(answer.has_value(), answer ? "" : answer.error().message.c_str());
    QCOMPARE(answer->body, std::string("ok"));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    auto future = slowDone->get_future();
    QVERIFY(future.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
    const auto timedOut = future.get();
    QVERIFY(!timedOut.has_value());
    QCOMPARE(QString::fromStdString(timedOut.error().message),
             QStringLiteral("timed out after 300ms while resolving slow.test"));
    QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TstNameResolver)
#include "tst_name_resolver.moc"
