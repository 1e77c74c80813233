// JsonProbe: fetch a JSON document from a REST endpoint and turn values at JSON pointers into metrics.
#pragma once

#include "collectors/expectation_checker.h"
#include "collectors/probe.h"

#include <QJsonDocument>

namespace pulse {

class ProbeReport;

/// JsonProbe sends the target's request (GET unless `method: POST`, with `body`) and, for each
/// `extract:` entry, records the number at its JSON pointer as a metric of that name (booleans as
/// 0/1, numeric strings as numbers). Every run also reports probe_success, probe_duration_seconds,
/// probe_http_status_code and up. A pointer with a "*" token ("/queues/*/depth") records one sample
/// per element of the array or object there, labelled index="<i>" or key="<member>". A missing
/// pointer or a value that is not a number fails the run with a message naming the pointer, and then
/// no extracted metric is recorded (a run is all-or-nothing, as a Prometheus scrape is).
class JsonProbe final : public Probe {
public:
    JsonProbe(TargetConfig target, HttpClient &http);
    void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) override;

    /// extractMetrics records every extraction into `report`, or returns the first problem and
    /// records nothing. Shared with GraphQLProbe.
    static std::string extractMetrics(const QJsonDocument &doc, const std::vector<MetricExtraction> &extract,
                                      ProbeReport &report);

private:
    ProbeOutcome judge(std::int64_t startMs, double seconds, const Result<HttpResponse> &response) const;

    /// options are the target's JsonOptions (makeProbe gives each probe a target of its own kind).
    const JsonOptions &options() const { return std::get<JsonOptions>(m_target.options); }

    TargetConfig m_target;
    HttpClient &m_http;
    std::string m_instance;
    ExpectationChecker m_checker;
};

} // namespace pulse
