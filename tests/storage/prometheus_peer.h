// PrometheusPeer: a real Prometheus for comparison tests. It backfills an OpenMetrics file with
// `promtool tsdb create-blocks-from openmetrics` into a data directory of its own, starts
// `prometheus` on 127.0.0.1 with a free port and that directory, and answers HTTP API requests.
// The server is killed by stop() and by the destructor, so a failing test never leaves it behind.
//
// Lifecycle: constructed → backfill() → start() → get()... → stop() (or destruction).
#pragma once

#include "core/base/error.h"

#include <QString>

#include <chrono>
#include <memory>
#include <string>

class QProcess;

namespace pulse {
class HttpClient;
class IoRuntime;
} // namespace pulse

namespace pulse::test {

class PrometheusPeer {
public:
    /// missingReason says why the peer cannot run here (a binary not on PATH), or is empty.
    static QString missingReason();

    /// PrometheusPeer keeps its data directory and config under `workDir`, which must exist.
    explicit PrometheusPeer(QString workDir);
    ~PrometheusPeer();
    PrometheusPeer(const PrometheusPeer &) = delete;
    PrometheusPeer &operator=(const PrometheusPeer &) = delete;

    /// backfill writes TSDB blocks for the OpenMetrics file (which must end with "# EOF").
    Result<void> backfill(const QString &openMetricsPath);
    /// start launches the server and waits until /-/ready answers 200, at most `deadline`.
    Result<void> start(std::chrono::milliseconds deadline);
    /// get fetches "/api/v1/..." (path and query string, already encoded) and returns the body.
    Result<std::string> get(const std::string &pathAndQuery);
    /// stop kills the server and waits for it; safe to call twice.
    void stop();

    /// version is the first line of `prometheus --version`.
    static QString version();

private:
    QString m_workDir;
    QString m_dataDir;
    int m_port = 0;
    std::unique_ptr<QProcess> m_server;
    std::unique_ptr<IoRuntime> m_runtime;
    std::unique_ptr<HttpClient> m_http;
};

} // namespace pulse::test
