// PrometheusPeer: promtool backfill and a prometheus server on loopback (see prometheus_peer.h).
#include "tests/storage/prometheus_peer.h"
#include "tests/storage/loopback_port.h"

#include "collectors/http_client.h"
#include "collectors/io_runtime.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pulse::test {

namespace {

QString processOutput(QProcess &p)
{
    return QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput()).right(2000);
}

} // namespace

QString PrometheusPeer::missingReason()
{
    for (const char *tool : {"prometheus", "promtool"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            return QStringLiteral("'%1' is not on PATH (Debian package 'prometheus'; scripts/test installs it)")
                .arg(QString::fromLatin1(tool));
    }
    return {};
}

QString PrometheusPeer::version()
{
    QProcess p;
    p.start(QStringLiteral("prometheus"), {QStringLiteral("--version")});
    if (!p.waitForFinished(10000))
        return QStringLiteral("prometheus (version unknown)");
    return processOutput(p).section(QLatin1Char('\n'), 0, 0);
}

PrometheusPeer::PrometheusPeer(QString workDir)
    : m_workDir(std::move(workDir)), m_dataDir(m_workDir + QStringLiteral("/prometheus-data"))
{
}

PrometheusPeer::~PrometheusPeer()
{
    stop();
}

Result<void> PrometheusPeer::backfill(const QString &openMetricsPath)
{
    QProcess p;
    p.start(QStringLiteral("promtool"), {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"),
                                         QStringLiteral("openmetrics"), openMetricsPath, m_dataDir});
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return fail("promtool did not finish within 120 s");
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return fail("promtool failed: " + processOutput(p).toStdString());
    return {};
}

Result<void> PrometheusPeer::start(std::chrono::milliseconds deadline)
{
    // No scrape jobs and no rules: the server only answers queries over the backfilled blocks. The
    // retention is long because the data sits at a fixed date that ages with every run.
    const QString config = m_workDir + QStringLiteral("/prometheus.yml");
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write("global: {}\n") < 0)
        return fail("cannot write " + config.toStdString());
    f.close();

    if (!m_runtime) {
        m_runtime = std::make_unique<IoRuntime>(1);
        m_http = std::make_unique<HttpClient>(*m_runtime);
    }
    const auto until = std::chrono::steady_clock::now() + deadline;
    std::string lastError = "no attempt";
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_port = freeLoopbackPort();
        if (m_port == 0)
            return fail("no free loopback port");
        m_server = std::make_unique<QProcess>();
        m_server->setProcessChannelMode(QProcess::MergedChannels);
        // The kernel kills the server if this process dies first (a crash, a ctest timeout), where
        // no destructor runs.
        m_server->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_server->start(QStringLiteral("prometheus"),
                        {QStringLiteral("--storage.tsdb.path=") + m_dataDir,
                         QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                         QStringLiteral("--config.file=") + config,
                         QStringLiteral("--storage.tsdb.retention.time=100y"), QStringLiteral("--log.level=warn")});
        if (!m_server->waitForStarted(10000))
            return fail("cannot start prometheus: " + m_server->errorString().toStdString());
        // Polls readiness with a bounded deadline; the server needs a moment to open the blocks.
        while (std::chrono::steady_clock::now() < until && m_server->state() == QProcess::Running) {
            auto ready = get("/-/ready");
            if (ready)
                return {};
            lastError = ready.error().message;
            QThread::msleep(100);
        }
        if (m_server->state() == QProcess::Running)
            break;
        m_server->waitForFinished(1000);
        lastError = "prometheus exited: " + QString::fromUtf8(m_server->readAll()).right(2000).toStdString();
    }
    stop();
    return fail("prometheus did not become ready: " + lastError);
}

Result<std::string> PrometheusPeer::get(const std::string &pathAndQuery)
{
    if (!m_http)
        return fail("prometheus is not started");
    HttpRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(m_port) + pathAndQuery;
    request.timeout = std::chrono::seconds(30);
    request.maxBodyBytes = 256 * 1024 * 1024;
    auto response = m_http->fetchBlocking(std::move(request));
    if (!response)
        return std::unexpected(response.error());
    if (response->status != 200)
        return fail("HTTP " + std::to_string(response->status) + ": " + response->body.substr(0, 2000));
    return std::move(response->body);
}

void PrometheusPeer::stop()
{
    if (m_server && m_server->state() != QProcess::NotRunning) {
        m_server->kill();
        m_server->waitForFinished(10000);
    }
    m_server.reset();
}

} // namespace pulse::test
