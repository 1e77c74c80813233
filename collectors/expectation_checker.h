// ExpectationChecker: does an HTTP answer meet a target's `expect:` block (status, body, JSON, latency)?
#pragma once

#include "collectors/http_client.h"
#include "core/config/target_config.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <optional>
#include <string>

namespace pulse {

/// ExpectationVerdict: `failure` lists every hard miss ("; "-separated; a wrong status alone, since
/// an error page's body tells nothing about the other expectations) and fails the run;
/// `slow` is set when only the soft `max_latency` was missed, which makes the run Degraded.
struct ExpectationVerdict {
    std::string failure;
    std::string slow;
};

/// ExpectationChecker holds one target's expectations with the body regex compiled once.
/// Without an `expect:` block any 2xx status passes. check() is const and may run on any thread.
class ExpectationChecker {
public:
    explicit ExpectationChecker(const std::optional<HttpExpectations> &expect);

    /// check judges `response`, which took `seconds`. `json` is the parsed body if the caller has it;
    /// otherwise the body is parsed here, and only when a json_pointer_equals needs it.
    ExpectationVerdict check(const HttpResponse &response, double seconds, const QJsonDocument *json = nullptr) const;

    /// statusProblem is the message for a status the expectations reject, or empty.
    std::string statusProblem(int status) const;

private:
    HttpExpectations m_expect;
    std::optional<QRegularExpression> m_regex;
};

} // namespace pulse
