// The conformance runner: parses a test script into commands, loads series into a MemoryHistory,
// and checks each eval against its expected samples with Prometheus's tolerance rules.
#include "core/promql_testing/promql_test_runner.h"

#include "core/base/duration.h"
#include "core/promql/engine.h"
#include "core/promql/series_notation.h"
#include "core/selection/memory_history.h"

#include <QFile>

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace pulse::promql {
namespace {

struct Expected {
    bool isScalar = false;
    double scalar = 0;
    struct Entry {
        std::string metric;
        Labels labels;
        double value = 0;
    };
    std::vector<Entry> samples;
};

std::string trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

std::string formatNumber(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, end);
}

std::string seriesName(const std::string &metric, const Labels &labels)
{
    return metric + labels.toString();
}

// An actual sample reduced to what the comparison needs.
struct Actual {
    std::string metric;
    Labels labels;
    double value = 0;
};

std::optional<std::string> compareVector(const Expected &expected, const std::vector<Actual> &actual, bool ordered)
{
    if (expected.isScalar)
        return "expected scalar " + formatNumber(expected.scalar) + ", got an instant vector of " +
               std::to_string(actual.size()) + " samples";
    std::map<std::string, std::size_t> wanted;
    for (std::size_t i = 0; i < expected.samples.size(); ++i)
        wanted[seriesName(expected.samples[i].metric, expected.samples[i].labels)] = i;
    std::map<std::string, bool> seen;
    for (std::size_t pos = 0; pos < actual.size(); ++pos) {
        const std::string name = seriesName(actual[pos].metric, actual[pos].labels);
        const auto it = wanted.find(name);
        if (it == wanted.end())
            return "unexpected sample " + name + " " + formatNumber(actual[pos].value);
        if (ordered && it->second != pos)
            return "expected " + name + " at position " + std::to_string(it->second + 1) + ", got it at position " +
                   std::to_string(pos + 1);
        const double want = expected.samples[it->second].value;
        if (!almostEqual(want, actual[pos].value))
            return "expected " + name + " " + formatNumber(want) + ", got " + formatNumber(actual[pos].value);
        seen[name] = true;
    }
    for (const auto &[name, index] : wanted) {
        if (!seen.contains(name))
            return "expected " + name + " " + formatNumber(expected.samples[index].value) + ", got no such sample";
    }
    return std::nullopt;
}

std::optional<std::string> compareScalar(const Expected &expected, double actual)
{
    if (!expected.isScalar)
        return "expected an instant vector of " + std::to_string(expected.samples.size()) + " samples, got scalar " +
               formatNumber(actual);
    if (!almostEqual(expected.scalar, actual))
        return "expected " + formatNumber(expected.scalar) + ", got " + formatNumber(actual);
    return std::nullopt;
}

std::optional<std::string> compareInstant(const Expected &expected, const QueryResult &result, bool ordered)
{
    switch (result.type) {
    case QueryResult::Type::Scalar: return compareScalar(expected, result.scalar);
    case QueryResult::Type::Vector: {
        std::vector<Actual> actual;
        actual.reserve(result.vector.size());
        for (const auto &s : result.vector)
            actual.push_back(Actual{s.metric, s.labels, s.value});
        return compareVector(expected, actual, ordered);
    }
    case QueryResult::Type::Matrix: return std::string("received range result on instant evaluation");
    case QueryResult::Type::String: return "got string \"" + result.string + "\"";
    }
    return std::nullopt;
}

// compareRangeStep checks the step at `t` of a range query result against the expectation.
std::optional<std::string> compareRangeStep(const Expected &expected, const QueryResult &result, std::int64_t t,
                                            bool scalarQuery)
{
    std::vector<Actual> actual;
    for (const auto &series : result.matrix) {
        for (const auto &p : series.points) {
            if (p.timestampMs == t) {
                actual.push_back(Actual{series.metric, series.labels, p.value});
                break;
            }
        }
    }
    if (scalarQuery) {
        if (actual.size() != 1)
            return "range query has " + std::to_string(actual.size()) + " values at the evaluation time";
        return compareScalar(expected, actual.front().value);
    }
    return compareVector(expected, actual, false);
}

struct EvalCommand {
    int line = 0;
    bool expectFail = false;
    bool ordered = false;
    std::int64_t timeMs = 0;
    std::string expr;
    Expected expected;
};

} // namespace

bool almostEqual(double a, double b)
{
    constexpr double kEpsilon = 0.000001;
    const double minNormal = std::numeric_limits<double>::min();
    if (std::isnan(a) && std::isnan(b))
        return true;
    if (a == b)
        return true;
    const double diff = std::abs(a - b);
    if (a == 0 || b == 0 || diff < minNormal)
        return diff < kEpsilon * minNormal;
    return diff / (std::abs(a) + std::abs(b)) < kEpsilon;
}

PromqlTestRunner::PromqlTestRunner(RunnerOptions options)
    : m_options(options)
{
}

Result<std::vector<CaseResult>> PromqlTestRunner::runFile(const std::string &path) const
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return fail(path + ": " + file.errorString().toStdString());
    const QByteArray data = file.readAll();
    std::string name = path;
    if (const auto slash = name.find_last_of('/'); slash != std::string::npos)
        name = name.substr(slash + 1);
    return runScript(std::string_view(data.constData(), static_cast<std::size_t>(data.size())), name);
}

namespace {

/// scriptLines splits a test file into trimmed lines; comments become blank lines (they end blocks,
/// as blank lines do).
std::vector<std::string> scriptLines(std::string_view text)
{
    std::vector<std::string> lines;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string line = trim(text.substr(start, end - start));
        if (line.starts_with("#"))
            line.clear();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

/// Script walks a test file's lines; `at` is the line being read (0-based), `where(n)` names line n.
struct Script {
    std::vector<std::string> lines;
    std::string file;
    std::size_t at = 0;
    std::string where(std::size_t index) const { return file + ":" + std::to_string(index + 1); }
    /// nextInBlock moves to the next line of the current block; false at a blank line or the end.
    bool nextInBlock()
    {
        if (at + 1 >= lines.size() || lines[at + 1].empty())
            return false;
        ++at;
        return true;
    }
};

/// load reads a `load <step>` block into `history`.
Result<void> load(Script &script, MemoryHistory &history)
{
    const std::string &line = script.lines[script.at];
    auto step = parseDuration(trim(line.substr(4)));
    if (!step)
        return fail(script.where(script.at) + ": " + step.error().message);
    while (script.nextInBlock()) {
        auto series = parseSeriesLine(script.lines[script.at]);
        if (!series)
            return fail(script.where(script.at) + ": " + series.error().message);
        for (std::size_t k = 0; k < series->values.size(); ++k) {
            if (series->values[k])
                history.append(series->metric, series->labels, static_cast<std::int64_t>(k) * step->count(),
                               *series->values[k]);
        }
    }
    return {};
}

/// evalCommand reads an `eval…` line and its block of expected results.
Result<EvalCommand> evalCommand(Script &script, const std::string &word)
{
    const std::string &line = script.lines[script.at];
    const std::string where = script.where(script.at);
    EvalCommand cmd;
    cmd.line = static_cast<int>(script.at + 1);
    cmd.expectFail = word == "eval_fail";
    cmd.ordered = word == "eval_ordered";
    std::string rest = trim(line.substr(word.size()));
    if (!rest.starts_with("instant"))
        return fail(where + ": only \"instant\" evaluations are known");
    rest = trim(rest.substr(7));
    if (!rest.starts_with("at "))
        return fail(where + ": expected \"at <time>\"");
    rest = trim(rest.substr(3));
    const std::size_t space = rest.find_first_of(" \t");
    auto at = parseDuration(rest.substr(0, space));
    if (!at || space == std::string::npos)
        return fail(where + ": bad evaluation time in \"" + line + "\"");
    cmd.timeMs = at->count();
    cmd.expr = trim(rest.substr(space));
    while (script.nextInBlock()) {
        const std::string &expected = script.lines[script.at];
        if (const auto number = parseGoFloat(expected)) {
            cmd.expected.isScalar = true;
            cmd.expected.scalar = *number;
            break;
        }
        auto series = parseSeriesLine(expected);
        if (!series || series->values.size() != 1 || !series->values[0])
            return fail(script.where(script.at) + ": bad expected sample \"" + expected + "\"");
        cmd.expected.samples.push_back(Expected::Entry{series->metric, series->labels, *series->values[0]});
    }
    return cmd;
}

/// runCase evaluates one command and compares the answer (also at range steps around its time when
/// `checkRangeMode`, as promtool's range mode does).
CaseResult runCase(const Engine &engine, const EvalCommand &cmd, const std::string &file, bool checkRangeMode)
{
    const std::string where = file + ":" + std::to_string(cmd.line);
    CaseResult result;
    result.file = file;
    result.line = cmd.line;
    result.expr = cmd.expr;
    auto failWith = [&](const std::string &what) {
        result.outcome = CaseResult::Outcome::Failed;
        result.message = where + ": " + cmd.expr + " — " + what;
    };
    auto answer = engine.instantQuery(cmd.expr, cmd.timeMs);
    if (!answer) {
        if (isUnsupported(answer.error())) {
            result.outcome = CaseResult::Outcome::Unsupported;
            result.message = where + ": " + answer.error().message;
        } else if (!cmd.expectFail) {
            failWith("expected a result, got error: " + answer.error().message);
        }
    } else if (cmd.expectFail) {
        failWith("expected an error, got a result");
    } else if (auto mismatch = compareInstant(cmd.expected, *answer, cmd.ordered)) {
        failWith(*mismatch);
    } else if (checkRangeMode && !cmd.ordered) {
        const std::int64_t minute = 60 * 1000;
        auto range = engine.rangeQuery(cmd.expr, cmd.timeMs - minute, cmd.timeMs + minute, minute);
        if (!range)
            failWith("range mode: error: " + range.error().message);
        else if (auto diff =
                     compareRangeStep(cmd.expected, *range, cmd.timeMs, answer->type == QueryResult::Type::Scalar))
            failWith("range mode: " + *diff);
    }
    return result;
}

} // namespace

Result<std::vector<CaseResult>> PromqlTestRunner::runScript(std::string_view text, std::string_view fileName) const
{
    Script script{scriptLines(text), std::string(fileName)};
    MemoryHistory history;
    const Engine engine(history);
    std::vector<CaseResult> results;
    for (; script.at < script.lines.size(); ++script.at) {
        const std::string &line = script.lines[script.at];
        if (line.empty())
            continue;
        const std::string word = line.substr(0, line.find_first_of(" \t"));
        if (word == "clear") {
            history.clear();
        } else if (word == "load") {
            if (auto loaded = load(script, history); !loaded)
                return std::unexpected(loaded.error());
        } else if (word == "eval" || word == "eval_fail" || word == "eval_ordered") {
            auto cmd = evalCommand(script, word);
            if (!cmd)
                return std::unexpected(cmd.error());
            results.push_back(runCase(engine, *cmd, script.file, m_options.checkRangeMode));
        } else {
            return fail(script.where(script.at) + ": unknown command \"" + word + "\"");
        }
    }
    return results;
}

} // namespace pulse::promql
