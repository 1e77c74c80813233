// `pulsectl import` then `pulsectl query`, end to end through the real binary: an OpenMetrics file
// with timestamps goes into a temporary history database, and instant and range queries print
// exactly the JSON shape of Prometheus's HTTP API (/api/v1/query, /api/v1/query_range). Failures
// print the API's error object with exit 1; bad usage exits 2; a bad import file names its line and
// leaves the database as it was.
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr qint64 kT0 = 1'717'200'000; // seconds; 2024-06-01T00:00:00Z

// kFixture: two counter series at 15 s for 5 minutes (one jittered by 250 ms), a gauge with
// decimals, and a series with a quote in a label value.
QByteArray fixture()
{
    QByteArray om = "# TYPE http_requests counter\n# HELP http_requests Requests served.\n";
    for (int i = 0; i < 21; ++i)
        om += "http_requests_total{code=\"200\",route=\"/api\"} " + QByteArray::number(i * 30) + ' ' +
              QByteArray::number(kT0 + i * 15) + '\n';
    for (int i = 0; i < 21; ++i)
        om += "http_requests_total{code=\"500\",route=\"/api\"} " + QByteArray::number(i) + ' ' +
              QByteArray::number(kT0 + i * 15) + ".250\n";
    om += "# TYPE temperature_celsius gauge\n";
    for (int i = 0; i < 21; ++i)
        om += "temperature_celsius{sensor=\"say \\\"hi\\\"\"} " + QByteArray::number(20.5 + i * 0.25) + ' ' +
              QByteArray::number(kT0 + i * 15) + '\n';
    om += "# EOF\n";
    return om;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QByteArray fileDigest(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TstPulsectlImportQuery : public QObject {
    Q_OBJECT
private slots:
    void init();
    void importPrintsCounts();
    void reimportSkipsEverything();
    void instantVector();
    void instantScalar();
    void rangeMatrix();
    void rangeOverRollupsKeepsShape();
    void queryErrors_data();
    void queryErrors();
    void usage_data();
    void usage();
    void badImportNamesLineAndLeavesDb_data();
    void badImportNamesLineAndLeavesDb();
    void importsWhatPromtoolAccepts();

private:
    static QString pulsectl() { return QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"); }
    Run pulsectlRun(const QStringList &args);
    QString writeFile(const QString &name, const QByteArray &bytes);
    QJsonObject query(const QStringList &args);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
};

Run TstPulsectlImportQuery::pulsectlRun(const QStringList &args)
{
    Run r;
    if (!QFileInfo::exists(pulsectl())) {
        r.err = "pulsectl not built at " + pulsectl().toUtf8();
        return r;
    }
    QProcess p;
    p.start(pulsectl(), args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        r.err = "pulsectl timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString TstPulsectlImportQuery::writeFile(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// query runs `pulsectl query --db DB ARGS`, expects exit 0 and one JSON object on one line.
QJsonObject TstPulsectlImportQuery::query(const QStringList &args)
{
    const Run r = pulsectlRun(QStringList{QStringLiteral("query"), QStringLiteral("--db"), m_db} + args);
    if (r.exitCode != 0 || !r.out.endsWith('\n') || r.out.count('\n') != 1) {
        qWarning("pulsectl query %s: exit %d\n%s%s", qPrintable(args.join(QLatin1Char(' '))), r.exitCode,
                 r.out.constData(), r.err.constData());
        return {};
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("not a JSON object: %s", r.out.constData());
    return doc.object();
}

// Every test starts from a fresh database holding the fixture.
void TstPulsectlImportQuery::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("history.db"));
    const QString om = writeFile(QStringLiteral("fixture.om"), fixture());
    const Run r = pulsectlRun({QStringLiteral("import"), QStringLiteral("--db"), m_db, om});
    if (r.exitCode == -1 && !QFileInfo::exists(pulsectl()))
        QSKIP(r.err.constData());
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TstPulsectlImportQuery::importPrintsCounts()
{
    const Run r =
        pulsectlRun({QStringLiteral("import"), QStringLiteral("--db"), m_dir->filePath(QStringLiteral("second.db")),
                     m_dir->filePath(QStringLiteral("fixture.om"))});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("imported 63 samples (3 series, 0 skipped)\n"));
    QVERIFY2(r.err.isEmpty(), r.err.constData());
}

void TstPulsectlImportQuery::reimportSkipsEverything()
{
    const Run r = pulsectlRun(
        {QStringLiteral("import"), QStringLiteral("--db"), m_db, m_dir->filePath(QStringLiteral("fixture.om"))});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("imported 0 samples (3 series, 63 skipped)\n"));
}

void TstPulsectlImportQuery::instantVector()
{
    // 60 s after the last sample: inside the 5-minute lookback, so the last values are answered.
    const QJsonObject o =
        query({QStringLiteral("--time"), QString::number(kT0 + 360), QStringLiteral("http_requests_total")});
    QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("success"));
    QCOMPARE(o.keys(), QStringList({QStringLiteral("data"), QStringLiteral("status")}));
    const QJsonObject data = o.value(QLatin1String("data")).toObject();
    QCOMPARE(data.keys(), QStringList({QStringLiteral("result"), QStringLiteral("resultType")}));
    QCOMPARE(data.value(QLatin1String("resultType")).toString(), QStringLiteral("vector"));
    const QJsonArray result = data.value(QLatin1String("result")).toArray();
    QCOMPARE(result.size(), 2);
    QMap<QString, QJsonArray> byCode;
    for (const QJsonValue &v : result) {
        const QJsonObject s = v.toObject();
        QCOMPARE(s.keys(), QStringList({QStringLiteral("metric"), QStringLiteral("value")}));
        const QJsonObject metric = s.value(QLatin1String("metric")).toObject();
        QCOMPARE(metric.value(QLatin1String("__name__")).toString(), QStringLiteral("http_requests_total"));
        QCOMPARE(metric.value(QLatin1String("route")).toString(), QStringLiteral("/api"));
        QCOMPARE(metric.size(), 3);
        byCode.insert(metric.value(QLatin1String("code")).toString(), s.value(QLatin1String("value")).toArray());
    }
    // [seconds as a number, value as a string]: exactly what Prometheus prints.
    QCOMPARE(byCode.value(QStringLiteral("200")), QJsonArray({double(kT0 + 360), QStringLiteral("600")}));
    QCOMPARE(byCode.value(QStringLiteral("500")), QJsonArray({double(kT0 + 360), QStringLiteral("20")}));

    const QJsonObject rate = query({QStringLiteral("--time"), QString::number(kT0 + 300),
                                    QStringLiteral("rate(http_requests_total{code=\"200\"}[1m])")});
    const QJsonArray rr = rate.value(QLatin1String("data")).toObject().value(QLatin1String("result")).toArray();
    QCOMPARE(rr.size(), 1);
    // rate drops the metric name, as Prometheus does.
    QCOMPARE(rr[0].toObject().value(QLatin1String("metric")).toObject(),
             QJsonObject(
                 {{QStringLiteral("code"), QStringLiteral("200")}, {QStringLiteral("route"), QStringLiteral("/api")}}));
    QCOMPARE(rr[0].toObject().value(QLatin1String("value")).toArray(),
             QJsonArray({double(kT0 + 300), QStringLiteral("2")}));

    const QJsonObject quoted = query({QStringLiteral("--time"), QString::number(kT0 + 300) + QStringLiteral(".5"),
                                      QStringLiteral("temperature_celsius")});
    const QJsonArray qr = quoted.value(QLatin1String("data")).toObject().value(QLatin1String("result")).toArray();
    QCOMPARE(qr.size(), 1);
    QCOMPARE(qr[0].toObject().value(QLatin1String("metric")).toObject().value(QLatin1String("sensor")).toString(),
             QStringLiteral("say \"hi\""));
    QCOMPARE(qr[0].toObject().value(QLatin1String("value")).toArray(),
             QJsonArray({double(kT0 + 300) + 0.5, QStringLiteral("25.5")}));
}

void TstPulsectlImportQuery::instantScalar()
{
    const Run r = pulsectlRun({QStringLiteral("query"), QStringLiteral("--db"), m_db, QStringLiteral("--time"),
                               QString::number(kT0) + QStringLiteral(".25"), QStringLiteral("1 / 4")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray(R"({"status":"success","data":{"resultType":"scalar","result":[1717200000.25,"0.25"]}})"
                               "\n"));
}

void TstPulsectlImportQuery::rangeMatrix()
{
    const Run r = pulsectlRun({QStringLiteral("query"), QStringLiteral("--db"), m_db, QStringLiteral("--start"),
                               QString::number(kT0 + 240), QStringLiteral("--end"), QString::number(kT0 + 300),
                               QStringLiteral("--step"), QStringLiteral("30s"),
                               QStringLiteral("http_requests_total{code=\"500\"} * 2")});
    QCOMPARE(r.exitCode, 0);
    // Byte for byte: no __name__ after arithmetic, timestamps as numbers, values as strings.
    QCOMPARE(r.out, QByteArray(R"({"status":"success","data":{"resultType":"matrix","result":[)"
                               R"({"metric":{"code":"500","route":"/api"},)"
                               R"("values":[[1717200240,"30"],[1717200270,"34"],[1717200300,"38"]]}]}})"
                               "\n"));

    // --raw: a 1-minute step would otherwise read the 1-minute rollups (see the next test).
    const QJsonObject o = query({QStringLiteral("--raw"), QStringLiteral("--start"), QString::number(kT0),
                                 QStringLiteral("--end"), QString::number(kT0 + 300), QStringLiteral("--step"),
                                 QStringLiteral("60"), QStringLiteral("temperature_celsius")});
    const QJsonObject data = o.value(QLatin1String("data")).toObject();
    QCOMPARE(data.value(QLatin1String("resultType")).toString(), QStringLiteral("matrix"));
    const QJsonArray result = data.value(QLatin1String("result")).toArray();
    QCOMPARE(result.size(), 1);
    const QJsonObject series = result[0].toObject();
    QCOMPARE(series.keys(), QStringList({QStringLiteral("metric"), QStringLiteral("values")}));
    QCOMPARE(series.value(QLatin1String("metric")).toObject().value(QLatin1String("__name__")).toString(),
             QStringLiteral("temperature_celsius"));
    const QJsonArray values = series.value(QLatin1String("values")).toArray();
    QCOMPARE(values.size(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(values[i].toArray(), QJsonArray({double(kT0 + i * 60), QString::number(20.5 + i * 1.0)}));
}

void TstPulsectlImportQuery::rangeOverRollupsKeepsShape()
{
    // A 1-minute step reads the 1-minute rollups, which hand over each bucket's last real sample;
    // --raw reads raw chunks. Same series and steps; the rollups may answer a step with the sample
    // one scrape older (a bucket [t-1m, t) ends before the sample taken exactly at t), never with
    // an invented value.
    const QStringList range = {QStringLiteral("--start"),
                               QString::number(kT0 + 60),
                               QStringLiteral("--end"),
                               QString::number(kT0 + 300),
                               QStringLiteral("--step"),
                               QStringLiteral("1m"),
                               QStringLiteral("temperature_celsius")};
    const QJsonArray planned =
        query(range).value(QLatin1String("data")).toObject().value(QLatin1String("result")).toArray();
    const QJsonArray raw = query(QStringList{QStringLiteral("--raw")} + range)
                               .value(QLatin1String("data"))
                               .toObject()
                               .value(QLatin1String("result"))
                               .toArray();
    QCOMPARE(planned.size(), 1);
    QCOMPARE(raw.size(), 1);
    QCOMPARE(planned[0].toObject().value(QLatin1String("metric")), raw[0].toObject().value(QLatin1String("metric")));
    const QJsonArray p = planned[0].toObject().value(QLatin1String("values")).toArray();
    const QJsonArray r = raw[0].toObject().value(QLatin1String("values")).toArray();
    QCOMPARE(p.size(), 5);
    QCOMPARE(r.size(), 5);
    for (int i = 0; i < 5; ++i) {
        const double t = double(kT0 + 60 + i * 60);
        QCOMPARE(r[i].toArray(), QJsonArray({t, QString::number(20.5 + (i + 1) * 1.0)}));
        QCOMPARE(p[i].toArray().at(0).toDouble(), t);
        const double v = p[i].toArray().at(1).toString().toDouble();
        QVERIFY2(v == 20.5 + (i + 1) * 1.0 || v == 20.25 + (i + 1) * 1.0, qPrintable(QString::number(v)));
    }
}

void TstPulsectlImportQuery::queryErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("errorStart");
    const QString t = QString::number(kT0 + 60);
    QTest::newRow("parse error") << QStringList{QStringLiteral("--time"), t, QStringLiteral("sum(")}
                                 << QStringLiteral("invalid parameter \"query\": ");
    QTest::newRow("unsupported function")
        << QStringList{QStringLiteral("--time"), t, QStringLiteral("no_such_function(up)")}
        << QStringLiteral("invalid parameter \"query\": ");
    QTest::newRow("bad time") << QStringList{QStringLiteral("--time"), QStringLiteral("yesterday"),
                                             QStringLiteral("up")}
                              << QStringLiteral("invalid parameter \"time\": cannot parse \"yesterday\"");
    QTest::newRow("zero step") << QStringList{QStringLiteral("--start"), t,
                                              QStringLiteral("--end"),   t,
                                              QStringLiteral("--step"),  QStringLiteral("0"),
                                              QStringLiteral("up")}
                               << QStringLiteral("invalid parameter \"step\": zero or negative");
    QTest::newRow("end before start") << QStringList{QStringLiteral("--start"), t,
                                                     QStringLiteral("--end"),   QString::number(kT0),
                                                     QStringLiteral("--step"),  QStringLiteral("15s"),
                                                     QStringLiteral("up")}
                                      << QStringLiteral(
                                             "invalid parameter \"end\": end timestamp must not be before start time");
}

void TstPulsectlImportQuery::queryErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, errorStart);
    const Run r = pulsectlRun(QStringList{QStringLiteral("query"), QStringLiteral("--db"), m_db} + args);
    QCOMPARE(r.exitCode, 1);
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.keys(), QStringList({QStringLiteral("error"), QStringLiteral("errorType"), QStringLiteral("status")}));
    QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("error"));
    QCOMPARE(o.value(QLatin1String("errorType")).toString(), QStringLiteral("bad_data"));
    QVERIFY2(o.value(QLatin1String("error")).toString().startsWith(errorStart), r.out.constData());
}

void TstPulsectlImportQuery::usage_data()
{
    QTest::addColumn<QStringList>("args");
    const QString db = QStringLiteral("x.db");
    QTest::newRow("query without --db") << QStringList{QStringLiteral("query"), QStringLiteral("up")};
    QTest::newRow("query without expression") << QStringList{QStringLiteral("query"), QStringLiteral("--db"), db};
    QTest::newRow("query unknown option") << QStringList{QStringLiteral("query"), QStringLiteral("--db"), db,
                                                         QStringLiteral("--bogus"), QStringLiteral("up")};
    QTest::newRow("query partial range") << QStringList{
        QStringLiteral("query"),   QStringLiteral("--db"), db,
        QStringLiteral("--start"), QStringLiteral("1"),    QStringLiteral("up")};
    QTest::newRow("query time and range")
        << QStringList{QStringLiteral("query"),  QStringLiteral("--db"),  db,
                       QStringLiteral("--time"), QStringLiteral("1"),     QStringLiteral("--start"),
                       QStringLiteral("1"),      QStringLiteral("--end"), QStringLiteral("2"),
                       QStringLiteral("--step"), QStringLiteral("1"),     QStringLiteral("up")};
    QTest::newRow("query two expressions") << QStringList{QStringLiteral("query"), QStringLiteral("--db"), db,
                                                          QStringLiteral("up"), QStringLiteral("down")};
    QTest::newRow("import without file") << QStringList{QStringLiteral("import"), QStringLiteral("--db"), db};
    QTest::newRow("import without --db") << QStringList{QStringLiteral("import"), QStringLiteral("f.om")};
    QTest::newRow("import unknown option") << QStringList{QStringLiteral("import"), QStringLiteral("--db"), db,
                                                          QStringLiteral("--fast"), QStringLiteral("f.om")};
}

void TstPulsectlImportQuery::usage()
{
    QFETCH(QStringList, args);
    const Run r = pulsectlRun(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("usage: pulsectl "), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFileInfo::exists(QStringLiteral("x.db")));
}

void TstPulsectlImportQuery::badImportNamesLineAndLeavesDb_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("message");
    const QByteArray head = "# TYPE up gauge\nup{job=\"a\"} 1 1717200000\n";
    QTest::newRow("syntax error on line 3") << head + "up{job=\"a\" 1 1717200015\n# EOF\n" << QByteArray("line 3:");
    QTest::newRow("bad value on line 4") << head + "up{job=\"a\"} 1 1717200015\nup{job=\"a\"} one 1717200030\n# EOF\n"
                                         << QByteArray("line 4:");
    QTest::newRow("missing # EOF") << head << QByteArray("EOF");
    QTest::newRow("sample without timestamp") << head + "up{job=\"b\"} 1\n# EOF\n"
                                              << QByteArray("sample 2 ('up') has no timestamp");
}

void TstPulsectlImportQuery::badImportNamesLineAndLeavesDb()
{
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, message);
    const QString bad = writeFile(QStringLiteral("bad.om"), file);

    // An existing database keeps its exact bytes.
    const QByteArray before = fileDigest(m_db);
    QVERIFY(!before.isEmpty());
    Run r = pulsectlRun({QStringLiteral("import"), QStringLiteral("--db"), m_db, bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith(bad.toUtf8() + ": "), r.err.constData());
    QVERIFY2(r.err.contains(message), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QCOMPARE(fileDigest(m_db), before);

    // A missing database is not created.
    const QString fresh = m_dir->filePath(QStringLiteral("fresh.db"));
    r = pulsectlRun({QStringLiteral("import"), QStringLiteral("--db"), fresh, bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(!QFileInfo::exists(fresh));
}

void TstPulsectlImportQuery::importsWhatPromtoolAccepts()
{
    // A histogram written series by series (every `le` of one series over time, then the next), as
    // many backfill generators write it: `promtool tsdb create-blocks-from openmetrics` takes it, and
    // so does import, with a note that it is not valid OpenMetrics.
    const QString file = writeFile(QStringLiteral("by_series.om"), "# TYPE h histogram\n"
                                                                    "h_bucket{le=\"1\"} 0 1717200000\n"
                                                                    "h_bucket{le=\"1\"} 1 1717200015\n"
                                                                    "h_bucket{le=\"+Inf\"} 1 1717200000\n"
                                                                    "h_bucket{le=\"+Inf\"} 2 1717200015\n"
                                                                    "h_count 1 1717200000\n"
                                                                    "h_count 2 1717200015\n"
                                                                    "h_sum 0.5 1717200000\n"
                                                                    "h_sum 1.5 1717200015\n"
                                                                    "# EOF\n");
    const Run r = pulsectlRun(
        {QStringLiteral("import"), QStringLiteral("--db"), m_dir->filePath(QStringLiteral("by_series.db")), file});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("imported 8 samples (4 series, 0 skipped)\n"));
    QVERIFY2(r.err.startsWith(file.toUtf8() + ": note: not valid OpenMetrics (line "), r.err.constData());
    QVERIFY2(r.err.endsWith("); imported as promtool does\n"), r.err.constData());
}

QTEST_GUILESS_MAIN(TstPulsectlImportQuery)
#include "tst_pulsectl_import_query.moc"
