// The on-call path end to end, headless: `pulsectl run` scrapes `pulsectl demo`, whose incident
// schedule closes its listener for 5 s every 30 s; the rule `up == 0` fires and resolves. A loopback
// webhook receiver that answers 503 for its first 40 s still receives every notification afterwards,
// in order, as Alertmanager's webhook payload; a real Alertmanager (Debian's, started here on
// loopback with a temporary config and data dir) shows the alert while it fires; `pulsectl alerts
// --json` lists the instances afterwards.
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "tests/app/test_receiver.h"
#include "tests/collectors/test_http_server.h"
#include "tests/storage/loopback_port.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>


using namespace pulse;

namespace {

QString pulsectl()
{
    return QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl");
}

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class TstNotifyFlow : public QObject {
    Q_OBJECT
private slots:
    void webhookAlertmanagerAndHistory();
};

void TstNotifyFlow::webhookAlertmanagerAndHistory()
{
    const QString alertmanagerBinary = QStandardPaths::findExecutable(s("prometheus-alertmanager"));
    if (alertmanagerBinary.isEmpty())
        QFAIL("'prometheus-alertmanager' is not on PATH (Debian package 'prometheus-alertmanager'; scripts/test "
              "installs it)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    // Alertmanager on a free loopback port, no clustering, its own data dir.
    const int amPort = test::freeLoopbackPort();
    QFile amConfig(dir.filePath(s("alertmanager.yml")));
    QVERIFY(amConfig.open(QIODevice::WriteOnly));
    amConfig.write("route: {receiver: 'null', group_wait: 1s}\nreceivers: [{name: 'null'}]\n");
    amConfig.close();
    QProcess alertmanager;
    alertmanager.setProcessChannelMode(QProcess::MergedChannels);
    alertmanager.start(alertmanagerBinary,
                       {s("--config.file=") + amConfig.fileName(), s("--storage.path=") + dir.filePath(s("am")),
                        s("--web.listen-address=127.0.0.1:%1").arg(amPort), s("--cluster.listen-address=")});
    QVERIFY(alertmanager.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(test::acceptsConnections(std::uint16_t(amPort)), 20000);

    // The demo: refused connections for 5 s at 30 s and 60 s (incidents every 10 s, every third closes
    // the listener).
    QProcess demo;
    demo.start(pulsectl(),
               {s("demo"), s("--listen"), s("127.0.0.1:0"), s("--incident-every"), s("10s"), s("--for"), s("120s")});
    QVERIFY(demo.waitForStarted());
    QVERIFY(demo.waitForReadyRead(10000));
    const QString demoAddress = QString::fromUtf8(demo.readLine()).trimmed();
    QVERIFY2(demoAddress.startsWith(s("127.0.0.1:")), qPrintable(demoAddress));

    test::TestReceiver webhook;
    webhook.setDown(true);
    const QString history = dir.filePath(s("history.db"));
    QFile config(dir.filePath(s("pulse.yaml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("storage: {path: '%1'}\n"
                                "targets:\n"
                                "  - {name: demo, kind: prometheus, url: 'http://%2/metrics', interval: 1s}\n"
                                "notify:\n"
                                "  webhook: {url: '%3'}\n"
                                "  alertmanager: {url: 'http://127.0.0.1:%4'}\n"
                                "  group_wait: 1s\n"
                                "  group_interval: 2s\n"
                                "alerts:\n"
                                "  - {name: DemoDown, expr: 'up == 0', for: 0s, severity: critical}\n")
                     .arg(history, demoAddress, QString::fromStdString(webhook.url("/hook")))
                     .arg(amPort)
                     .toUtf8());
    config.close();
    QProcess run;
    run.start(pulsectl(), {s("run"), s("--config"), config.fileName(), s("--for"), s("75s")});
    QVERIFY(run.waitForStarted());

    // While it runs: Alertmanager lists the alert while it fires; the receiver comes up at 40 s.
    IoRuntime io(1);
    HttpClient http(io);
    QElapsedTimer clock;
    clock.start();
    bool seenInAlertmanager = false;
    while (run.state() == QProcess::Running && clock.elapsed() < 110'000) {
        if (clock.elapsed() > 40'000)
            webhook.setDown(false);
        if (!seenInAlertmanager) {
            HttpRequest get;
            get.url = "http://127.0.0.1:" + std::to_string(amPort) + "/api/v2/alerts";
            get.timeout = std::chrono::seconds(2);
            auto answer = http.fetchBlocking(get);
            const QJsonArray alerts =
                answer ? QJsonDocument::fromJson(QByteArray::fromStdString(answer->body)).array() : QJsonArray();
            for (const auto &a : alerts) {
                const QJsonObject alert = a.toObject();
                if (alert.value(s("labels")).toObject().value(s("alertname")).toString() == s("DemoDown") &&
                    alert.value(s("status")).toObject().value(s("state")).toString() == s("active"))
                    seenInAlertmanager = true;
            }
        }
        QTest::qWait(250);
    }
    if (run.state() != QProcess::NotRunning)
        QVERIFY(run.waitForFinished(30000));
    const QByteArray runLog = run.readAllStandardError();
    QCOMPARE(run.exitCode(), 0);
    QVERIFY2(seenInAlertmanager, runLog.constData());

    // The receiver was down when the first alert fired and resolved: those waited, then came in order.
    QVERIFY2(webhook.refused() >= 1, runLog.constData());
    QVERIFY2(runLog.contains("notification failed"), runLog.constData());
    std::vector<QJsonObject> bodies;
    for (const QJsonDocument &d : webhook.bodies())
        bodies.push_back(d.object());
    QStringList statuses;
    for (const QJsonObject &b : bodies)
        statuses << b.value(s("status")).toString();
    QCOMPARE(statuses, (QStringList{s("firing"), s("resolved"), s("firing"), s("resolved")}));
    for (const QJsonObject &b : bodies) {
        QCOMPARE(b.value(s("version")).toString(), s("4"));
        QCOMPARE(b.value(s("receiver")).toString(), s("webhook"));
        QCOMPARE(b.value(s("groupKey")).toString(), s(R"({}:{alertname="DemoDown"})"));
        QCOMPARE(b.value(s("groupLabels")).toObject().value(s("alertname")).toString(), s("DemoDown"));
        const QJsonObject alert = b.value(s("alerts")).toArray().at(0).toObject();
        QCOMPARE(alert.value(s("labels")).toObject().value(s("job")).toString(), s("demo"));
        QCOMPARE(alert.value(s("fingerprint")).toString().size(), 16);
        QVERIFY(alert.value(s("startsAt")).toString().endsWith(QLatin1Char('Z')));
    }
    // The two incidents are two alerts: the second firing starts later than the first resolved.
    const auto startsAt = [&](std::size_t i) {
        return bodies[i].value(s("alerts")).toArray().at(0).toObject().value(s("startsAt")).toString();
    };
    const QString firstEnd = bodies[1].value(s("alerts")).toArray().at(0).toObject().value(s("endsAt")).toString();
    QCOMPARE(startsAt(0), startsAt(1));
    QVERIFY2(startsAt(2) > firstEnd, qPrintable(startsAt(2) + s(" / ") + firstEnd));

    // The history lists both instances.
    QProcess list;
    list.start(pulsectl(), {s("alerts"), s("--db"), history, s("--json")});
    QVERIFY(list.waitForFinished(30000));
    QCOMPARE(list.exitCode(), 0);
    const QList<QByteArray> lines = list.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    for (const QByteArray &line : lines) {
        const QJsonObject a = QJsonDocument::fromJson(line).object();
        QCOMPARE(a.value(s("alertname")).toString(), s("DemoDown"));
        QCOMPARE(a.value(s("state")).toString(), s("resolved"));
        QVERIFY(a.value(s("end_known")).toBool());
        QVERIFY(a.value(s("firing_seconds")).toInt() >= 1);
    }
    demo.kill();
    demo.waitForFinished();
    alertmanager.terminate();
    alertmanager.waitForFinished(10000);
}

QTEST_GUILESS_MAIN(TstNotifyFlow)
#include "tst_notify_flow.moc"
