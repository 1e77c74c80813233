// Tests for parseDuration/formatDuration (core/base/duration.h): Prometheus duration syntax and round trips.
#include "core/base/duration.h"

#include <QTest>

#include <string>

using pulse::Duration;

class TstDuration : public QObject {
    Q_OBJECT

private slots:
    void parsesValid_data();
    void parsesValid();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void roundTrips_data();
    void roundTrips();
};

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

} // namespace

void TstDuration::parsesValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("millis");
    QTest::addColumn<QString>("formatted");

    QTest::newRow("zero") << "0" << qint64(0) << "0s";
    QTest::newRow("milliseconds") << "250ms" << qint64(250) << "250ms";
    QTest::newRow("seconds") << "5s" << 5 * kSecond << "5s";
    QTest::newRow("minutes and seconds") << "1m30s" << 90 * kSecond << "1m30s";
    QTest::newRow("hours and minutes") << "1h30m" << 90 * kMinute << "1h30m";
    QTest::newRow("days") << "7d" << 7 * kDay << "1w";
    QTest::newRow("weeks") << "2w" << 14 * kDay << "2w";
    QTest::newRow("year is 365 days") << "1y" << 365 * kDay << "1y";
    QTest::newRow("days and hours") << "1d12h" << 36 * kHour << "1d12h";
    QTest::newRow("every unit") << "1y1w1d1h1m1s1ms" << (365 + 7 + 1) * kDay + kHour + kMinute + kSecond + 1
                                << "1y1w1d1h1m1s1ms";
    QTest::newRow("unnormalized") << "90s" << 90 * kSecond << "1m30s";
    QTest::newRow("zero with unit") << "0s" << qint64(0) << "0s";
}

void TstDuration::parsesValid()
{
    QFETCH(QString, text);
    QFETCH(qint64, millis);
    QFETCH(QString, formatted);

    const auto parsed = pulse::parseDuration(text.toStdString());
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(qint64(parsed->count()), millis);
    QCOMPARE(QString::fromStdString(pulse::formatDuration(*parsed)), formatted);
}

void TstDuration::rejectsInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("empty") << ""
                           << "empty duration";
    QTest::newRow("number without unit") << "5"
                                         << "unit";
    QTest::newRow("unit without number") << "s"
                                         << "expected a number";
    QTest::newRow("negative") << "-5s"
                              << "expected a number";
    QTest::newRow("unknown unit") << "5x"
                                  << "unit";
    QTest::newRow("units out of order") << "30m1h"
                                        << "largest to smallest";
    QTest::newRow("unit repeated") << "1m1m"
                                   << "largest to smallest";
    QTest::newRow("fraction") << "1.5s"
                              << "unit";
    QTest::newRow("number overflows") << "99999999999999999999ms"
                                      << "too large";
    QTest::newRow("unit overflows") << "300000000y"
                                    << "too large";
    QTest::newRow("sum overflows") << "292000000y20000000000000000ms"
                                   << "too large";
    QTest::newRow("space") << "5 s"
                           << "unit";
    QTest::newRow("trailing garbage") << "5sx"
                                      << "expected a number";
}

void TstDuration::rejectsInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, messagePart);

    const auto parsed = pulse::parseDuration(text.toStdString());
    QVERIFY2(!parsed.has_value(), qPrintable(QString::number(parsed ? parsed->count() : 0)));
    QVERIFY2(QString::fromStdString(parsed.error().message).contains(messagePart), parsed.error().message.c_str());
}

void TstDuration::roundTrips_data()
{
    QTest::addColumn<qint64>("millis");

    for (qint64 ms : {qint64(0), qint64(1), qint64(999), kSecond, 61 * kSecond, kHour + 1, 7 * kDay - 1,
                      400 * kDay + 5 * kHour + 3, 1000 * 365 * kDay})
        QTest::newRow(qPrintable(QString::number(ms))) << ms;
}

void TstDuration::roundTrips()
{
    QFETCH(qint64, millis);

    const std::string text = pulse::formatDuration(Duration{millis});
    const auto parsed = pulse::parseDuration(text);
    QVERIFY2(parsed.has_value(), text.c_str());
    QCOMPARE(qint64(parsed->count()), millis);
}

QTEST_APPLESS_MAIN(TstDuration)
#include "tst_duration.moc"
