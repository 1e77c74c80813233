// Tests for editDistance/closestMatch (core/base/did_you_mean.h).
#include "core/base/did_you_mean.h"

#include <QTest>

#include <array>
#include <string>

class TstDidYouMean : public QObject {
    Q_OBJECT

private slots:
    void distance_data();
    void distance();
    void closest_data();
    void closest();
};

void TstDidYouMean::distance_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");

    QTest::newRow("equal") << "interval"
                           << "interval" << 0;
    QTest::newRow("extra letter") << "intervall"
                                  << "interval" << 1;
    QTest::newRow("missing letter") << "intrval"
                                    << "interval" << 1;
    QTest::newRow("substitution") << "intarval"
                                  << "interval" << 1;
    QTest::newRow("swap counts once") << "intreval"
                                      << "interval" << 1;
    QTest::newRow("empty") << ""
                           << "abc" << 3;
    QTest::newRow("unrelated") << "abc"
                               << "xyz" << 3;
}

void TstDidYouMean::distance()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    QCOMPARE(int(pulse::editDistance(a.toStdString(), b.toStdString())), expected);
    QCOMPARE(int(pulse::editDistance(b.toStdString(), a.toStdString())), expected);
}

void TstDidYouMean::closest_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("expected"); // empty = no suggestion

    QTest::newRow("typo") << "intervall"
                          << "interval";
    QTest::newRow("swap") << "promethues"
                          << "prometheus";
    QTest::newRow("case only") << "HTTP"
                               << "http";
    QTest::newRow("short word one edit") << "tpc"
                                         << "tcp";
    QTest::newRow("too far") << "banana"
                             << "";
    QTest::newRow("nearest wins") << "timout"
                                  << "timeout";
}

void TstDidYouMean::closest()
{
    QFETCH(QString, word);
    QFETCH(QString, expected);
    constexpr std::array<std::string_view, 6> candidates{"interval", "timeout", "prometheus", "http", "tcp", "time"};
    const auto match = pulse::closestMatch(word.toStdString(), candidates);
    QCOMPARE(match ? QString::fromStdString(std::string(*match)) : QString(), expected);
}

QTEST_APPLESS_MAIN(TstDidYouMean)
#include "tst_did_you_mean.moc"
