// LogStore and LogQuery: ordering, every filter, limits from either end, bounds by count and bytes,
// the search-box syntax, and queries running while another thread appends.
#include "core/logs/log_query_matcher.h"
#include "core/logs/log_store.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace pulse;

namespace {

LogRecord record(std::string target, std::int64_t ms, LogLevel level, std::string raw)
{
    LogRecord r;
    r.target = std::move(target);
    r.timestampMs = ms;
    r.level = level;
    r.message = raw;
    r.raw = std::move(raw);
    return r;
}

std::vector<std::string> raws(const Result<std::vector<LogRecord>> &records)
{
    std::vector<std::string> out;
    if (records) {
        for (const LogRecord &r : *records)
            out.push_back(r.raw);
    }
    return out;
}

std::vector<std::string> lines(std::initializer_list<const char *> texts)
{
    return std::vector<std::string>(texts.begin(), texts.end());
}

void fillSample(LogStore &store)
{
    store.append({record("api", 3000, LogLevel::Error, "GET /orders 500 Internal"),
                  record("api", 1000, LogLevel::Info, "GET /users 200"),
                  record("db", 2000, LogLevel::Warn, "slow query on ORDERS"),
                  record("api", 2000, LogLevel::Debug, "cache miss users:7")});
    store.append({record("db", 1500, LogLevel::Unknown, "garbage \xff line")});
}

} // namespace

class TstLogStore : public QObject {
    Q_OBJECT
private slots:
    void ordersByTime();
    void filters_data();
    void filters();
    void invalidRegexIsAnError();
    void limitKeepsChosenEnd();
    void boundedByCount();
    void boundedByBytes();
    void searchText_data();
    void searchText();
    void queriesWhileAppending();
};

void TstLogStore::ordersByTime()
{
    LogStore store;
    fillSample(store);
    QCOMPARE(raws(store.query({})), lines({"GET /users 200", "garbage \xff line", "slow query on ORDERS",
                                           "cache miss users:7", "GET /orders 500 Internal"}));
    QCOMPARE(store.stats().records, std::size_t(5));
    QCOMPARE(store.stats().appended, std::uint64_t(5));
}

void TstLogStore::filters_data()
{
    QTest::addColumn<LogQuery>("query");
    QTest::addColumn<std::vector<std::string>>("expected");

    LogQuery target;
    target.targets = {"db"};
    QTest::newRow("target") << target << lines({"garbage \xff line", "slow query on ORDERS"});

    LogQuery range;
    range.fromMs = 1500;
    range.toMs = 3000;
    QTest::newRow("time range is half-open")
        << range << lines({"garbage \xff line", "slow query on ORDERS", "cache miss users:7"});

    LogQuery level;
    level.minLevel = LogLevel::Warn;
    QTest::newRow("min level") << level << lines({"slow query on ORDERS", "GET /orders 500 Internal"});

    LogQuery text;
    text.text = "orders";
    QTest::newRow("substring ignores case") << text << lines({"slow query on ORDERS", "GET /orders 500 Internal"});

    LogQuery regex;
    regex.text = "^get /\\w+ [45]\\d\\d";
    regex.regex = true;
    QTest::newRow("regex ignores case") << regex << lines({"GET /orders 500 Internal"});

    LogQuery combined;
    combined.targets = {"api", "db"};
    combined.text = "users";
    combined.minLevel = LogLevel::Debug;
    combined.toMs = 2000;
    QTest::newRow("combined") << combined << lines({"GET /users 200"});
}

void TstLogStore::filters()
{
    QFETCH(LogQuery, query);
    QFETCH(std::vector<std::string>, expected);
    LogStore store;
    fillSample(store);
    QCOMPARE(raws(store.query(query)), expected);
}

void TstLogStore::invalidRegexIsAnError()
{
    LogQuery query;
    query.text = "(unclosed";
    query.regex = true;
    LogStore store;
    fillSample(store);
    const auto answer = store.query(query);
    QVERIFY(!answer);
    QVERIFY2(answer.error().message.starts_with("invalid regular expression"), answer.error().message.c_str());
}

void TstLogStore::limitKeepsChosenEnd()
{
    LogStore store;
    fillSample(store);
    LogQuery newest;
    newest.limit = 2;
    QCOMPARE(raws(store.query(newest)), lines({"cache miss users:7", "GET /orders 500 Internal"}));
    LogQuery oldest = newest;
    oldest.keepNewest = false;
    QCOMPARE(raws(store.query(oldest)), lines({"GET /users 200", "garbage \xff line"}));
}

void TstLogStore::boundedByCount()
{
    LogStore store({3, std::size_t(1) << 30});
    for (int i = 0; i < 5; ++i)
        store.append({record("a", i, LogLevel::Info, std::to_string(i))});
    QCOMPARE(raws(store.query({})), lines({"2", "3", "4"}));
    QCOMPARE(store.stats().evicted, std::uint64_t(2));
}

void TstLogStore::boundedByBytes()
{
    const LogRecord big = record("a", 0, LogLevel::Info, std::string(1000, 'x'));
    const std::size_t each = LogStore::recordBytes(big);
    LogStore store({1000, each * 2 + each / 2});
    for (int i = 0; i < 4; ++i) {
        LogRecord r = big;
        r.timestampMs = i;
        store.append({r});
    }
    QCOMPARE(store.stats().records, std::size_t(2));
    QCOMPARE(store.stats().bytes, each * 2);
    QCOMPARE(store.query({})->front().timestampMs, std::int64_t(2));

    // One record larger than the whole budget is still kept: the newest line is never lost.
    LogStore tiny({1000, 10});
    tiny.append({big});
    QCOMPARE(tiny.stats().records, std::size_t(1));
}

void TstLogStore::searchText_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("regex");
    QTest::newRow("plain") << QStringLiteral(" timeout ") << QStringLiteral("timeout") << false;
    QTest::newRow("regex") << QStringLiteral("/5\\d\\d$/") << QStringLiteral("5\\d\\d$") << true;
    QTest::newRow("lone slash") << QStringLiteral("/") << QStringLiteral("/") << false;
    QTest::newRow("path") << QStringLiteral("/api/orders") << QStringLiteral("/api/orders") << false;
    QTest::newRow("empty regex") << QStringLiteral("//") << QString() << true;
}

void TstLogStore::searchText()
{
    QFETCH(QString, input);
    QFETCH(QString, text);
    QFETCH(bool, regex);
    const LogQueryText parsed = parseLogSearchText(input.toStdString());
    QCOMPARE(QString::fromStdString(parsed.text), text);
    QCOMPARE(parsed.regex, regex);
}

void TstLogStore::queriesWhileAppending()
{
    LogStore store({1000, std::size_t(1) << 30});
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int i = 0; i < 5000; ++i)
            store.append({record(i % 2 ? "a" : "b", (i * 7919) % 10'000, LogLevel::Info, "line")});
        done = true;
    });
    int queries = 0;
    bool sorted = true;
    while (!done || queries == 0) {
        LogQuery query;
        query.targets = {"a"};
        const auto answer = store.query(query);
        sorted = sorted && answer && std::is_sorted(answer->begin(), answer->end(), [](const auto &x, const auto &y) {
                     return x.timestampMs < y.timestampMs;
                 });
        ++queries;
    }
    writer.join();
    QVERIFY(sorted);
    QCOMPARE(store.stats().records, std::size_t(1000));
    QCOMPARE(store.stats().appended, std::uint64_t(5000));
}

QTEST_APPLESS_MAIN(TstLogStore)
#include "tst_log_store.moc"
