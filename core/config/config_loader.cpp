// Loading the config file: YAML syntax, the top-level sections (storage, alerts, dashboards here;
// targets in detail/target_reader.cpp), and the diagnostics' text form.
#include "core/config/config_loader.h"

#include "core/alerting/alert_rule.h"
#include "core/config/detail/alert_rule_reader.h"
#include "core/config/detail/config_reader.h"
#include "core/config/detail/target_reader.h"
#include "core/config/builtin_rules.h"
#include "core/config/detail/config_checks.h"
#include "core/config/rule_files.h"
#include "core/promql/parser.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>

namespace pulse {
namespace {

using detail::ConfigReader;
using detail::MapEntry;

constexpr std::string_view kTopKeys[] = {"storage", "logs",   "targets",   "alerts",
                                          "rule_files", "builtin_rules", "notify", "dashboards"};
constexpr std::string_view kLogsKeys[] = {"retention", "max_size"};
constexpr std::string_view kStorageKeys[] = {"path", "retention", "write"};
constexpr std::string_view kRetentionKeys[] = {"raw", "1m", "1h"};
constexpr std::string_view kWriteKeys[] = {"queue_capacity", "flush_interval"};
constexpr std::string_view kAlertKeys[] = {"name",   "expr",        "for",   "keep_firing_for", "severity",
                                           "labels", "annotations", "limit", "webhook"};
constexpr std::string_view kNotifyKeys[] = {"webhook",        "alertmanager",    "desktop",     "group_by",
                                            "group_wait",     "group_interval",  "repeat_interval", "external_url"};
constexpr std::string_view kReceiverKeys[] = {"url",         "send_resolved", "timeout",           "headers",
                                              "secret_headers", "bearer_token",  "bearer_token_file", "basic_auth",
                                              "tls"};
constexpr std::string_view kDashboardKeys[] = {"name", "panels"};
constexpr std::string_view kPanelKeys[] = {"title", "expr", "exprs", "kind", "unit", "thresholds", "legend"};
constexpr std::string_view kThresholdKeys[] = {"value", "color"};

// A config file is hand-written; anything this large is the wrong file.
constexpr std::size_t kMaxConfigBytes = std::size_t{16} * 1024 * 1024;

bool isColor(std::string_view text)
{
    if (text.starts_with('#')) {
        const std::string_view hex = text.substr(1);
        return (hex.size() == 3 || hex.size() == 6 || hex.size() == 8) &&
               std::all_of(hex.begin(), hex.end(), [](char c) {
                   return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
               });
    }
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

void readStorage(ConfigReader &r, const YAML::Node &node, StorageConfig &storage)
{
    const std::string path = "storage";
    if (!r.expectMapping(node, path))
        return;
    r.checkKeys(node, path, kStorageKeys);
    r.readPath(node, "path", path, storage.path);
    if (auto retention = r.find(node, "retention")) {
        const std::string where = ConfigReader::join(path, "retention");
        if (r.expectMapping(retention->value, where)) {
            const YAML::Node &n = retention->value;
            r.checkKeys(n, where, kRetentionKeys);
            RetentionConfig &rc = storage.retention;
            const std::size_t errorsBefore = r.errorCount();
            r.read(n, "raw", where, rc.raw);
            r.read(n, "1m", where, rc.m1);
            r.read(n, "1h", where, rc.h1);
            const bool ok = r.errorCount() == errorsBefore;
            // Rollups exist to outlive the raw data; keeping them shorter only loses history.
            if (ok && rc.m1 < rc.raw)
                r.report(r.find(n, "1m") ? *r.find(n, "1m") : *retention, ConfigReader::join(where, "1m"),
                         formatDuration(rc.m1) + " is shorter than raw retention " + formatDuration(rc.raw));
            else if (ok && rc.h1 < rc.m1)
                r.report(r.find(n, "1h") ? *r.find(n, "1h") : *retention, ConfigReader::join(where, "1h"),
                         formatDuration(rc.h1) + " is shorter than 1m retention " + formatDuration(rc.m1));
        }
    }
    if (auto write = r.find(node, "write")) {
        const std::string where = ConfigReader::join(path, "write");
        if (r.expectMapping(write->value, where)) {
            r.checkKeys(write->value, where, kWriteKeys);
            std::uint64_t capacity = storage.write.queueCapacity;
            if (r.read(write->value, "queue_capacity", where, capacity)) {
                if (capacity == 0)
                    r.report(*r.find(write->value, "queue_capacity"), ConfigReader::join(where, "queue_capacity"),
                             "must be at least 1");
                else
                    storage.write.queueCapacity = static_cast<std::size_t>(capacity);
            }
            r.read(write->value, "flush_interval", where, storage.write.flushInterval);
        }
    }
}

void readLogs(ConfigReader &r, const YAML::Node &node, LogsConfig &logs)
{
    const std::string path = "logs";
    if (!r.expectMapping(node, path))
        return;
    r.checkKeys(node, path, kLogsKeys);
    r.read(node, "retention", path, logs.retention, true);
    r.readByteSize(node, "max_size", path, logs.maxSizeBytes);
}

/// checkPanelExpr parses a panel's expression: charts need an instant vector or a scalar.
void checkPanelExpr(ConfigReader &r, const MapEntry &entry, const std::string &path, const std::string &expr)
{
    auto parsed = promql::parse(expr);
    if (!parsed) {
        r.report(entry, path, "invalid PromQL: " + parsed.error().message);
        return;
    }
    const auto type = (*parsed)->type();
    if (type != promql::ValueType::Vector && type != promql::ValueType::Scalar)
        r.report(entry, path,
                 "a panel charts an instant vector or a scalar, not a " + std::string(promql::valueTypeName(type)) +
                     " (wrap a range selector in rate() or *_over_time())");
}

/// readReceiver reads map[key], a webhook or Alertmanager endpoint: a URL alone, or a mapping with
/// the URL, send_resolved, timeout and a target's auth and TLS keys. Nothing when absent or wrong.
std::optional<ReceiverConfig> readReceiver(ConfigReader &r, const YAML::Node &map, std::string_view key,
                                           const std::string &mapPath)
{
    const auto entry = r.find(map, key);
    if (!entry)
        return std::nullopt;
    ReceiverConfig receiver;
    if (entry->value.IsScalar()) {
        if (!r.readUrl(map, key, mapPath, receiver.http.url))
            return std::nullopt;
        return receiver;
    }
    const std::string path = ConfigReader::join(mapPath, key);
    if (!r.expectMapping(entry->value, path))
        return std::nullopt;
    r.checkKeys(entry->value, path, kReceiverKeys);
    const std::size_t errors = r.errorCount();
    if (r.require(entry->value, "url", path))
        detail::readHttpClientOptions(r, entry->value, path, receiver.http);
    r.read(entry->value, "send_resolved", path, receiver.sendResolved);
    r.read(entry->value, "timeout", path, receiver.timeout);
    if (r.errorCount() != errors)
        return std::nullopt;
    return receiver;
}

void readNotify(ConfigReader &r, const YAML::Node &node, NotifyConfig &notify)
{
    const std::string path = "notify";
    if (!r.expectMapping(node, path))
        return;
    r.checkKeys(node, path, kNotifyKeys);
    notify.webhook = readReceiver(r, node, "webhook", path);
    notify.alertmanager = readReceiver(r, node, "alertmanager", path);
    r.read(node, "desktop", path, notify.desktop);
    if (auto groupBy = r.find(node, "group_by")) {
        const std::string where = ConfigReader::join(path, "group_by");
        if (r.expectList(groupBy->value, where)) {
            std::vector<std::string> names;
            for (std::size_t i = 0; i < groupBy->value.size(); ++i) {
                const YAML::Node item = groupBy->value[i];
                const bool all = item.IsScalar() && item.Scalar() == "...";
                if (!item.IsScalar() || (!all && !isValidLabelName(item.Scalar()))) {
                    r.report(item, ConfigReader::indexed(where, i), "expected a label name, or ... for every label");
                    continue;
                }
                if (all && groupBy->value.size() != 1) {
                    r.report(item, ConfigReader::indexed(where, i), "... (every label) stands alone in group_by");
                    continue;
                }
                names.push_back(item.Scalar());
            }
            notify.groupBy = std::move(names);
        }
    }
    r.read(node, "group_wait", path, notify.groupWait, true);
    r.read(node, "group_interval", path, notify.groupInterval);
    r.read(node, "repeat_interval", path, notify.repeatInterval);
    r.readUrl(node, "external_url", path, notify.externalUrl);
}

std::vector<AlertRuleConfig> readAlerts(ConfigReader &r, const YAML::Node &list, NotifyConfig &notify)
{
    std::vector<AlertRuleConfig> alerts;
    if (!r.expectList(list, "alerts"))
        return alerts;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node node = list[i];
        const std::string path = ConfigReader::indexed("alerts", i);
        if (!r.expectMapping(node, path))
            continue;
        r.checkKeys(node, path, kAlertKeys);
        AlertRuleConfig alert;
        if (r.require(node, "name", path))
            r.read(node, "name", path, alert.name);
        if (r.require(node, "expr", path))
            r.read(node, "expr", path, alert.expr);
        r.read(node, "for", path, alert.forDuration, true);
        r.read(node, "keep_firing_for", path, alert.keepFiringFor, true);
        r.read(node, "severity", path, alert.severity);
        r.read(node, "labels", path, alert.labels);
        r.read(node, "annotations", path, alert.annotations);
        r.read(node, "limit", path, alert.limit);
        if (auto receiver = readReceiver(r, node, "webhook", path); receiver && !alert.name.empty())
            notify.ruleWebhooks.push_back({alerts.size(), alert.name, std::move(*receiver)});
        if (!alert.name.empty() && !alert.expr.empty())
            detail::checkAlertRule(r, node, path, alert);
        alerts.push_back(std::move(alert));
    }
    return alerts;
}

void readThresholds(ConfigReader &r, const MapEntry &entry, const std::string &path, PanelConfig &panel)
{
    if (!r.expectList(entry.value, path))
        return;
    for (std::size_t i = 0; i < entry.value.size(); ++i) {
        const YAML::Node node = entry.value[i];
        const std::string where = ConfigReader::indexed(path, i);
        if (!r.expectMapping(node, where))
            continue;
        r.checkKeys(node, where, kThresholdKeys);
        Threshold threshold;
        bool ok = false;
        if (auto value = r.require(node, "value", where))
            ok = r.readDouble(*value, ConfigReader::join(where, "value"), threshold.value);
        if (r.require(node, "color", where) && r.read(node, "color", where, threshold.color)) {
            if (!isColor(threshold.color)) {
                r.report(*r.find(node, "color"), ConfigReader::join(where, "color"),
                         "expected a colour: #rgb, #rrggbb or a name such as red");
                ok = false;
            }
        } else {
            ok = false;
        }
        if (ok)
            panel.thresholds.push_back(std::move(threshold));
    }
}

std::optional<PanelConfig> readPanel(ConfigReader &r, const YAML::Node &node, const std::string &path)
{
    if (!r.expectMapping(node, path))
        return std::nullopt;
    r.checkKeys(node, path, kPanelKeys);
    PanelConfig panel;
    if (r.require(node, "title", path))
        r.read(node, "title", path, panel.title);
    const auto expr = r.find(node, "expr");
    const auto exprs = r.find(node, "exprs");
    if (expr && exprs) {
        r.report(exprs->key, path, "use either 'expr' or 'exprs', not both");
    } else if (expr) {
        std::string text;
        if (r.read(node, "expr", path, text)) {
            checkPanelExpr(r, *expr, ConfigReader::join(path, "expr"), text);
            panel.exprs.push_back(std::move(text));
        }
    } else if (exprs) {
        const std::string where = ConfigReader::join(path, "exprs");
        if (r.expectList(exprs->value, where)) {
            if (exprs->value.size() == 0)
                r.report(*exprs, where, "needs at least one expression");
            for (std::size_t i = 0; i < exprs->value.size(); ++i) {
                const MapEntry item{exprs->key, exprs->value[i]};
                if (auto text = r.scalar(item, ConfigReader::indexed(where, i), "a string")) {
                    checkPanelExpr(r, item, ConfigReader::indexed(where, i), *text);
                    panel.exprs.push_back(std::move(*text));
                }
            }
        }
    } else {
        r.report(node, path, "missing required key 'expr' (or 'exprs' for several)");
    }
    if (auto index = r.readEnum(node, "kind", path, panelKindNames(), "panel kind"))
        panel.kind = static_cast<PanelKind>(*index);
    r.read(node, "unit", path, panel.unit);
    if (auto thresholds = r.find(node, "thresholds"))
        readThresholds(r, *thresholds, ConfigReader::join(path, "thresholds"), panel);
    r.read(node, "legend", path, panel.legend);
    return panel;
}

std::vector<DashboardConfig> readDashboards(ConfigReader &r, const YAML::Node &list)
{
    std::vector<DashboardConfig> dashboards;
    if (!r.expectList(list, "dashboards"))
        return dashboards;
    std::map<std::string, int> firstLine;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node node = list[i];
        const std::string path = ConfigReader::indexed("dashboards", i);
        if (!r.expectMapping(node, path))
            continue;
        r.checkKeys(node, path, kDashboardKeys);
        DashboardConfig dashboard;
        if (r.require(node, "name", path) && r.read(node, "name", path, dashboard.name)) {
            // Dashboards are chosen by name in the UI and on the command line.
            const auto name = *r.find(node, "name");
            if (const auto [first, inserted] = firstLine.emplace(dashboard.name, ConfigReader::lineOf(name.value));
                !inserted)
                r.report(name, ConfigReader::join(path, "name"),
                         "duplicate dashboard name '" + dashboard.name + "' (first defined at line " +
                             std::to_string(first->second) + ")");
        }
        if (auto panels = r.find(node, "panels")) {
            const std::string where = ConfigReader::join(path, "panels");
            if (r.expectList(panels->value, where)) {
                for (std::size_t p = 0; p < panels->value.size(); ++p) {
                    if (auto panel = readPanel(r, panels->value[p], ConfigReader::indexed(where, p)))
                        dashboard.panels.push_back(std::move(*panel));
                }
            }
        }
        dashboards.push_back(std::move(dashboard));
    }
    return dashboards;
}

/// readRuleFiles reads `rule_files:` (paths or globs, relative to the config's directory) and loads
/// every file it names; their problems are reported at their own FILE:LINE:COL.
void readRuleFiles(ConfigReader &r, const YAML::Node &list, const std::string &baseDirectory, Config &config)
{
    if (!r.expectList(list, "rule_files"))
        return;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string path = ConfigReader::indexed("rule_files", i);
        if (!item.IsScalar() || item.Scalar().empty()) {
            r.report(item, path, "expected a file path or glob");
            continue;
        }
        config.ruleFiles.push_back(item.Scalar());
        const RuleFilePaths files = resolveRuleFiles(item.Scalar(), baseDirectory);
        if (files.paths.empty() && !files.pattern) {
            r.report(item, path, "no such file: " + files.full);
            continue;
        }
        for (const std::string &file : files.paths) {
            auto groups = loadRuleFile(file);
            if (!groups) {
                r.adopt(std::move(groups.error()));
                continue;
            }
            std::move(groups->begin(), groups->end(), std::back_inserter(config.ruleGroups));
        }
    }
}

/// readBuiltinRules reads `builtin_rules: true|false` or `{disabled: [TargetDown, ...]}`.
void readBuiltinRules(ConfigReader &r, const YAML::Node &root, BuiltinRulesConfig &out)
{
    const auto entry = r.find(root, "builtin_rules");
    if (!entry || entry->value.IsNull())
        return;
    if (entry->value.IsScalar()) {
        r.read(root, "builtin_rules", "", out.enabled);
        return;
    }
    const std::string path = "builtin_rules";
    if (!r.expectMapping(entry->value, path))
        return;
    constexpr std::string_view kKeys[] = {"disabled"};
    r.checkKeys(entry->value, path, kKeys);
    std::vector<std::string_view> names;
    for (const AlertRuleConfig &rule : builtinAlertRules())
        names.push_back(rule.name);
    if (auto list = r.find(entry->value, "disabled"); list && !list->value.IsNull()) {
        const std::string where = ConfigReader::join(path, "disabled");
        if (!r.expectList(list->value, where))
            return;
        for (std::size_t i = 0; i < list->value.size(); ++i) {
            const YAML::Node item = list->value[i];
            if (!item.IsScalar() || std::find(names.begin(), names.end(), item.Scalar()) == names.end()) {
                r.report(item, ConfigReader::indexed(where, i),
                         "not a built-in rule" + (item.IsScalar() ? detail::suggestion(item.Scalar(), names) : std::string()));
                continue;
            }
            out.disabled.push_back(item.Scalar());
        }
    }
}

void readConfig(ConfigReader &r, const YAML::Node &root, Config &config)
{
    // An empty file is a valid, empty config.
    if (root.IsNull())
        return;
    if (!r.expectMapping(root, "config"))
        return;
    r.checkKeys(root, "", kTopKeys);
    if (auto storage = r.find(root, "storage"))
        readStorage(r, storage->value, config.storage);
    if (auto logs = r.find(root, "logs"))
        readLogs(r, logs->value, config.logs);
    // An empty section (`targets:` with nothing under it) means none.
    if (auto targets = r.find(root, "targets"); targets && !targets->value.IsNull())
        config.targets = detail::readTargets(r, targets->value);
    if (auto files = r.find(root, "rule_files"); files && !files->value.IsNull())
        readRuleFiles(r, files->value, r.baseDirectory(), config);
    readBuiltinRules(r, root, config.builtinRules);
    if (auto notify = r.find(root, "notify"); notify && !notify->value.IsNull())
        readNotify(r, notify->value, config.notify);
    if (auto alerts = r.find(root, "alerts"); alerts && !alerts->value.IsNull())
        config.alerts = readAlerts(r, alerts->value, config.notify);
    if (auto dashboards = r.find(root, "dashboards"); dashboards && !dashboards->value.IsNull())
        config.dashboards = readDashboards(r, dashboards->value);
}

/// kMaxYamlNodes bounds the nodes a config expands to. yaml-cpp shares one node for every use of an
/// `*alias`, but everything that walks the tree visits it once per use: ten nested lists of ten
/// aliases are 10^10 visits from 200 bytes (a "billion laughs" file). A real config has hundreds.
constexpr std::size_t kMaxYamlNodes = 1'000'000;

/// expandsTooFar walks `root` as the readers will, counting every visit, and stops at the limit.
bool expandsTooFar(const YAML::Node &root)
{
    std::size_t visited = 0;
    std::vector<YAML::Node> stack{root};
    while (!stack.empty()) {
        const YAML::Node node = stack.back();
        stack.pop_back();
        if (++visited > kMaxYamlNodes)
            return true;
        if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                stack.push_back(it->first);
                stack.push_back(it->second);
            }
        } else if (node.IsSequence()) {
            for (auto it = node.begin(); it != node.end(); ++it)
                stack.push_back(*it);
        }
    }
    return false;
}

} // namespace

ConfigLoadResult loadConfig(std::string_view yamlText, std::string_view fileName, const ConfigEnvironment &env)
{
    ConfigReader reader{std::string(fileName), env};
    Config config;
    // yaml-cpp reports problems by throwing; nothing thrown may leave this function.
    try {
        const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(yamlText));
        if (documents.size() > 1)
            reader.report(documents[1], "", "expected one YAML document, found another after '---'");
        if (!documents.empty() && expandsTooFar(documents[0]))
            reader.report(documents[0], "",
                          "the config expands to more than " + std::to_string(kMaxYamlNodes) +
                              " YAML nodes (aliases of aliases?); write it out instead");
        else if (!documents.empty())
            readConfig(reader, documents[0], config);
    } catch (const YAML::ParserException &e) {
        reader.reportAt(e.mark, "YAML syntax error: " + e.msg);
    } catch (const YAML::Exception &e) {
        reader.reportAt(e.mark, "cannot read YAML: " + e.msg);
    } catch (const std::exception &e) {
        reader.reportAt(YAML::Mark::null_mark(), std::string("internal error while reading the config: ") + e.what());
    }
    if (reader.hasErrors())
        return std::unexpected(reader.takeDiagnostics());
    return config;
}

ConfigLoadResult loadConfigFile(const std::string &path, const ConfigEnvironment &env)
{
    auto text = detail::readWholeFile(path, kMaxConfigBytes);
    if (!text)
        return std::unexpected(
            std::vector<ConfigDiagnostic>{ConfigDiagnostic{path, 0, 0, "cannot read: " + text.error().message}});
    ConfigEnvironment withBase = env;
    if (withBase.baseDirectory.empty()) {
        // Absolute, so paths stay right if the application later changes its working directory.
        std::error_code ec;
        const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
        if (!ec)
            withBase.baseDirectory = absolute.lexically_normal().parent_path().string();
    }
    return loadConfig(*text, path, withBase);
}

std::string formatDiagnostic(const ConfigDiagnostic &d)
{
    if (d.line <= 0)
        return d.file + ": " + d.message;
    return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
}

} // namespace pulse
