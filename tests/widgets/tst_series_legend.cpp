// legendNames and chooseUnitScale: what the user reads in legends and on value axes.
#include "core/plot/series_legend.h"
#include "widgets/unit_scale.h"

#include <QTest>

using namespace pulse;

class TstSeriesLegend : public QObject {
    Q_OBJECT
private slots:
    void onlyDistinguishingLabels();
    void singleSeriesKeepsIdentity();
    void differentMetricsShowNames();
    void legendTemplate();
    void unitScale_data();
    void unitScale();
};

void TstSeriesLegend::onlyDistinguishingLabels()
{
    const Labels a({{"job", "api"}, {"instance", "h:1"}, {"status", "200"}});
    const Labels b({{"job", "api"}, {"instance", "h:1"}, {"status", "500"}});
    const auto names = legendNames({{"", a}, {"", b}});
    QCOMPARE(names, (QStringList{QStringLiteral("{status=\"200\"}"), QStringLiteral("{status=\"500\"}")}));
}

void TstSeriesLegend::singleSeriesKeepsIdentity()
{
    const auto names = legendNames({{"up", Labels({{"job", "api"}})}});
    QCOMPARE(names, QStringList{QStringLiteral("up{job=\"api\"}")});
    QCOMPARE(legendNames({{"", Labels()}}), QStringList{QStringLiteral("{}")});
}

void TstSeriesLegend::differentMetricsShowNames()
{
    const Labels l({{"job", "api"}});
    const auto names = legendNames({{"a", l}, {"b", l}});
    QCOMPARE(names, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TstSeriesLegend::legendTemplate()
{
    const std::vector<NamedSeries> series{{"http_requests_total", Labels{{"route", "/a"}, {"status", "200"}}},
                                          {"http_requests_total", Labels{{"route", "<b>x</b>"}}}};
    const QStringList names = legendNames(series, QStringLiteral("{{route}} ({{ status }}) {{__name__}}"));
    QCOMPARE(names, (QStringList{QStringLiteral("/a (200) http_requests_total"),
                                 QStringLiteral("<b>x</b> () http_requests_total")}));
    QCOMPARE(legendNames(series, QStringLiteral("unclosed {{route")), (QStringList{QStringLiteral("unclosed {{route"),
                                                                                    QStringLiteral("unclosed {{route")}));
    QCOMPARE(legendNames(series, QString()), legendNames(series));
}

void TstSeriesLegend::unitScale_data()
{
    QTest::addColumn<QString>("unit");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("divisor");
    QTest::addColumn<QString>("label");
    QTest::newRow("bytes small") << "bytes" << 900.0 << 1.0 << "bytes";
    QTest::newRow("bytes MiB") << "bytes" << 130e6 << 1048576.0 << "MiB";
    QTest::newRow("seconds ms") << "s" << 0.25 << 1e-3 << "ms";
    QTest::newRow("seconds") << "s" << 2.5 << 1.0 << "s";
    QTest::newRow("rate") << "req/s" << 120.0 << 1.0 << "req/s";
    QTest::newRow("rate k") << "req/s" << 25000.0 << 1000.0 << "k req/s";
}

void TstSeriesLegend::unitScale()
{
    QFETCH(QString, unit);
    QFETCH(double, max);
    QFETCH(double, divisor);
    QFETCH(QString, label);
    const auto s = chooseUnitScale(unit, max);
    QCOMPARE(s.divisor, divisor);
    QCOMPARE(s.label, label);
}

QTEST_APPLESS_MAIN(TstSeriesLegend)
#include "tst_series_legend.moc"
