// ExpectationChecker: turns each missed expectation into a message that names what was expected
// and what came back ("expected status 200, got 503").
#include "collectors/expectation_checker.h"

#include "collectors/json_pointer.h"

#include <algorithm>

namespace pulse {

namespace {

/// quoted shows a piece of untrusted text short enough for a status line.
std::string quoted(const std::string &text)
{
    constexpr std::size_t kMax = 80;
    return "\"" + (text.size() > kMax ? text.substr(0, kMax) + "..." : text) + "\"";
}

void append(std::string &list, const std::string &item)
{
    if (!list.empty())
        list += "; ";
    list += item;
}

} // namespace

ExpectationChecker::ExpectationChecker(const std::optional<HttpExpectations> &expect)
{
    if (!expect)
        return;
    m_expect = *expect;
    if (m_expect.bodyRegex)
        m_regex.emplace(QString::fromStdString(*m_expect.bodyRegex));
}

std::string ExpectationChecker::statusProblem(int status) const
{
    const auto &codes = m_expect.statusCodes;
    if (codes.empty())
        return status >= 200 && status < 300 ? std::string() : "expected a 2xx status, got " + std::to_string(status);
    if (std::ranges::find(codes, status) != codes.end())
        return {};
    std::string wanted;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        if (i > 0)
            wanted += i + 1 == codes.size() ? " or " : ", ";
        wanted += std::to_string(codes[i]);
    }
    return "expected status " + wanted + ", got " + std::to_string(status);
}

ExpectationVerdict ExpectationChecker::check(const HttpResponse &response, double seconds,
                                             const QJsonDocument *json) const
{
    ExpectationVerdict verdict;
    // An error page's body says nothing about the body expectations; the status is the story.
    if (auto problem = statusProblem(response.status); !problem.empty()) {
        verdict.failure = std::move(problem);
        return verdict;
    }
    if (m_expect.bodyContains && response.body.find(*m_expect.bodyContains) == std::string::npos)
        append(verdict.failure, "body does not contain " + quoted(*m_expect.bodyContains));
    if (m_regex && !m_regex->match(QString::fromStdString(response.body)).hasMatch())
        append(verdict.failure, "body does not match /" + *m_expect.bodyRegex + "/");
    if (!m_expect.jsonPointerEquals.empty()) {
        std::optional<QJsonDocument> parsedHere;
        if (!json) {
            auto doc = parseJsonBody(response.body);
            if (doc)
                parsedHere = std::move(*doc);
            else
                append(verdict.failure, doc.error().message);
            json = parsedHere ? &*parsedHere : nullptr;
        }
        for (const auto &[pointer, wanted] : m_expect.jsonPointerEquals) {
            if (!json)
                break;
            auto value = resolveJsonPointer(*json, pointer);
            if (!value) {
                append(verdict.failure, value.error().message);
                continue;
            }
            const std::string got = jsonValueText(*value);
            if (got != wanted)
                append(verdict.failure, pointer + " is " + quoted(got) + ", expected " + quoted(wanted));
        }
    }
    if (m_expect.maxLatency) {
        const double limit = static_cast<double>(m_expect.maxLatency->count()) / 1000.0;
        if (seconds > limit)
            verdict.slow = "slow: took " + std::to_string(static_cast<long long>(seconds * 1000)) +
                           "ms, max_latency is " + formatDuration(*m_expect.maxLatency);
    }
    return verdict;
}

} // namespace pulse
