// Tests of the exposition parser's fast paths against plain reference answers: word-at-a-time
// scanning at every offset and at the end of its input, the tail of the UTF-8 check, the integer
// path of number parsing, label values whose quote, escape or non-ASCII byte sits on a word boundary,
// the repeated-name shortcut and duplicate series across names and families.
#include "core/exposition/exposition_number.h"
#include "core/exposition/exposition_parser.h"
#include "core/exposition/exposition_scan.h"
#include "core/exposition/exposition_series_set.h"
#include "core/exposition/exposition_strings.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>

using namespace pulse;

namespace {

constexpr auto Text = ExpositionFormat::PrometheusText;
constexpr auto OM = ExpositionFormat::OpenMetrics;

// Exact copies the bytes into an allocation of exactly that size, so that a scan reading past the end
// is caught by ASan (scripts/test --sanitize).
class Exact {
public:
    explicit Exact(const std::string &bytes) : m_size(bytes.size()), m_data(std::make_unique<char[]>(bytes.size()))
    {
        std::memcpy(m_data.get(), bytes.data(), bytes.size());
    }
    std::string_view view() const { return {m_data.get(), m_size}; }

private:
    std::size_t m_size;
    std::unique_ptr<char[]> m_data;
};

std::size_t referenceStop(std::string_view s, bool nonAscii)
{
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '"' || s[i] == '\\' || (nonAscii && static_cast<unsigned char>(s[i]) >= 0x80))
            return i;
    }
    return s.size();
}

std::string labelValueOf(std::string_view input, ExpositionFormat format)
{
    const auto parsed = parseExposition(input, format);
    if (!parsed)
        return "error: " + parsed.error().message;
    if (parsed->samples.size() != 1)
        return "samples: " + std::to_string(parsed->samples.size());
    return std::string(parsed->samples[0].labels.value("v"));
}

} // namespace

class TestExpositionFastPaths : public QObject {
    Q_OBJECT

private slots:
    void scanEveryOffset();
    void utf8Tail_data();
    void utf8Tail();
    void numbers_data();
    void numbers();
    void labelValueBoundaries();
    void repeatedNames();
    void repeatedLabelNames();
    void duplicatesAcrossNames();
    void seriesHashIgnoresEmptyValues();
};

void TestExpositionFastPaths::scanEveryOffset()
{
    // Each stop byte at each offset of inputs of 0 to 24 bytes: before, inside and after whole words.
    const char stops[] = {'"', '\\', '\x80', '\xff', '\xc3'};
    for (std::size_t length = 0; length <= 24; ++length) {
        const Exact plain(std::string(length, 'a'));
        QCOMPARE(expo::findPlainEnd(plain.view()), length);
        QCOMPARE(expo::findQuoteOrBackslash(plain.view()), length);
        for (std::size_t at = 0; at < length; ++at) {
            for (const char stop : stops) {
                std::string bytes(length, 'x');
                bytes[at] = stop;
                if (at + 1 < length)
                    bytes[at + 1] = '"'; // a later stop must not win
                const Exact input(bytes);
                QCOMPARE(expo::findPlainEnd(input.view()), referenceStop(input.view(), true));
                QCOMPARE(expo::findQuoteOrBackslash(input.view()), referenceStop(input.view(), false));
            }
        }
    }
    // Bytes one off the stop bytes, which the zero-byte test must not mistake for them.
    const Exact nearMisses(std::string("!#[]\x7f\x01\x21\x23\x5b\x5d!#[]\x7f"));
    QCOMPARE(expo::findPlainEnd(nearMisses.view()), nearMisses.view().size());
}

void TestExpositionFastPaths::utf8Tail_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");

    QTest::newRow("ascii, 7 bytes") << QByteArray("abcdefg") << true;
    QTest::newRow("ascii, 9 bytes") << QByteArray("abcdefghi") << true;
    QTest::newRow("bad byte last of 9") << QByteArray("abcdefgh\xff") << false;
    QTest::newRow("bad byte last of 15") << QByteArray("abcdefghijklmn\xff") << false;
    QTest::newRow("cut sequence at the end") << QByteArray("abcdefghi\xc3") << false;
    QTest::newRow("sequence ends the input") << QByteArray("abcdefg\xc3\xa9") << true;
    QTest::newRow("4-byte sequence in the tail") << QByteArray("abcdefghij\xf0\x9f\x98\x80") << true;
    QTest::newRow("surrogate in the tail") << QByteArray("abcdefghij\xed\xa0\x80") << false;
    QTest::newRow("overlong in the first word") << QByteArray("\xc0\xaf") + QByteArray("abcdefghij") << false;
    QTest::newRow("continuation byte alone after a word") << QByteArray("abcdefgh\x80") + QByteArray("abc") << false;
}

void TestExpositionFastPaths::utf8Tail()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    const Exact input(bytes.toStdString());
    QCOMPARE(expo::isValidUtf8(input.view()), valid);
}

void TestExpositionFastPaths::numbers_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("value");

    QTest::newRow("zero") << QByteArray("0") << true << 0.0;
    QTest::newRow("leading zeros") << QByteArray("007") << true << 7.0;
    QTest::newRow("15 digits, the integer path's longest")
        << QByteArray("999999999999999") << true << 999999999999999.0;
    QTest::newRow("16 digits") << QByteArray("9999999999999999") << true << 1e16;
    QTest::newRow("2^53 + 1 rounds to even") << QByteArray("9007199254740993") << true << 9007199254740992.0;
    QTest::newRow("20 digits") << QByteArray("12345678901234567890") << true << 12345678901234567890.0;
    QTest::newRow("signed") << QByteArray("-42") << true << -42.0;
    QTest::newRow("plus sign") << QByteArray("+42") << true << 42.0;
    QTest::newRow("trailing point") << QByteArray("42.") << true << 42.0;
    QTest::newRow("digits then letter") << QByteArray("12a") << false << 0.0;
    QTest::newRow("digits then underscore") << QByteArray("1_000") << false << 0.0;
    QTest::newRow("digit then space") << QByteArray("1 ") << false << 0.0;
    QTest::newRow("exponent") << QByteArray("15e2") << true << 1500.0;
}

void TestExpositionFastPaths::numbers()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, valid);
    QFETCH(double, value);
    const Exact input(token.toStdString());
    const auto parsed = expo::parseSampleValue(input.view());
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, value);
    const auto real = expo::parseRealNumber(input.view());
    QCOMPARE(real.has_value(), valid);
}

void TestExpositionFastPaths::labelValueBoundaries()
{
    // The value's quote, escape or non-ASCII byte at every offset around whole words, and lines that
    // end inside a value, with and without a newline after them.
    for (std::size_t length = 0; length <= 20; ++length) {
        const std::string plain(length, 'p');
        QCOMPARE(labelValueOf("m{v=\"" + plain + "\"} 1", Text), plain);
        QCOMPARE(labelValueOf("m{v=\"" + plain + "\"} 1\n# EOF", OM), plain);
        for (std::size_t at = 0; at <= length; ++at) {
            const std::string head = plain.substr(0, at);
            const std::string tail = plain.substr(at);
            QCOMPARE(labelValueOf("m{v=\"" + head + "\\\"" + tail + "\"} 1\n", Text), head + "\"" + tail);
            QCOMPARE(labelValueOf("m{v=\"" + head + "\\n\\\\" + tail + "\"} 1\n", Text), head + "\n\\" + tail);
            QCOMPARE(labelValueOf("m{v=\"" + head + "\\q" + tail + "\"} 1\n", Text), head + "\\q" + tail);
            QCOMPARE(labelValueOf("m{v=\"" + head + "\xc3\xa9" + tail + "\"} 1\n", Text), head + "\xc3\xa9" + tail);
            QCOMPARE(labelValueOf("m{v=\"" + head + "\xc3" + tail + "\"} 1\n", Text),
                     std::string("error: line 1: the value of label \"v\" is not valid UTF-8"));
            const std::string unclosed = "m{v=\"" + head + "\\\"" + tail;
            const std::string noQuote = "error: line 1: the value of label \"v\" has no closing '\"'";
            QCOMPARE(labelValueOf(Exact(unclosed).view(), Text), noQuote);
            QCOMPARE(labelValueOf(Exact(unclosed + "\\").view(), Text), noQuote);
            QCOMPARE(labelValueOf(Exact("m{v=\"" + head).view(), Text), noQuote);
        }
    }
    // Several escaped values on one line keep their own bytes.
    const auto parsed = parseExposition("m{a=\"x\\\"y\",b=\"1\\\\2\",c=\"plain\",d=\"n\\nm\"} 1\n", Text);
    QVERIFY(parsed);
    QCOMPARE(parsed->samples[0].labels.toString(), std::string(R"({a="x\"y",b="1\\2",c="plain",d="n\nm"})"));
}

void TestExpositionFastPaths::repeatedNames()
{
    // The lexer first checks whether a line repeats the previous sample's name; a longer or shorter
    // name that starts the same way must still be read whole.
    const auto parsed = parseExposition("abc 1\nab 2\nabcd 3\nabc{x=\"1\"} 4\n  abc{x=\"2\"} 5\nabc:x 6\n", Text);
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    const char *names[] = {"abc", "ab", "abcd", "abc", "abc", "abc:x"};
    QCOMPARE(parsed->samples.size(), std::size_t(6));
    for (std::size_t i = 0; i < 6; ++i)
        QCOMPARE(parsed->samples[i].name, std::string(names[i]));

    // Metadata between two samples of one name starts another family: the second sample must not be
    // taken as part of the first's.
    const auto retyped = parseExposition("# TYPE x gauge\nx 1\n# TYPE x counter\nx{a=\"1\"} 2\n", Text);
    QVERIFY(retyped);
    QCOMPARE(retyped->families.size(), std::size_t(1));
    QCOMPARE(toString(retyped->families[0].type), std::string_view("counter"));

    // A family in between: the sample that repeats the name goes back to its own family, announced again.
    struct Families final : ExpositionVisitor {
        std::string seen;
        void family(std::string_view name, MetricType, std::string_view, std::string_view) override
        {
            seen += std::string(name) + ";";
        }
        void sample(std::string_view name, const LabelView *, std::size_t, double, std::optional<std::int64_t>) override
        {
            seen += std::string(name) + "=sample;";
        }
    } families;
    QVERIFY(parseExposition("a 1\n# TYPE b gauge\na{x=\"1\"} 2\n", Text, families));
    QCOMPARE(families.seen, std::string("a;a=sample;b;a;a=sample;"));
}

void TestExpositionFastPaths::repeatedLabelNames()
{
    // The sort finds repeats on the way; the message names the first repeated name in sorted order.
    const auto twice = parseExposition("a{z=\"1\",z=\"2\",b=\"1\",b=\"2\"} 1\n", Text);
    QVERIFY(!twice);
    QCOMPARE(twice.error().message, std::string("line 1: label \"b\" appears twice"));
    const auto apart = parseExposition("a{b=\"1\",a=\"2\",c=\"3\",b=\"3\"} 1\n", Text);
    QVERIFY(!apart);
    QCOMPARE(apart.error().message, std::string("line 1: label \"b\" appears twice"));
    QVERIFY(parseExposition("a{d=\"1\",c=\"2\",b=\"3\",a=\"4\"} 1\n", Text));
}

void TestExpositionFastPaths::duplicatesAcrossNames()
{
    // Duplicates are looked up per sample name; a name's table must survive other names in between,
    // a family that comes back, and a family of another name that owns the same sample name.
    std::string many;
    for (int i = 0; i < 300; ++i)
        many += "m_" + std::to_string(i % 7) + "{i=\"" + std::to_string(i) + "\"} 1\n";
    many += "m_3{i=\"3\"} 2\n";
    const auto parsed = parseExposition(many, Text);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().message,
             std::string("line 301: duplicate series m_3{i=\"3\"}; it first appeared on line 4"));

    const auto comesBack = parseExposition("a{x=\"1\"} 1\nb 1\na{y=\"\",x=\"1\"} 2\n", Text);
    QVERIFY(!comesBack);
    QCOMPARE(comesBack.error().message,
             std::string("line 3: duplicate series a{x=\"1\",y=\"\"}; it first appeared on line 1"));

    const auto otherFamily = parseExposition("# TYPE x histogram\nx_sum 1\n# TYPE x_sum gauge\nx_sum 2\n", Text);
    QVERIFY(!otherFamily);
    QCOMPARE(otherFamily.error().message, std::string("line 4: duplicate series x_sum; it first appeared on line 2"));

    QVERIFY(parseExposition("a{x=\"1\"} 1\na{x=\"1\",y=\"2\"} 1\nb{x=\"1\"} 1\na 1\n", Text));
}

void TestExpositionFastPaths::seriesHashIgnoresEmptyValues()
{
    const LabelView withEmpty[] = {{"a", ""}, {"b", "1"}, {"c", ""}};
    const LabelView without[] = {{"b", "1"}};
    QCOMPARE(expo::hashSeriesLabels(withEmpty), expo::hashSeriesLabels(without));
    QVERIFY(expo::sameSeriesLabels(withEmpty, without));
    // Splitting the same bytes differently gives another series (and, here, another hash).
    const LabelView split1[] = {{"ab", "c"}};
    const LabelView split2[] = {{"a", "bc"}};
    QVERIFY(!expo::sameSeriesLabels(split1, split2));
    QVERIFY(expo::hashSeriesLabels(split1) != expo::hashSeriesLabels(split2));
    const LabelView none[] = {{"a", ""}};
    QVERIFY(expo::sameSeriesLabels(none, std::span<const LabelView>()));
}

QTEST_APPLESS_MAIN(TestExpositionFastPaths)

#include "tst_exposition_fast_paths.moc"
