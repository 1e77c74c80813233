// Reading Prometheus rule files and promtool unit-test files (see rule_files.h).
#include "core/config/rule_files.h"

#include "core/config/detail/alert_rule_reader.h"
#include "core/config/detail/config_reader.h"
#include "core/promql/parser.h"
#include "core/promql/series_notation.h"

#include <QDateTime>

#include <cmath>
#include <exception>
#include <filesystem>
#include <functional>
#include <glob.h>

namespace pulse {
namespace {

using detail::ConfigReader;

constexpr std::string_view kRuleFileKeys[] = {"groups"};
constexpr std::string_view kGroupKeys[] = {"name", "interval", "limit", "rules"};
constexpr std::string_view kRuleKeys[] = {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"};
constexpr std::string_view kTestFileKeys[] = {"rule_files", "evaluation_interval", "group_eval_order", "tests",
                                              "fuzzy_compare"};
constexpr std::string_view kTestGroupKeys[] = {
    "name",         "interval",       "input_series", "alert_rule_test", "promql_expr_test", "external_labels",
    "external_url", "start_timestamp"}; // start_timestamp: newer promtool (2.47+)
constexpr std::string_view kSeriesKeys[] = {"series", "values"};
constexpr std::string_view kAlertTestKeys[] = {"eval_time", "alertname", "exp_alerts"};
constexpr std::string_view kExpAlertKeys[] = {"exp_labels", "exp_annotations"};
constexpr std::string_view kExprTestKeys[] = {"expr", "eval_time", "exp_samples"};
constexpr std::string_view kExpSampleKeys[] = {"labels", "value"};

/// withYaml parses text and hands its document to read, turning yaml-cpp's exceptions into diagnostics.
template <class T>
std::expected<T, std::vector<ConfigDiagnostic>>
withYaml(std::string_view text, std::string_view fileName,
         const std::function<void(ConfigReader &, const YAML::Node &, T &)> &read)
{
    ConfigReader reader{std::string(fileName), ConfigEnvironment{}};
    T out{};
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        if (root.IsNull())
            reader.report(root, "", "the file is empty");
        else if (reader.expectMapping(root, ""))
            read(reader, root, out);
    } catch (const YAML::ParserException &e) {
        reader.reportAt(e.mark, "YAML syntax error: " + e.msg);
    } catch (const YAML::Exception &e) {
        reader.reportAt(e.mark, "cannot read YAML: " + e.msg);
    } catch (const std::exception &e) {
        reader.reportAt(YAML::Mark::null_mark(), std::string("internal error: ") + e.what());
    }
    if (reader.hasErrors())
        return std::unexpected(reader.takeDiagnostics());
    return out;
}

/// readMap reads map[key] as labels; an empty value (`labels:` with nothing under it) is none, as
/// Prometheus reads it.
template <class T>
void readMap(ConfigReader &r, const YAML::Node &map, std::string_view key, std::string_view path, T &out)
{
    if (auto entry = r.find(map, key); entry && !entry->value.IsNull())
        r.read(map, key, path, out);
}

void readRule(ConfigReader &r, const YAML::Node &node, const std::string &path, RuleGroupConfig &group)
{
    if (!r.expectMapping(node, path))
        return;
    r.checkKeys(node, path, kRuleKeys);
    const auto alert = r.find(node, "alert");
    const auto record = r.find(node, "record");
    if (alert.has_value() == record.has_value()) {
        r.report(node, path, "a rule has either 'alert' or 'record'");
        return;
    }
    if (record) {
        RecordingRuleConfig rule;
        r.read(node, "record", path, rule.record);
        if (!isValidMetricName(rule.record))
            r.report(*record, ConfigReader::join(path, "record"), "invalid metric name '" + rule.record + "'");
        if (auto expr = r.require(node, "expr", path); expr && r.read(node, "expr", path, rule.expr)) {
            if (auto parsed = promql::parse(rule.expr); !parsed)
                r.report(*expr, ConfigReader::join(path, "expr"), "invalid PromQL: " + parsed.error().message);
        }
        readMap(r, node, "labels", path, rule.labels);
        for (std::string_view key : {"for", "keep_firing_for", "annotations"})
            if (auto entry = r.find(node, key))
                r.report(entry->key, path, "'" + std::string(key) + "' is for alerting rules, not recording rules");
        group.rules.emplace_back(std::move(rule));
        return;
    }
    AlertRuleConfig rule;
    r.read(node, "alert", path, rule.name);
    if (r.require(node, "expr", path))
        r.read(node, "expr", path, rule.expr);
    r.read(node, "for", path, rule.forDuration, true);
    r.read(node, "keep_firing_for", path, rule.keepFiringFor, true);
    readMap(r, node, "labels", path, rule.labels);
    readMap(r, node, "annotations", path, rule.annotations);
    rule.severity = std::string(rule.labels.value("severity"));
    if (group.limit != 0) // else the config's default bound, not Prometheus's "none": a desktop's memory
        rule.limit = group.limit;
    if (!rule.name.empty() && !rule.expr.empty())
        detail::checkAlertRule(r, node, path, rule);
    group.rules.emplace_back(std::move(rule));
}

void readRuleFile(ConfigReader &r, const YAML::Node &root, std::vector<RuleGroupConfig> &groups,
                  std::string_view fileName)
{
    r.checkKeys(root, "", kRuleFileKeys);
    const auto list = r.find(root, "groups");
    if (!list || list->value.IsNull() || !r.expectList(list->value, "groups"))
        return;
    for (std::size_t i = 0; i < list->value.size(); ++i) {
        const YAML::Node node = list->value[i];
        const std::string path = ConfigReader::indexed("groups", i);
        if (!r.expectMapping(node, path))
            continue;
        r.checkKeys(node, path, kGroupKeys);
        RuleGroupConfig group;
        group.file = std::string(fileName);
        if (r.require(node, "name", path))
            r.read(node, "name", path, group.name);
        for (const RuleGroupConfig &other : groups)
            if (!group.name.empty() && other.name == group.name)
                r.report(*r.find(node, "name"), ConfigReader::join(path, "name"),
                         "duplicate group name '" + group.name + "'");
        r.read(node, "interval", path, group.interval);
        r.read(node, "limit", path, group.limit);
        if (auto rules = r.find(node, "rules"); rules && !rules->value.IsNull()) {
            const std::string rulesPath = ConfigReader::join(path, "rules");
            if (r.expectList(rules->value, rulesPath))
                for (std::size_t k = 0; k < rules->value.size(); ++k)
                    readRule(r, rules->value[k], ConfigReader::indexed(rulesPath, k), group);
        }
        groups.push_back(std::move(group));
    }
}

std::vector<std::string> readNames(ConfigReader &r, const YAML::Node &map, std::string_view key, std::string_view path)
{
    std::vector<std::string> out;
    const auto entry = r.find(map, key);
    if (!entry || entry->value.IsNull())
        return out;
    const std::string where = ConfigReader::join(path, key);
    if (!r.expectList(entry->value, where))
        return out;
    for (std::size_t i = 0; i < entry->value.size(); ++i) {
        const YAML::Node item = entry->value[i];
        if (!item.IsScalar())
            r.report(item, ConfigReader::indexed(where, i), "expected a string");
        else
            out.push_back(item.Scalar());
    }
    return out;
}

/// forEachItem calls each(node, path) for every mapping of the list map[key].
void forEachItem(ConfigReader &r, const YAML::Node &map, std::string_view key, std::string_view path,
                 std::span<const std::string_view> keys,
                 const std::function<void(const YAML::Node &, const std::string &)> &each)
{
    const auto entry = r.find(map, key);
    if (!entry || entry->value.IsNull())
        return;
    const std::string where = ConfigReader::join(path, key);
    if (!r.expectList(entry->value, where))
        return;
    for (std::size_t i = 0; i < entry->value.size(); ++i) {
        const YAML::Node node = entry->value[i];
        const std::string itemPath = ConfigReader::indexed(where, i);
        if (!r.expectMapping(node, itemPath))
            continue;
        r.checkKeys(node, itemPath, keys);
        each(node, itemPath);
    }
}

void readTestGroup(ConfigReader &r, const YAML::Node &node, const std::string &path, RuleTestFile::Group &g)
{
    r.read(node, "name", path, g.name);
    r.read(node, "interval", path, g.interval);
    if (auto start = r.find(node, "start_timestamp"); start && !start->value.IsNull()) {
        // As promtool: Unix seconds, or an RFC 3339 time.
        const std::string text = start->value.IsScalar() ? start->value.Scalar() : std::string();
        const auto seconds = promql::parseGoFloat(text);
        const QDateTime rfc = QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
        if (seconds && std::isfinite(*seconds))
            g.startMs = std::llround(*seconds * 1000);
        else if (rfc.isValid())
            g.startMs = rfc.toMSecsSinceEpoch();
        else
            r.report(*start, ConfigReader::join(path, "start_timestamp"), "expected Unix seconds or an RFC 3339 time");
    }
    forEachItem(r, node, "input_series", path, kSeriesKeys, [&](const YAML::Node &item, const std::string &where) {
        std::string series;
        std::string values;
        if (r.require(item, "series", where))
            r.read(item, "series", where, series);
        r.read(item, "values", where, values);
        if (auto line = promql::parseSeriesLine(series + " " + values); !line && !series.empty())
            r.report(item, where, "invalid series: " + line.error().message);
        g.inputSeries.emplace_back(std::move(series), std::move(values));
    });
    forEachItem(r, node, "alert_rule_test", path, kAlertTestKeys,
                [&](const YAML::Node &item, const std::string &where) {
                    RuleTestFile::AlertTest test;
                    r.read(item, "eval_time", where, test.evalTime, true);
                    if (r.require(item, "alertname", where))
                        r.read(item, "alertname", where, test.alertname);
                    forEachItem(r, item, "exp_alerts", where, kExpAlertKeys,
                                [&](const YAML::Node &alert, const std::string &at) {
                                    RuleTestFile::ExpectedAlert expected;
                                    readMap(r, alert, "exp_labels", at, expected.labels);
                                    readMap(r, alert, "exp_annotations", at, expected.annotations);
                                    test.expected.push_back(std::move(expected));
                                });
                    g.alertTests.push_back(std::move(test));
                });
    forEachItem(r, node, "promql_expr_test", path, kExprTestKeys,
                [&](const YAML::Node &item, const std::string &where) {
                    RuleTestFile::ExprTest test;
                    if (r.require(item, "expr", where))
                        r.read(item, "expr", where, test.expr);
                    r.read(item, "eval_time", where, test.evalTime, true);
                    forEachItem(r, item, "exp_samples", where, kExpSampleKeys,
                                [&](const YAML::Node &sample, const std::string &at) {
                                    RuleTestFile::ExpectedSample expected;
                                    r.read(sample, "labels", at, expected.labels);
                                    if (auto value = r.find(sample, "value")) {
                                        const auto number = value->value.IsScalar()
                                                                ? promql::parseGoFloat(value->value.Scalar())
                                                                : std::nullopt;
                                        if (!number)
                                            r.report(*value, ConfigReader::join(at, "value"), "expected a number");
                                        else
                                            expected.value = *number;
                                    }
                                    test.expected.push_back(std::move(expected));
                                });
                    g.exprTests.push_back(std::move(test));
                });
}

void readTestFile(ConfigReader &r, const YAML::Node &root, RuleTestFile &file)
{
    r.checkKeys(root, "", kTestFileKeys);
    file.ruleFiles = readNames(r, root, "rule_files", "");
    r.read(root, "evaluation_interval", "", file.evaluationInterval);
    file.groupEvalOrder = readNames(r, root, "group_eval_order", "");
    r.read(root, "fuzzy_compare", "", file.fuzzyCompare);
    forEachItem(r, root, "tests", "", kTestGroupKeys, [&](const YAML::Node &node, const std::string &path) {
        RuleTestFile::Group group;
        readTestGroup(r, node, path, group);
        file.tests.push_back(std::move(group));
    });
}

template <class Result, class Load> Result fromFile(const std::string &path, Load load)
{
    auto text = detail::readWholeFile(path, std::size_t{16} << 20); // hand-written; larger is the wrong file
    if (!text)
        return std::unexpected(
            std::vector<ConfigDiagnostic>{ConfigDiagnostic{path, 0, 0, "cannot read: " + text.error().message}});
    return load(*text, path);
}

} // namespace

RuleFileResult loadRuleFileText(std::string_view yamlText, std::string_view fileName)
{
    return withYaml<std::vector<RuleGroupConfig>>(
        yamlText, fileName, [fileName](ConfigReader &r, const YAML::Node &root, std::vector<RuleGroupConfig> &groups) {
            readRuleFile(r, root, groups, fileName);
        });
}

RuleFileResult loadRuleFile(const std::string &path)
{
    return fromFile<RuleFileResult>(
        path, [](std::string_view text, const std::string &name) { return loadRuleFileText(text, name); });
}

RuleTestFileResult loadRuleTestFileText(std::string_view yamlText, std::string_view fileName)
{
    return withYaml<RuleTestFile>(yamlText, fileName, readTestFile);
}

RuleTestFileResult loadRuleTestFile(const std::string &path)
{
    return fromFile<RuleTestFileResult>(
        path, [](std::string_view text, const std::string &name) { return loadRuleTestFileText(text, name); });
}

RuleFilePaths resolveRuleFiles(const std::string &written, const std::string &baseDirectory)
{
    RuleFilePaths out;
    const std::filesystem::path path(written);
    out.full =
        path.is_absolute() || baseDirectory.empty() ? written : (std::filesystem::path(baseDirectory) / path).string();
    out.pattern = written.find_first_of("*?[") != std::string::npos;
    glob_t matches{};
    if (::glob(out.full.c_str(), 0, nullptr, &matches) == 0)
        for (std::size_t i = 0; i < matches.gl_pathc; ++i)
            out.paths.emplace_back(matches.gl_pathv[i]);
    ::globfree(&matches);
    return out;
}

} // namespace pulse
