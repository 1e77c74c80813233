// Tests of the exposition parser: valid inputs in both formats, errors with their line numbers,
// duplicates, UTF-8, limits, content-type negotiation, fixtures and the visitor contract.
#include "core/exposition/exposition_parser.h"

#include <QFile>
#include <QTest>

#include <charconv>
#include <cmath>
#include <limits>

using namespace pulse;

Q_DECLARE_METATYPE(pulse::ExpositionFormat)

namespace {

constexpr auto Text = ExpositionFormat::PrometheusText;
constexpr auto OM = ExpositionFormat::OpenMetrics;

QByteArray renderValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, static_cast<int>(result.ptr - buffer));
}

// render gives one line per sample: name{labels} value [@timestamp].
QByteArray render(const ParsedExposition &parsed)
{
    QByteArray out;
    for (const ParsedSample &s : parsed.samples) {
        if (!out.isEmpty())
            out += '\n';
        out += QByteArray::fromStdString(s.name);
        if (!s.labels.empty())
            out += QByteArray::fromStdString(s.labels.toString());
        out += ' ' + renderValue(s.value);
        if (s.timestampMs)
            out += " @" + QByteArray::number(static_cast<qlonglong>(*s.timestampMs));
    }
    return out;
}

QByteArray bytes(std::string_view text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

std::string_view view(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

// Recorder keeps the visitor's callbacks as text, to check their order and contents.
class Recorder final : public ExpositionVisitor {
public:
    QStringList events;
    bool helpWanted = true;

    bool wantsHelp() const override { return helpWanted; }

    void family(std::string_view name, MetricType type, std::string_view help, std::string_view unit) override
    {
        events << QStringLiteral("family %1 %2 [%3] [%4]")
                      .arg(QString::fromUtf8(name.data(), qsizetype(name.size())),
                           QString::fromUtf8(toString(type).data(), qsizetype(toString(type).size())),
                           QString::fromUtf8(help.data(), qsizetype(help.size())),
                           QString::fromUtf8(unit.data(), qsizetype(unit.size())));
    }

    void sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                std::optional<std::int64_t> timestampMs) override
    {
        QString line = QStringLiteral("sample ") + QString::fromUtf8(name.data(), qsizetype(name.size()));
        for (std::size_t i = 0; i < count; ++i) {
            line += QLatin1Char(' ') + QString::fromUtf8(labels[i].name.data(), qsizetype(labels[i].name.size()))
                    + QLatin1Char('=') + QString::fromUtf8(labels[i].value.data(), qsizetype(labels[i].value.size()));
        }
        line += QLatin1Char(' ') + QString::fromLatin1(renderValue(value));
        if (timestampMs)
            line += QStringLiteral(" @") + QString::number(*timestampMs);
        events << line;
    }

    void exemplar(const LabelView *labels, std::size_t count, double value,
                  std::optional<std::int64_t> timestampMs) override
    {
        QString line = QStringLiteral("exemplar");
        for (std::size_t i = 0; i < count; ++i) {
            line += QLatin1Char(' ') + QString::fromUtf8(labels[i].name.data(), qsizetype(labels[i].name.size()))
                    + QLatin1Char('=') + QString::fromUtf8(labels[i].value.data(), qsizetype(labels[i].value.size()));
        }
        line += QLatin1Char(' ') + QString::fromLatin1(renderValue(value));
        if (timestampMs)
            line += QStringLiteral(" @") + QString::number(*timestampMs);
        events << line;
    }
};

} // namespace

class TestExpositionParser : public QObject {
    Q_OBJECT

private slots:
    void helpOnlyWhenWanted();
    void validInputs_data();
    void validInputs();
    void errors_data();
    void errors();
    void limits_data();
    void limits();
    void duplicatesKeepTheFirst();
    void contentType_data();
    void contentType();
    void fixtures_data();
    void fixtures();
    void families();
    void textFamilyComesBack();
    void unescapedValues();
    void visitorContract();
    void parserReuse();
    void timestampConversion();
    void typeNames();
};

void TestExpositionParser::validInputs_data()
{
    QTest::addColumn<ExpositionFormat>("format");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("text: gauge with metadata") << Text << QByteArray("# HELP up Whether up.\n# TYPE up gauge\nup 1\n")
                                               << QByteArray("up 1");
    QTest::newRow("text: empty input") << Text << QByteArray() << QByteArray();
    QTest::newRow("text: no final newline") << Text << QByteArray("a 1") << QByteArray("a 1");
    QTest::newRow("text: labels sorted, escapes kept")
        << Text << QByteArray(R"(http{path="C:\\dir",quote="say \"hi\"",nl="x\ny",odd="\q"} 2)" "\n")
        << QByteArray(R"(http{nl="x\ny",odd="\\q",path="C:\\dir",quote="say \"hi\""} 2)");
    QTest::newRow("text: integer ms timestamp") << Text << QByteArray("a 1 1700000000123\n")
                                                << QByteArray("a 1 @1700000000123");
    QTest::newRow("text: NaN and infinities")
        << Text
        << QByteArray("a{k=\"1\"} NaN\na{k=\"2\"} +Inf\na{k=\"3\"} -Inf\na{k=\"4\"} Inf\na{k=\"5\"} infinity\n"
                      "a{k=\"6\"} nan\n")
        << QByteArray("a{k=\"1\"} NaN\na{k=\"2\"} +Inf\na{k=\"3\"} -Inf\na{k=\"4\"} +Inf\na{k=\"5\"} +Inf\n"
                      "a{k=\"6\"} NaN");
    QTest::newRow("text: Go float forms")
        << Text << QByteArray("a{k=\"1\"} 1e+06\na{k=\"2\"} -0.5\na{k=\"3\"} .5\na{k=\"4\"} 5.\na{k=\"5\"} 007\n"
                              "a{k=\"6\"} +3\na{k=\"7\"} 1E-3\n")
        << QByteArray("a{k=\"1\"} 1e+06\na{k=\"2\"} -0.5\na{k=\"3\"} 0.5\na{k=\"4\"} 5\na{k=\"5\"} 7\n"
                      "a{k=\"6\"} 3\na{k=\"7\"} 0.001");
    QTest::newRow("text: blanks, comments, trailing comma")
        << Text << QByteArray("  # just a comment\n\n\t\n#no space is a comment too\na  {  x = \"1\" , }   3   42  \n")
        << QByteArray("a{x=\"1\"} 3 @42");
    QTest::newRow("text: value right after the brace") << Text << QByteArray("a{x=\"1\"}3\n")
                                                        << QByteArray("a{x=\"1\"} 3");
    QTest::newRow("text: histogram")
        << Text
        << QByteArray("# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n")
        << QByteArray("h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2");
    QTest::newRow("text: summary")
        << Text << QByteArray("# TYPE s summary\ns{quantile=\"0.5\"} 0.2\ns{quantile=\"0.99\"} NaN\ns_sum 4\ns_count 9\n")
        << QByteArray("s{quantile=\"0.5\"} 0.2\ns{quantile=\"0.99\"} NaN\ns_sum 4\ns_count 9");
    QTest::newRow("text: OpenMetrics input is not guessed")
        << Text << QByteArray("# TYPE a counter\n# UNIT a seconds\na_total 1\n# EOF\n") << QByteArray("a_total 1");
    QTest::newRow("text: same series at two timestamps") << Text << QByteArray("a 1 1000\na 2 2000\n")
                                                         << QByteArray("a 1 @1000\na 2 @2000");

    QTest::newRow("om: counter with created and exemplar")
        << OM
        << QByteArray("# TYPE a counter\n# HELP a help\na_total 3 # {trace_id=\"abc\"} 1 1.5\na_created 1.7e9\n# EOF\n")
        << QByteArray("a_total 3\na_created 1.7e+09");
    QTest::newRow("om: timestamps are seconds") << OM << QByteArray("a 1 1.5\nb 2 1700000000.123\n# EOF\n")
                                                << QByteArray("a 1 @1500\nb 2 @1700000000123");
    QTest::newRow("om: histogram")
        << OM
        << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 1.5\n"
                      "h_created 10\n# EOF\n")
        << QByteArray("h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 1.5\nh_created 10");
    QTest::newRow("om: gaugehistogram")
        << OM << QByteArray("# TYPE g gaugehistogram\ng_bucket{le=\"-1\"} 1\ng_bucket{le=\"+Inf\"} 2\ng_gcount 2\ng_gsum -3\n# EOF\n")
        << QByteArray("g_bucket{le=\"-1\"} 1\ng_bucket{le=\"+Inf\"} 2\ng_gcount 2\ng_gsum -3");
    QTest::newRow("om: summary") << OM
                                 << QByteArray("# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 3\ns_count 2\n# EOF\n")
                                 << QByteArray("s{quantile=\"0.5\"} 1\ns_sum 3\ns_count 2");
    QTest::newRow("om: stateset and info")
        << OM << QByteArray("# TYPE s stateset\ns{s=\"on\"} 1\ns{s=\"off\"} 0\n# TYPE i info\ni_info{v=\"1\"} 1\n# EOF\n")
        << QByteArray("s{s=\"on\"} 1\ns{s=\"off\"} 0\ni_info{v=\"1\"} 1");
    QTest::newRow("om: unknown with labels and infinities")
        << OM << QByteArray("# TYPE u unknown\nu{a=\"x\"} +Inf\nu{a=\"y\"} -Inf\nu{a=\"z\"} NaN\n# EOF\n")
        << QByteArray("u{a=\"x\"} +Inf\nu{a=\"y\"} -Inf\nu{a=\"z\"} NaN");
    QTest::newRow("om: escapes") << OM << QByteArray(R"(a{x="q\"\\\n"} 1)" "\n# EOF\n")
                                 << QByteArray(R"(a{x="q\"\\\n"} 1)");
    QTest::newRow("om: # EOF without newline") << OM << QByteArray("a 1\n# EOF") << QByteArray("a 1");
    QTest::newRow("om: only # EOF") << OM << QByteArray("# EOF\n") << QByteArray();
}

void TestExpositionParser::validInputs()
{
    QFETCH(ExpositionFormat, format);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const auto parsed = parseExposition(view(input), format);
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(render(*parsed), expected);
}

void TestExpositionParser::errors_data()
{
    QTest::addColumn<ExpositionFormat>("format");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");

    QTest::newRow("text: missing '='") << Text << QByteArray("# HELP a x\n\na{method\"GET\"} 1\n")
                                       << R"(line 3: expected '=' after label name "method", got "\"GET\"} 1")";
    QTest::newRow("text: missing brace") << Text << QByteArray("x 1\nx{a=\"b\" 2\n")
                                         << R"(line 2: expected ',' or '}' after the value of label "a", got "2")";
    QTest::newRow("text: bad value") << Text << QByteArray("a 1x\n") << R"(line 1: invalid value "1x")";
    QTest::newRow("text: hex value") << Text << QByteArray("a 0x1p3\n") << R"(line 1: invalid value "0x1p3")";
    QTest::newRow("text: seconds timestamp")
        << Text << QByteArray("a 1 1.5\n")
        << R"(line 1: expected a timestamp in integer milliseconds or end of line after the value, got "1.5")";
    QTest::newRow("text: exemplar") << Text << QByteArray("a 1 # {x=\"y\"} 1\n")
                                    << R"(line 1: expected a timestamp in integer milliseconds or end of line after the value, got "#")";
    QTest::newRow("text: unknown type")
        << Text << QByteArray("# TYPE a gaugehistogram\n")
        << R"(line 1: unknown metric type "gaugehistogram" for "a"; expected counter, gauge, histogram, summary or untyped)";
    QTest::newRow("text: no metric name") << Text << QByteArray("{a=\"b\"} 1\n") << R"(line 1: expected a metric name, got "{a=\"b\"} 1")";
    QTest::newRow("text: unterminated value") << Text << QByteArray("a{x=\"1} 1\n")
                                              << R"(line 1: the value of label "x" has no closing '"')";
    QTest::newRow("text: repeated label") << Text << QByteArray("a{x=\"1\",x=\"2\"} 1\n") << R"(line 1: label "x" appears twice)";
    QTest::newRow("text: duplicate series") << Text << QByteArray("a{x=\"1\"} 1\nb 2\na{x=\"1\"} 3\n")
                                            << R"(line 3: duplicate series a{x="1"}; it first appeared on line 1)";
    QTest::newRow("text: duplicate, labels reordered")
        << Text << QByteArray("a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n")
        << R"(line 2: duplicate series a{x="1",y="2"}; it first appeared on line 1)";
    QTest::newRow("text: empty label value is no label") << Text << QByteArray("a 1\na{x=\"\"} 2\n")
                                                         << R"(line 2: duplicate series a{x=""}; it first appeared on line 1)";
    QTest::newRow("text: invalid UTF-8 label value") << Text << QByteArray("a{x=\"\xff\"} 1\n")
                                                     << R"(line 1: the value of label "x" is not valid UTF-8)";
    QTest::newRow("text: overlong UTF-8") << Text << QByteArray("a{x=\"\xc0\xaf\"} 1\n")
                                          << R"(line 1: the value of label "x" is not valid UTF-8)";
    QTest::newRow("text: invalid UTF-8 help") << Text << QByteArray("# HELP a bad \xc3\x28\n")
                                              << R"(line 1: the help text of "a" is not valid UTF-8)";

    QTest::newRow("om: missing # EOF") << OM << QByteArray("a 1\nb 2\n")
                                       << R"(line 3: missing "# EOF"; an OpenMetrics exposition must end with it)";
    QTest::newRow("om: empty input") << OM << QByteArray() << R"(line 1: missing "# EOF"; an OpenMetrics exposition must end with it)";
    QTest::newRow("om: text after # EOF") << OM << QByteArray("a 1\n# EOF\nb 1\n") << R"(line 3: nothing may follow "# EOF")";
    QTest::newRow("om: blank line after # EOF") << OM << QByteArray("# EOF\n\n") << R"(line 2: nothing may follow "# EOF")";
    QTest::newRow("om: # EOF twice") << OM << QByteArray("# EOF\n# EOF\n") << R"(line 2: nothing may follow "# EOF")";
    QTest::newRow("om: blank line") << OM << QByteArray("a 1\n\n# EOF\n") << "line 2: blank lines are not allowed in OpenMetrics";
    QTest::newRow("om: negative counter") << OM << QByteArray("# TYPE c counter\nc_total -1\n# EOF\n")
                                          << "line 2: c_total is a counter value and must not be negative or NaN, got -1";
    QTest::newRow("om: counter without _total")
        << OM << QByteArray("# TYPE c counter\nc 1\n# EOF\n")
        << R"(line 2: sample "c" does not fit counter "c"; its samples are named c_total, c_created)";
    QTest::newRow("om: buckets out of order")
        << OM << QByteArray("# TYPE h histogram\nh_bucket{le=\"2\"} 0\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\n# EOF\n")
        << R"(line 3: histogram buckets out of order: le="1" after le="2"; buckets must be in increasing le order)";
    QTest::newRow("om: bucket counts decrease")
        << OM << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 4\n# EOF\n")
        << R"(line 3: histogram bucket counts must not decrease: le="+Inf" counts 4, less than le="1")";
    QTest::newRow("om: no +Inf bucket") << OM << QByteArray("# TYPE h histogram\nh_bucket{le=\"1\"} 0\n# EOF\n")
                                        << R"(line 2: histogram "h" has no bucket with le="+Inf"; its last bucket must be +Inf)";
    QTest::newRow("om: _count differs from +Inf")
        << OM << QByteArray("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1\n# EOF\n")
        << R"(line 4: h_count is 3 but the +Inf bucket of "h" counts 2; they must be equal)";
    QTest::newRow("om: exemplar too long")
        << OM << QByteArray("# TYPE c counter\nc_total 1 # {id=\"" + QByteArray(127, 'x') + "\"} 1\n# EOF\n")
        << "line 2: exemplar labels have 129 characters; OpenMetrics allows at most 128 (names and values together)";
    QTest::newRow("om: exemplar on a gauge")
        << OM << QByteArray("# TYPE g gauge\ng 1 # {id=\"1\"} 1\n# EOF\n")
        << R"(line 2: exemplars are only allowed on counter _total and histogram _bucket samples; g belongs to gauge family "g")";
    QTest::newRow("om: metadata after samples")
        << OM << QByteArray("# TYPE g gauge\ng 1\n# HELP g late\n# EOF\n")
        << R"(line 3: HELP for "g" comes after its samples; metadata must come before a family's samples)";
    QTest::newRow("om: repeated metadata") << OM << QByteArray("# HELP g a\n# HELP g b\n# EOF\n")
                                           << R"(line 2: a second HELP line for "g")";
    QTest::newRow("om: clashing names")
        << OM << QByteArray("# TYPE a_created gauge\n# TYPE a counter\n# EOF\n")
        << R"(line 2: metric family "a" clashes with the earlier family "a_created": both use the name "a_created")";
    QTest::newRow("om: interleaved families")
        << OM << QByteArray("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n")
        << R"(line 5: metric family "a" appears a second time; the metadata and samples of a family must be together)";
    QTest::newRow("om: interleaved groups")
        << OM << QByteArray("a{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 2 5\n# EOF\n")
        << R"(line 3: samples of a{x="1"} are not together: this MetricPoint already appeared on line 1 before other samples)";
    QTest::newRow("om: timestamp backwards") << OM << QByteArray("a 1 10\na 2 9.5\n# EOF\n")
                                             << "line 2: timestamp 9.5 of a goes backwards; timestamps of a series must not decrease";
    QTest::newRow("om: timestamp NaN") << OM << QByteArray("a 1 NaN\n# EOF\n")
                                       << R"(line 1: invalid timestamp "NaN"; expected seconds as a decimal number)";
    QTest::newRow("om: unit not in name") << OM << QByteArray("# UNIT a seconds\n# EOF\n")
                                          << R"(line 1: the unit "seconds" must end the metric name "a", as in "a_seconds")";
    QTest::newRow("om: duplicate series") << OM << QByteArray("a 1\na 2\n# EOF\n")
                                          << "line 2: duplicate series a; it first appeared on line 1";
    QTest::newRow("om: invalid UTF-8 label value") << OM << QByteArray("a{x=\"\xed\xa0\x80\"} 1\n# EOF\n")
                                                   << R"(line 1: the value of label "x" is not valid UTF-8)";
    QTest::newRow("om: trailing comma") << OM << QByteArray("a{x=\"1\",} 1\n# EOF\n")
                                        << R"(line 1: expected a label name after ',', got "} 1")";
    QTest::newRow("om: two spaces") << OM << QByteArray("a  1\n# EOF\n") << R"(line 1: expected a value after a single ' ', got " 1")";
    QTest::newRow("om: untyped is text-only")
        << OM << QByteArray("# TYPE a untyped\n# EOF\n")
        << R"(line 1: unknown metric type "untyped" for "a"; expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown)";
    QTest::newRow("om: other comment") << OM << QByteArray("# hello\n# EOF\n")
                                       << R"(line 1: expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "# hello")";
}

void TestExpositionParser::errors()
{
    QFETCH(ExpositionFormat, format);
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    const auto parsed = parseExposition(view(input), format);
    QVERIFY2(!parsed, "the input parsed");
    QCOMPARE(QString::fromStdString(parsed.error().message), message);
}

void TestExpositionParser::limits_data()
{
    QTest::addColumn<int>("sampleLimit");
    QTest::addColumn<int>("labelLimit");
    QTest::addColumn<QString>("message"); // empty: must parse

    QTest::newRow("samples within limit") << 3 << 0 << QString();
    QTest::newRow("samples over limit") << 2 << 0 << "line 3: more samples than the sample limit of 2";
    QTest::newRow("labels within limit") << 0 << 2 << QString();
    QTest::newRow("labels over limit") << 0 << 1 << R"(line 2: b{x="1",y="2"} has 2 labels, more than the label limit of 1)";
}

void TestExpositionParser::limits()
{
    QFETCH(int, sampleLimit);
    QFETCH(int, labelLimit);
    QFETCH(QString, message);
    const QByteArray input = "a 1\nb{x=\"1\",y=\"2\"} 2\nc{x=\"1\"} 3\n";
    ParseLimits limits;
    limits.sampleLimit = static_cast<std::size_t>(sampleLimit);
    limits.labelLimit = static_cast<std::size_t>(labelLimit);
    const auto parsed = parseExposition(view(input), Text, limits);
    if (message.isEmpty()) {
        QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed->samples.size(), std::size_t(3));
    } else {
        QVERIFY(!parsed);
        QCOMPARE(QString::fromStdString(parsed.error().message), message);
    }
}

void TestExpositionParser::duplicatesKeepTheFirst()
{
    // As a Prometheus scrape: a repeated series keeps its first sample, is counted, and the parse
    // goes on. An empty label value is no label, so line 5 repeats line 4.
    const QByteArray input = "a{x=\"1\"} 1\nb 2\na{x=\"1\"} 3\na{x=\"\"} 4\na 5\nc 6\n";
    ParseLimits limits;
    limits.duplicates = DuplicateSeries::KeepFirst;
    Recorder recorder;
    const auto stats = parseExposition(view(input), Text, recorder, limits);
    QVERIFY2(stats, stats ? "" : stats.error().message.c_str());
    QCOMPARE(stats->samples, std::size_t(6)); // every sample line, as scrape_samples_scraped
    QCOMPARE(stats->duplicates, std::size_t(2));
    QCOMPARE(stats->firstDuplicateLine, std::size_t(3));
    const QStringList samples = recorder.events.filter(QStringLiteral("sample "));
    QCOMPARE(samples, (QStringList{QStringLiteral("sample a x=1 1"), QStringLiteral("sample b 2"),
                                   QStringLiteral("sample a x= 4"), QStringLiteral("sample c 6")}));
    // The sample limit still counts every line.
    limits.sampleLimit = 4;
    Recorder limited;
    const auto over = parseExposition(view(input), Text, limited, limits);
    QVERIFY(!over);
    QCOMPARE(QString::fromStdString(over.error().message), QStringLiteral("line 5: more samples than the sample limit of 4"));
    // The default still fails, naming both lines (the strict view, e.g. for the conformance suite).
    Recorder strict;
    const auto failed = parseExposition(view(input), Text, strict, ParseLimits{});
    QVERIFY(!failed);
    QCOMPARE(QString::fromStdString(failed.error().message),
             QStringLiteral(R"(line 3: duplicate series a{x="1"}; it first appeared on line 1)"));
}

void TestExpositionParser::contentType_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<ExpositionFormat>("format");

    QTest::newRow("openmetrics 1.0.0") << QByteArray("application/openmetrics-text; version=1.0.0; charset=utf-8") << OM;
    QTest::newRow("openmetrics bare") << QByteArray("application/openmetrics-text") << OM;
    QTest::newRow("openmetrics mixed case") << QByteArray("Application/OpenMetrics-Text;version=0.0.1") << OM;
    QTest::newRow("openmetrics with blanks") << QByteArray("  application/openmetrics-text ; version=1.0.0") << OM;
    QTest::newRow("text 0.0.4") << QByteArray("text/plain; version=0.0.4; charset=utf-8") << Text;
    QTest::newRow("empty") << QByteArray() << Text;
    QTest::newRow("json") << QByteArray("application/json") << Text;
    QTest::newRow("prefix only") << QByteArray("application/openmetrics-textual") << Text;
}

void TestExpositionParser::contentType()
{
    QFETCH(QByteArray, contentType);
    QFETCH(ExpositionFormat, format);
    QCOMPARE(formatFromContentType(view(contentType)), format);
}

void TestExpositionParser::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<ExpositionFormat>("format");
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("families");
    QTest::addColumn<QString>("message"); // empty: must parse

    QTest::newRow("node_exporter.prom") << "node_exporter.prom" << Text << 24 << 7 << QString();
    QTest::newRow("app_metrics.om") << "app_metrics.om" << OM << 14 << 5 << QString();
    QTest::newRow("app_metrics.om as text") << "app_metrics.om" << Text << 0 << 0
                                            << R"(line 3: expected a timestamp in integer milliseconds or end of line after the value, got "#")";
    QTest::newRow("bad_bucket_order.om") << "bad_bucket_order.om" << OM << 0 << 0
                                         << R"(line 4: histogram buckets out of order: le="0.75" after le="1"; buckets must be in increasing le order)";
}

void TestExpositionParser::fixtures()
{
    QFETCH(QString, file);
    QFETCH(ExpositionFormat, format);
    QFETCH(int, samples);
    QFETCH(int, families);
    QFETCH(QString, message);
    const QString path = QFINDTESTDATA(QStringLiteral("fixtures/exposition/") + file);
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
    const QByteArray input = f.readAll();
    const auto parsed = parseExposition(view(input), format);
    if (!message.isEmpty()) {
        QVERIFY(!parsed);
        QCOMPARE(QString::fromStdString(parsed.error().message), message);
        return;
    }
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(int(parsed->samples.size()), samples);
    QCOMPARE(int(parsed->families.size()), families);
}

void TestExpositionParser::families()
{
    const QByteArray input = "# TYPE req_seconds histogram\n"
                             "# UNIT req_seconds seconds\n"
                             "# HELP req_seconds Time \\\"spent\\\"\\nper request.\n"
                             "req_seconds_bucket{le=\"+Inf\"} 1\n"
                             "# HELP only_help Nothing else.\n"
                             "loose 5\n"
                             "# EOF\n";
    const auto parsed = parseExposition(view(input), OM);
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(parsed->families.size(), std::size_t(3));
    QCOMPARE(QByteArray::fromStdString(parsed->families[0].name), QByteArray("req_seconds"));
    QCOMPARE(bytes(toString(parsed->families[0].type)), QByteArray("histogram"));
    QCOMPARE(QByteArray::fromStdString(parsed->families[0].unit), QByteArray("seconds"));
    QCOMPARE(QByteArray::fromStdString(parsed->families[0].help), QByteArray("Time \"spent\"\nper request."));
    QCOMPARE(QByteArray::fromStdString(parsed->families[1].name), QByteArray("only_help"));
    QCOMPARE(QByteArray::fromStdString(parsed->families[1].help), QByteArray("Nothing else."));
    QCOMPARE(bytes(toString(parsed->families[1].type)), QByteArray("untyped"));
    QCOMPARE(QByteArray::fromStdString(parsed->families[2].name), QByteArray("loose"));
    QCOMPARE(QByteArray::fromStdString(parsed->families[2].help), QByteArray(""));

    // The text format unescapes only \\ and \n in HELP.
    const auto text = parseExposition("# HELP a say \\\"x\\\" \\\\ \\n.\n", Text);
    QVERIFY(text);
    QCOMPARE(text->families.size(), std::size_t(1));
    QCOMPARE(QByteArray::fromStdString(text->families[0].help), QByteArray("say \\\"x\\\" \\ \n."));

    // A text-format family that comes back after another one is still one family.
    struct Ignore final : ExpositionVisitor {
        void sample(std::string_view, const LabelView *, std::size_t, double, std::optional<std::int64_t>) override {}
    } ignore;
    const auto stats = parseExposition("a 1\nb 2\na{y=\"z\"} 3\n", Text, ignore);
    QVERIFY(stats);
    QCOMPARE(stats->families, std::size_t(2));
}

void TestExpositionParser::textFamilyComesBack()
{
    Recorder recorder;
    const auto stats = parseExposition("# TYPE a gauge\na 1\nb 1\na{x=\"1\"} 2\n", Text, recorder);
    QVERIFY(stats);
    const QStringList expected = {
        QStringLiteral("family a gauge [] []"), QStringLiteral("sample a 1"),
        QStringLiteral("family b untyped [] []"), QStringLiteral("sample b 1"),
        QStringLiteral("family a gauge [] []"), QStringLiteral("sample a x=1 2"),
    };
    QCOMPARE(recorder.events, expected);
    const auto owned = parseExposition("# TYPE a gauge\na 1\nb 1\na{x=\"1\"} 2\n", Text);
    QVERIFY(owned);
    QCOMPARE(owned->families.size(), std::size_t(2));
}

void TestExpositionParser::unescapedValues()
{
    const auto parsed = parseExposition(R"(a{x="q\"\\\n",y="\z"} 1)" "\n# EOF\n", OM);
    QVERIFY(parsed);
    QCOMPARE(parsed->samples.size(), std::size_t(1));
    QCOMPARE(bytes(parsed->samples[0].labels.value("x")), QByteArray("q\"\\\n"));
    QCOMPARE(bytes(parsed->samples[0].labels.value("y")), QByteArray("\\z"));
    const auto utf8 = parseExposition("a{city=\"Zürich ☃\"} 1\n", Text);
    QVERIFY(utf8);
    QCOMPARE(bytes(utf8->samples[0].labels.value("city")), QByteArray("Zürich ☃"));
}

void TestExpositionParser::visitorContract()
{
    Recorder recorder;
    const QByteArray input = "# TYPE h histogram\n# HELP h Latency.\n"
                             "h_bucket{z=\"1\",a=\"2\",le=\"+Inf\"} 4 # {trace=\"t1\",span=\"s1\"} 0.5 12.25\n"
                             "h_count{z=\"1\",a=\"2\"} 4\nh_sum{a=\"2\",z=\"1\"} 1\n# EOF\n";
    const auto stats = parseExposition(view(input), OM, recorder);
    QVERIFY2(stats, stats ? "" : stats.error().message.c_str());
    const QStringList expected = {
        QStringLiteral("family h histogram [Latency.] []"),
        QStringLiteral("sample h_bucket a=2 le=+Inf z=1 4"),
        QStringLiteral("exemplar span=s1 trace=t1 0.5 @12250"),
        QStringLiteral("sample h_count a=2 z=1 4"),
        QStringLiteral("sample h_sum a=2 z=1 1"),
    };
    QCOMPARE(recorder.events, expected);
    QCOMPARE(stats->samples, std::size_t(3));
    QCOMPARE(stats->families, std::size_t(1));
    QCOMPARE(stats->exemplars, std::size_t(1));
}

void TestExpositionParser::parserReuse()
{
    // One parser, several inputs: nothing from an earlier parse may leak into the next.
    ExpositionParser parser;
    Recorder recorder;
    QVERIFY(parser.parse("a{x=\"1\"} 1\n", Text, recorder));
    QVERIFY(parser.parse("a{x=\"1\"} 1\n", Text, recorder));
    QVERIFY(!parser.parse("# TYPE a gauge\na 1\n", OM, recorder));
    QVERIFY(parser.parse("# TYPE a gauge\na 1\n# EOF\n", OM, recorder));
    QVERIFY(parser.parse("# TYPE a counter\na_total 1\n# EOF\n", OM, recorder));
    ExpositionParser moved = std::move(parser);
    QVERIFY(moved.parse("a 1\n", Text, recorder));
}

void TestExpositionParser::timestampConversion()
{
    const auto parsed = parseExposition("a{k=\"1\"} 1 1.005\na{k=\"2\"} 1 -1.5\na{k=\"3\"} 1 1e3\n"
                                        "a{k=\"4\"} 1 12345678901234567890.5\n# EOF\n",
                                        OM);
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(parsed->samples[0].timestampMs, std::optional<std::int64_t>(1005));
    QCOMPARE(parsed->samples[1].timestampMs, std::optional<std::int64_t>(-1500));
    QCOMPARE(parsed->samples[2].timestampMs, std::optional<std::int64_t>(1000000));
    QCOMPARE(parsed->samples[3].timestampMs, std::optional<std::int64_t>(std::numeric_limits<std::int64_t>::max()));
    const auto text = parseExposition("a 1 9223372036854775807\n", Text);
    QVERIFY(text);
    QCOMPARE(text->samples[0].timestampMs, std::optional<std::int64_t>(std::numeric_limits<std::int64_t>::max()));
    QVERIFY(!parseExposition("a 1 9223372036854775808\n", Text));
}

void TestExpositionParser::typeNames()
{
    QCOMPARE(bytes(toString(MetricType::Untyped)), QByteArray("untyped"));
    QCOMPARE(bytes(toString(MetricType::GaugeHistogram)), QByteArray("gaugehistogram"));
    QCOMPARE(bytes(toString(MetricType::StateSet)), QByteArray("stateset"));
}

void TestExpositionParser::helpOnlyWhenWanted()
{
    // A visitor that ignores help texts gets them empty (the reader does not unescape them); the rest
    // of the parse is the same.
    const std::string_view text = "# HELP a Line one\\nline two.\n# TYPE a counter\na 1\n";
    Recorder wants, ignores;
    ignores.helpWanted = false;
    ExpositionParser parser;
    QVERIFY(parser.parse(text, ExpositionFormat::PrometheusText, wants));
    QVERIFY(parser.parse(text, ExpositionFormat::PrometheusText, ignores));
    QCOMPARE(wants.events, QStringList({QStringLiteral("family a counter [Line one\nline two.] []"), QStringLiteral("sample a 1")}));
    QCOMPARE(ignores.events, QStringList({QStringLiteral("family a counter [] []"), QStringLiteral("sample a 1")}));
}

QTEST_APPLESS_MAIN(TestExpositionParser)

#include "tst_exposition_parser.moc"
