// validUtf8 (core/base/text_encoding.h): the same text QString::fromUtf8 makes of any bytes — it
// replaces what the log printer used to do with Qt, so pulsectl's front can print log records
// without loading Qt — on hand-picked cases and on random bytes.
#include "core/base/text_encoding.h"

#include <QString>
#include <QTest>

#include <random>

using namespace pulse;

class TstTextEncoding : public QObject {
    Q_OBJECT
private slots:
    void validUtf8_data();
    void validUtf8();
    void validUtf8AgreesWithQtOnRandomBytes();
};

namespace {

std::string viaQt(std::string_view bytes)
{
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size())).toStdString();
}

} // namespace

void TstTextEncoding::validUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray r("\xEF\xBF\xBD");
    QTest::newRow("ascii") << QByteArray("GET /x") << QByteArray("GET /x");
    QTest::newRow("NUL kept") << QByteArray("a\0b", 3) << QByteArray("a\0b", 3);
    QTest::newRow("two, three, four bytes")
        << QByteArray("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") << QByteArray("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    QTest::newRow("lone continuation") << QByteArray("a\x80z") << QByteArray("a" + r + "z");
    QTest::newRow("cut at the end") << QByteArray("a\xE2\x82") << QByteArray("a" + r + r);
    QTest::newRow("cut before ascii") << QByteArray("\xE2\x82z") << QByteArray(r + r + "z");
    QTest::newRow("overlong") << QByteArray("\xC0\xAF\xE0\x80\xAF") << QByteArray(r + r + r + r + r);
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << QByteArray(r + r + r);
    QTest::newRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80\xF5") << QByteArray(r + r + r + r + r);
    QTest::newRow("largest") << QByteArray("\xF4\x8F\xBF\xBF") << QByteArray("\xF4\x8F\xBF\xBF");
    QTest::newRow("non-character kept") << QByteArray("\xEF\xBF\xBE") << QByteArray("\xEF\xBF\xBE");
    QTest::newRow("leading BOM dropped") << QByteArray("\xEF\xBB\xBFok") << QByteArray("ok");
    QTest::newRow("inner BOM kept") << QByteArray("a\xEF\xBB\xBF") << QByteArray("a\xEF\xBB\xBF");
}

void TstTextEncoding::validUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, expected);
    const std::string_view in(bytes.constData(), std::size_t(bytes.size()));
    const std::string got = pulse::validUtf8(in);
    QCOMPARE(QByteArray(got.data(), qsizetype(got.size())), expected);
    QCOMPARE(got, viaQt(in));
}

void TstTextEncoding::validUtf8AgreesWithQtOnRandomBytes()
{
    // Bytes drawn mostly from the interesting ranges (lead bytes, continuations, ASCII), in short
    // strings so that every combination of cut and wrong sequences comes up.
    std::mt19937 random(20261207);
    const unsigned char pool[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBB, 0xBF, 0xC0, 0xC1, 0xC2,
                                  0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFE, 0xFF};
    for (int round = 0; round < 200000; ++round) {
        std::string bytes(std::size_t(random() % 9), '\0');
        for (char &c : bytes)
            c = static_cast<char>(random() % 4 == 0 ? random() % 256 : pool[random() % sizeof pool]);
        const std::string ours = pulse::validUtf8(bytes);
        if (ours != viaQt(bytes))
            QFAIL(qPrintable(
                QStringLiteral("differs from Qt on %1")
                    .arg(QString::fromLatin1(QByteArray(bytes.data(), qsizetype(bytes.size())).toHex(' ')))));
    }
}

QTEST_APPLESS_MAIN(TstTextEncoding)
#include "tst_text_encoding.moc"
