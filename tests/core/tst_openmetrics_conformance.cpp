// Runs the OpenMetrics project's parser test cases (read from ../shared at run time, never copied into
// the project) through the parser in OpenMetrics mode: each case must parse exactly when its
// test.json says "shouldParse".
#include "core/exposition/exposition_parser.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pulse;

class TestOpenMetricsConformance : public QObject {
    Q_OBJECT

private slots:
    void parserSuite();
};

void TestOpenMetricsConformance::parserSuite()
{
    const QDir suite(QStringLiteral(PULSE_SHARED_DIR "/conformance/openmetrics/parsers"));
    if (!suite.exists())
        QSKIP(qPrintable(QStringLiteral("OpenMetrics parser cases not found at %1").arg(suite.absolutePath())));

    const QStringList cases = suite.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QStringList mismatches;
    int shouldParse = 0;
    for (const QString &name : cases) {
        QFile metrics(suite.filePath(name + QStringLiteral("/metrics")));
        QFile spec(suite.filePath(name + QStringLiteral("/test.json")));
        QVERIFY2(metrics.open(QIODevice::ReadOnly), qPrintable(metrics.fileName()));
        QVERIFY2(spec.open(QIODevice::ReadOnly), qPrintable(spec.fileName()));
        const QJsonObject json = QJsonDocument::fromJson(spec.readAll()).object();
        QVERIFY2(json.contains(QStringLiteral("shouldParse")), qPrintable(spec.fileName()));
        const bool expected = json.value(QStringLiteral("shouldParse")).toBool();
        shouldParse += expected ? 1 : 0;

        const QByteArray input = metrics.readAll();
        const auto parsed = parseExposition(std::string_view(input.constData(), std::size_t(input.size())),
                                            ExpositionFormat::OpenMetrics);
        if (parsed.has_value() == expected)
            continue;
        mismatches << QStringLiteral("%1: expected %2, got %3%4")
                          .arg(name, expected ? QStringLiteral("parse") : QStringLiteral("reject"),
                               parsed ? QStringLiteral("parse") : QStringLiteral("reject"),
                               parsed ? QString() : QStringLiteral(": ") + QString::fromStdString(parsed.error().message));
    }
    qInfo("%lld OpenMetrics cases, %d must parse, %lld must be rejected, %lld verdicts differ",
          static_cast<long long>(cases.size()), shouldParse, static_cast<long long>(cases.size() - shouldParse),
          static_cast<long long>(mismatches.size()));
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(QLatin1Char('\n'))));
    QCOMPARE(cases.size(), qsizetype(211));
    QCOMPARE(shouldParse, 44);
}

QTEST_APPLESS_MAIN(TestOpenMetricsConformance)

#include "tst_openmetrics_conformance.moc"
