// csvField: formulas neutralised, numbers kept numbers, quoting per RFC 4180, bytes otherwise exact.
#include "core/csv/csv_writer.h"

#include <QTest>

#include <cmath>

using namespace pulse;

class TstCsvWriter : public QObject {
    Q_OBJECT
private slots:
    void fields_data();
    void fields();
    void row();
    void numbers();
};

void TstCsvWriter::fields_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << "api" << "api";
    QTest::newRow("formula") << "=HYPERLINK(\"http://x\",\"y\")" << "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"";
    QTest::newRow("plus") << "+cmd|' /C calc'!A0" << "\"'+cmd|' /C calc'!A0\"";
    QTest::newRow("minus formula") << "-2+3" << "\"'-2+3\"";
    QTest::newRow("at") << "@SUM(A1)" << "\"'@SUM(A1)\"";
    QTest::newRow("tab") << "\tx" << "\"'\tx\"";
    QTest::newRow("negative number stays") << "-1.5" << "-1.5";
    QTest::newRow("comma") << "a,b" << "\"a,b\"";
    QTest::newRow("quote") << "say \"hi\"" << "\"say \"\"hi\"\"\"";
    QTest::newRow("newline") << "line1\nline2" << "\"line1\nline2\"";
    QTest::newRow("html") << "<b>bold</b>" << "<b>bold</b>";
    QTest::newRow("empty") << "" << "";
}

void TstCsvWriter::fields()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(QString::fromStdString(csvField(in.toStdString())), out);
}

void TstCsvWriter::row()
{
    const std::string fields[] = {"a", "=1+1", "3"};
    QCOMPARE(csvRow(fields), std::string("a,\"'=1+1\",3\r\n"));
    const std::string nul[] = {std::string("a\0b", 3)};
    QCOMPARE(csvRow(nul), std::string("a\0b\r\n", 5)); // bytes kept exactly
}

void TstCsvWriter::numbers()
{
    QCOMPARE(csvNumber(0.1), std::string("0.1"));
    QCOMPARE(csvNumber(-2), std::string("-2"));
    QCOMPARE(csvNumber(std::nan("")), std::string("NaN"));
    QCOMPARE(csvNumber(-INFINITY), std::string("-Inf"));
    QCOMPARE(csvField(csvNumber(-INFINITY)), std::string("\"'-Inf\"")); // text, not a formula
}

QTEST_APPLESS_MAIN(TstCsvWriter)
#include "tst_csv_writer.moc"
