// Tests for Labels (core/base/labels.h): ordering, replacement, missing labels, escaping, byte-exact values.
#include "core/base/labels.h"

#include <QTest>

#include <string>

using pulse::Label;
using pulse::Labels;
using pulse::LabelsHash;

class TstLabels : public QObject {
    Q_OBJECT

private slots:
    void sortsByName();
    void laterDuplicateReplacesEarlier();
    void setAddsAndReplaces();
    void missingLabelIsEmpty();
    void removeDropsLabel();
    void toStringEscapes_data();
    void toStringEscapes();
    void keepsBytesExact();
    void comparesByContent();
    void copiesShareUntilChanged();
    void hashFollowsContent();
};

void TstLabels::sortsByName()
{
    const Labels labels({{"job", "api"}, {"instance", "a:1"}, {"__name__", "up"}});
    QCOMPARE(labels.size(), std::size_t(3));
    QCOMPARE(labels.items()[0].name, std::string("__name__"));
    QCOMPARE(labels.items()[1].name, std::string("instance"));
    QCOMPARE(labels.items()[2].name, std::string("job"));
}

void TstLabels::laterDuplicateReplacesEarlier()
{
    const Labels labels({{"job", "first"}, {"job", "second"}});
    QCOMPARE(labels.size(), std::size_t(1));
    QCOMPARE(labels.value("job"), std::string_view("second"));
}

void TstLabels::setAddsAndReplaces()
{
    Labels labels;
    QVERIFY(labels.empty());
    labels.set("b", "2");
    labels.set("a", "1");
    labels.set("c", "3");
    labels.set("b", "two");
    QCOMPARE(labels.toString(), std::string(R"({a="1",b="two",c="3"})"));
    QVERIFY(labels.has("b"));
}

void TstLabels::missingLabelIsEmpty()
{
    const Labels labels(std::vector<Label>{{"job", "api"}});
    QVERIFY(!labels.has("instance"));
    QVERIFY(labels.value("instance").empty());
    QVERIFY(Labels().value("job").empty());
}

void TstLabels::removeDropsLabel()
{
    Labels labels({{"a", "1"}, {"b", "2"}});
    labels.remove("a");
    labels.remove("missing");
    QCOMPARE(labels.toString(), std::string(R"({b="2"})"));
}

void TstLabels::toStringEscapes_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("plain") << QByteArray("x") << QByteArray(R"({v="x"})");
    QTest::newRow("backslash") << QByteArray(R"(C:\dir)") << QByteArray(R"({v="C:\\dir"})");
    QTest::newRow("quote") << QByteArray(R"(say "hi")") << QByteArray(R"({v="say \"hi\""})");
    QTest::newRow("newline") << QByteArray("a\nb") << QByteArray(R"({v="a\nb"})");
    QTest::newRow("all three") << QByteArray("\\\"\n") << QByteArray(R"({v="\\\"\n"})");
    QTest::newRow("tab untouched") << QByteArray("a\tb") << QByteArray("{v=\"a\tb\"}");
    QTest::newRow("empty") << QByteArray("") << QByteArray(R"({v=""})");
}

void TstLabels::toStringEscapes()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, expected);

    const Labels labels(std::vector<Label>{{"v", value.toStdString()}});
    QCOMPARE(QByteArray::fromStdString(labels.toString()), expected);
    QCOMPARE(QByteArray::fromStdString(pulse::escapeLabelValue(value.toStdString())),
             expected.mid(4, expected.size() - 6));
}

void TstLabels::keepsBytesExact()
{
    // NUL and bytes that are not UTF-8 must survive unchanged: values are bytes, not text.
    const std::string value("a\0b\xff\xfe\xc3", 6);
    Labels labels;
    labels.set("raw", value);
    QCOMPARE(labels.value("raw").size(), std::size_t(6));
    QCOMPARE(std::string(labels.value("raw")), value);
    const std::string rendered = labels.toString();
    QCOMPARE(rendered, std::string("{raw=\"") + value + "\"}");
    QCOMPARE(rendered.size(), std::size_t(6 + 8));
}

void TstLabels::comparesByContent()
{
    const Labels a({{"x", "1"}, {"y", "2"}});
    const Labels b({{"y", "2"}, {"x", "1"}});
    QCOMPARE(a, b);
    QVERIFY(a != Labels(std::vector<Label>{{"x", "1"}}));
    QVERIFY(Labels(std::vector<Label>{{"a", "1"}}) < Labels(std::vector<Label>{{"b", "1"}}));
}

// Copies share one vector (copy-on-write): changing a copy never shows in the original, in either
// direction, and a change that changes nothing keeps them shared.
void TstLabels::copiesShareUntilChanged()
{
    Labels original({{"job", "api"}, {"instance", "h:9100"}});
    Labels copy = original;
    QCOMPARE(&copy.items(), &original.items());
    copy.set("job", "api"); // the same value: still shared
    QCOMPARE(&copy.items(), &original.items());
    copy.set("job", "web");
    QCOMPARE(original.value("job"), std::string_view("api"));
    QCOMPARE(copy.value("job"), std::string_view("web"));
    Labels third = original;
    original.remove("instance");
    QVERIFY(!original.has("instance"));
    QCOMPARE(third.value("instance"), std::string_view("h:9100"));
    third.remove("absent"); // nothing to remove: still the same content
    QCOMPARE(third.size(), std::size_t{2});
    Labels moved = std::move(third);
    QCOMPARE(moved.size(), std::size_t{2});
    Labels empty;
    QVERIFY(empty.empty());
    QCOMPARE(empty.begin(), empty.end());
    empty.set("a", "1");
    QCOMPARE(empty.size(), std::size_t{1});
    QVERIFY(Labels{} == Labels(std::vector<Label>{}));
}

void TstLabels::hashFollowsContent()
{
    const LabelsHash hash;
    const Labels a({{"a", "1"}, {"b", "2"}});
    const Labels b(std::vector<Label>{{"b", "2"}, {"a", "1"}});
    QCOMPARE(hash(a), hash(b));
    QVERIFY(hash(a) != hash(Labels({{"a", "12"}})));
    // Name/value boundaries count: {a="1b",…} is not {a="1",b=…}.
    QVERIFY(hash(Labels({{"a", "b"}})) != hash(Labels({{"ab", ""}})));
}

QTEST_APPLESS_MAIN(TstLabels)
#include "tst_labels.moc"
