// RuleUnitTest: promtool's test loop (cmd/promtool/unittest.go) over AlertEvaluator and the engine.
#include "app/pulsectl/rule_unit_test.h"

#include "core/alerting/alert_evaluator.h"
#include "core/base/duration.h"
#include "core/promql/engine.h"
#include "core/promql/series_notation.h"
#include "core/selection/memory_history.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <variant>

namespace pulse::cli {
namespace {

std::int64_t ms(Duration d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::string durationText(std::int64_t milliseconds)
{
    return formatDuration(Duration(milliseconds));
}

/// LabelsAndAnnotations is one firing alert as compared: its labels and annotations.
using LabelsAndAnnotations = std::pair<Labels, Labels>;

std::string describe(const std::vector<LabelsAndAnnotations> &alerts)
{
    if (alerts.empty())
        return "[]";
    std::string out = "[\n";
    for (std::size_t i = 0; i < alerts.size(); ++i) {
        out += "            " + std::to_string(i) + ":\n              Labels:" + alerts[i].first.toString() +
               "\n              Annotations:" + alerts[i].second.toString() + "\n";
    }
    return out + "            ]";
}

bool sameValue(double a, double b, bool fuzzy)
{
    if (std::isnan(a) && std::isnan(b))
        return true;
    return a == b || (fuzzy && (std::nextafter(a, -INFINITY) == b || std::nextafter(a, INFINITY) == b));
}

/// Step is one rule of one group, ready to evaluate.
struct Step {
    const RuleGroupConfig *group = nullptr;
    const RecordingRuleConfig *record = nullptr;
    std::unique_ptr<AlertEvaluator> alert; ///< an alerting rule alone
    std::string name;
    std::vector<Labels> lastWritten; ///< a recording rule's series of its last evaluation
};

} // namespace

std::vector<std::string> runRuleTestGroup(const RuleTestFile &file, const RuleTestFile::Group &test,
                                          const std::vector<RuleGroupConfig> &groups)
{
    std::vector<std::string> errors;
    const std::int64_t evalMs = ms(file.evaluationInterval);
    const std::int64_t seriesStepMs = ms(test.interval.value_or(file.evaluationInterval));
    MemoryHistory history;
    for (const auto &[series, values] : test.inputSeries) {
        std::string text = series;
        text += ' ';
        text += values;
        auto line = promql::parseSeriesLine(text);
        if (!line) {
            errors.push_back("    series " + series + ": " + line.error().message);
            return errors;
        }
        for (std::size_t i = 0; i < line->values.size(); ++i)
            if (line->values[i])
                history.append(line->metric, line->labels, test.startMs + std::int64_t(i) * seriesStepMs,
                               *line->values[i]);
    }
    // Groups named in group_eval_order first, in that order; the rest as the files list them.
    std::vector<const RuleGroupConfig *> ordered;
    for (const std::string &name : file.groupEvalOrder)
        for (const RuleGroupConfig &g : groups)
            if (g.name == name)
                ordered.push_back(&g);
    for (const RuleGroupConfig &g : groups)
        if (std::find(ordered.begin(), ordered.end(), &g) == ordered.end())
            ordered.push_back(&g);
    std::vector<Step> steps;
    for (const RuleGroupConfig *g : ordered) {
        for (const RuleConfig &rule : g->rules) {
            Step step;
            step.group = g;
            if (const auto *record = std::get_if<RecordingRuleConfig>(&rule)) {
                step.record = record;
                step.name = record->record;
            } else {
                const auto &alert = std::get<AlertRuleConfig>(rule);
                auto evaluator = AlertEvaluator::create(std::span<const AlertRuleConfig>(&alert, 1));
                if (!evaluator) {
                    errors.push_back("    rule: " + alert.name + ": " + evaluator.error().message);
                    return errors;
                }
                step.alert = std::make_unique<AlertEvaluator>(std::move(*evaluator));
                step.name = alert.name;
            }
            steps.push_back(std::move(step));
        }
    }

    std::int64_t maxEvalMs = 0;
    for (const auto &a : test.alertTests)
        maxEvalMs = std::max(maxEvalMs, ms(a.evalTime));
    for (const auto &e : test.exprTests)
        maxEvalMs = std::max(maxEvalMs, ms(e.evalTime));
    std::vector<const RuleTestFile::AlertTest *> alertTests;
    alertTests.reserve(test.alertTests.size());
    for (const auto &a : test.alertTests)
        alertTests.push_back(&a);
    std::stable_sort(alertTests.begin(), alertTests.end(),
                     [](const auto *a, const auto *b) { return a->evalTime < b->evalTime; });
    std::size_t next = 0;
    const promql::Engine engine(history);
    std::map<std::string, std::vector<Alert>> firingByRule;
    // ts is the test's time (0 at start_timestamp); at is the history's.
    for (std::int64_t ts = 0; ts <= maxEvalMs; ts += evalMs) {
        const std::int64_t at = test.startMs + ts;
        firingByRule.clear();
        std::vector<std::string> evalErrors;
        for (Step &step : steps) {
            if (step.record) {
                auto recorded = evaluateRecordingRule(*step.record, engine, at, step.lastWritten);
                if (!recorded) {
                    evalErrors.push_back("    rule: " + step.name + ", time: " + durationText(ts) +
                                         ", err: " + recorded.error().message);
                    continue;
                }
                for (const auto &[labels, value] : recorded->samples)
                    history.append(step.record->record, labels, at, value);
                for (const Labels &gone : recorded->ended)
                    history.append(step.record->record, gone, at, staleMarker());
                continue;
            }
            AlertEvaluation e = step.alert->evaluate(engine, at);
            for (const RuleHealth &h : e.health)
                if (!h.error.empty())
                    evalErrors.push_back("    rule: " + h.rule + ", time: " + durationText(ts) + ", err: " + h.error);
            for (const auto &s : e.series.samples)
                history.append(s.metric, s.labels, s.timestampMs, s.value);
            for (Alert &a : e.alerts)
                if (a.state == AlertState::Firing)
                    firingByRule[a.rule].push_back(std::move(a));
        }
        if (!evalErrors.empty()) {
            errors.insert(errors.end(), evalErrors.begin(), evalErrors.end());
            return errors;
        }
        // Alert tests whose eval_time is in [ts, ts + interval) see this evaluation.
        while (next < alertTests.size() && ms(alertTests[next]->evalTime) < ts + evalMs) {
            const RuleTestFile::AlertTest &t = *alertTests[next++];
            std::vector<LabelsAndAnnotations> got;
            for (const Alert &a : firingByRule[t.alertname]) {
                Labels annotations;
                for (const auto &[k, v] : a.annotations)
                    annotations.set(k, v);
                got.emplace_back(a.labels, annotations);
            }
            std::vector<LabelsAndAnnotations> expected;
            for (const auto &e : t.expected) {
                Labels labels = e.labels;
                labels.set("alertname", t.alertname);
                expected.emplace_back(labels, e.annotations);
            }
            std::sort(got.begin(), got.end());
            std::sort(expected.begin(), expected.end());
            if (got != expected)
                errors.push_back(std::string(test.name.empty() ? "" : "    name: " + test.name + ",\n") +
                                 "    alertname: " + t.alertname + ", time: " + durationText(ms(t.evalTime)) +
                                 ", \n        exp:" + describe(expected) + ", \n        got:" + describe(got));
        }
    }

    for (const RuleTestFile::ExprTest &t : test.exprTests) {
        auto result = engine.instantQuery(t.expr, test.startMs + ms(t.evalTime));
        const std::string where = "    expr: \"" + t.expr + "\", time: " + durationText(ms(t.evalTime));
        if (!result) {
            errors.push_back(where + ", err: " + result.error().message);
            continue;
        }
        using Point = std::pair<std::string, double>; // series notation, value
        std::vector<Point> got;
        if (result->type == promql::QueryResult::Type::Scalar) {
            got.emplace_back("{}", result->scalar);
        } else {
            for (const promql::Sample &s : result->vector) {
                Labels labels = s.labels;
                got.emplace_back(s.metric + labels.toString(), s.value);
            }
        }
        std::vector<Point> expected;
        bool parsed = true;
        for (const auto &e : t.expected) {
            auto line = promql::parseSeriesLine(e.labels + " 0");
            if (!line) {
                errors.push_back(where + ", err: labels \"" + e.labels + "\": " + line.error().message);
                parsed = false;
                break;
            }
            expected.emplace_back(line->metric + line->labels.toString(), e.value);
        }
        if (!parsed)
            continue;
        std::sort(got.begin(), got.end());
        std::sort(expected.begin(), expected.end());
        bool same = got.size() == expected.size();
        for (std::size_t i = 0; same && i < got.size(); ++i)
            same = got[i].first == expected[i].first && sameValue(got[i].second, expected[i].second, file.fuzzyCompare);
        if (!same) {
            auto text = [](const std::vector<Point> &points) {
                std::string out;
                for (const auto &[labels, value] : points) {
                    char number[32];
                    std::snprintf(number, sizeof number, "%.17g", value);
                    out += (out.empty() ? "" : ", ") + labels + " " + number;
                }
                return out;
            };
            errors.push_back(where + ",\n        exp: " + text(expected) + "\n        got: " + text(got));
        }
    }
    return errors;
}

} // namespace pulse::cli
