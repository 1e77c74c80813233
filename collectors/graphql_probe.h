// GraphQLProbe: run a GraphQL query over HTTP and turn values in its answer into metrics.
#pragma once

#include "collectors/expectation_checker.h"
#include "collectors/probe.h"

namespace pulse {

/// GraphQLProbe POSTs {"query", "variables"} as JSON (or, with `method: GET`, sends them as URL
/// parameters, as GraphQL over HTTP allows) and extracts numbers by JSON pointer from the whole
/// answer, so pointers read `/data/stats/activeUsers`. A non-empty `errors` array fails the run
/// with the errors' messages (checked before the HTTP status, since GraphQL servers answer bad
/// queries with 400 and the message is the useful part); so does an answer without `data`.
/// Reports what JsonProbe reports.
class GraphQLProbe final : public Probe {
public:
    GraphQLProbe(TargetConfig target, HttpClient &http);
    void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) override;

private:
    ProbeOutcome judge(std::int64_t startMs, double seconds, const Result<HttpResponse> &response) const;

    /// options are the target's GraphQLOptions (makeProbe gives each probe a target of its own kind).
    const GraphQLOptions &options() const { return std::get<GraphQLOptions>(m_target.options); }

    TargetConfig m_target;
    HttpClient &m_http;
    std::string m_instance;
    ExpectationChecker m_checker;
};

} // namespace pulse
