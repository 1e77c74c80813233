// parseByteSize / formatByteSize (core/base/byte_size.h): 1024-based units as Prometheus reads
// them, exact errors for what is not a size, and a round trip through the dump's spelling.
#include "core/base/byte_size.h"

#include <QTest>

using namespace pulse;

class TstByteSize : public QObject {
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void formatsWhatItParses();
};

void TstByteSize::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint64>("bytes");
    QTest::newRow("bare bytes") << "4096" << quint64(4096);
    QTest::newRow("B") << "100B" << quint64(100);
    QTest::newRow("KB is 1024") << "1KB" << quint64(1024);
    QTest::newRow("MiB") << "500MiB" << quint64(500) * 1024 * 1024;
    QTest::newRow("GB as Prometheus") << "2GB" << (quint64(2) << 30);
    QTest::newRow("GiB") << "2GiB" << (quint64(2) << 30);
    QTest::newRow("TiB") << "3TiB" << (quint64(3) << 40);
    QTest::newRow("zero") << "0" << quint64(0);
}

void TstByteSize::parses()
{
    QFETCH(QString, text);
    QFETCH(quint64, bytes);
    const auto parsed = parseByteSize(text.toStdString());
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(quint64(*parsed), bytes);
}

void TstByteSize::refuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << "" << "bad size '': expected a whole number and a unit, e.g. 2GiB or 500MB";
    QTest::newRow("unit only") << "GiB" << "bad size 'GiB': expected a whole number and a unit, e.g. 2GiB or 500MB";
    QTest::newRow("fraction") << "1.5GiB"
                              << "bad size '1.5GiB': unknown unit '.5GiB' (use B, KB, MB, GB or TB; KiB, MiB, GiB, TiB "
                                 "mean the same)";
    QTest::newRow("lower-case unit") << "2gb"
                                     << "bad size '2gb': unknown unit 'gb' (use B, KB, MB, GB or TB; KiB, MiB, GiB, TiB "
                                        "mean the same)";
    QTest::newRow("negative") << "-1GiB" << "bad size '-1GiB': expected a whole number and a unit, e.g. 2GiB or 500MB";
    QTest::newRow("overflow by the unit") << "20000000TiB" << "size '20000000TiB' is too large";
    QTest::newRow("overflow by the number") << "99999999999999999999" << "size '99999999999999999999' is too large";
}

void TstByteSize::refuses()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto parsed = parseByteSize(text.toStdString());
    QVERIFY(!parsed);
    QCOMPARE(QString::fromStdString(parsed.error().message), error);
}

void TstByteSize::formatsWhatItParses()
{
    QCOMPARE(formatByteSize(std::uint64_t{2} << 30), std::string("2GiB"));
    QCOMPARE(formatByteSize(std::uint64_t{1536} << 20), std::string("1536MiB"));
    QCOMPARE(formatByteSize(100), std::string("100B"));
    QCOMPARE(formatByteSize(0), std::string("0B"));
    for (std::uint64_t v : {std::uint64_t{1}, std::uint64_t{1023}, std::uint64_t{1} << 10, std::uint64_t{3} << 40,
                            std::uint64_t{123456789}})
        QCOMPARE(*parseByteSize(formatByteSize(v)), v);
}

QTEST_APPLESS_MAIN(TstByteSize)
#include "tst_byte_size.moc"
