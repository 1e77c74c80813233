// Config: the typed form of Pulseboard's YAML config file (see config_loader.h for reading one).
#pragma once

#include "core/alerting/alert_rule_config.h"
#include "core/base/duration.h"
#include "core/base/labels.h"
#include "core/config/notify_config.h"
#include "core/config/rule_group.h"
#include "core/config/target_config.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// RetentionConfig says how long each resolution of history is kept.
struct RetentionConfig {
    Duration raw = std::chrono::days(7);      ///< every sample
    Duration m1 = std::chrono::days(90);      ///< 1-minute rollups (`1m:` in the file)
    Duration h1 = std::chrono::days(2 * 365); ///< 1-hour rollups (`1h:` in the file); years are 365 days
};

/// StorageWriteConfig tunes the writer thread.
struct StorageWriteConfig {
    /// queueCapacity bounds the samples waiting for the writer; beyond it (or beyond 64 MiB of them) they
    /// are dropped and counted. A few seconds of the heaviest ingest, so a slow first commit (every series
    /// new) or a disk stall does not lose data.
    std::size_t queueCapacity = 1'000'000;
    /// flushInterval is how often the writer commits a transaction; charts and alert rules see samples
    /// once they are committed.
    Duration flushInterval = std::chrono::milliseconds(250);
};

struct StorageConfig {
    std::string path; ///< empty = the application picks its XDG data path
    RetentionConfig retention;
    StorageWriteConfig write;
};

/// LogsConfig bounds the log records the history file keeps (`logs:` in the file). The oldest go
/// first when either bound is passed; 0 turns a bound off.
struct LogsConfig {
    Duration retention = std::chrono::days(7);
    /// maxSizeBytes bounds the records' stored bytes (line, message, fields, target and file names,
    /// and a fixed allowance a row); the search index comes on top (docs/storage.md).
    std::uint64_t maxSizeBytes = std::uint64_t{2} << 30;
};

enum class PanelKind { Chart, Area, Stat };

std::span<const std::string_view> panelKindNames();
std::string_view panelKindName(PanelKind kind);
std::optional<PanelKind> panelKindFromName(std::string_view name);

struct Threshold {
    double value = 0;
    std::string color; ///< `#rgb`, `#rrggbb` or a colour name
};

struct PanelConfig {
    std::string title;
    std::vector<std::string> exprs; ///< PromQL; `expr:` in the file gives a single one
    PanelKind kind = PanelKind::Chart;
    std::string unit; ///< free text shown with values: s, bytes, %, req/s
    std::vector<Threshold> thresholds;
    std::optional<std::string> legend; ///< series name template such as "{{route}}"; unset = labels
};

struct DashboardConfig {
    std::string name;
    std::vector<PanelConfig> panels;
};

/// BuiltinRulesConfig turns the built-in alerting rules (builtin_rules.h) off, all or some; an
/// alert of the config with a built-in rule's name replaces it.
struct BuiltinRulesConfig {
    bool enabled = true;
    std::vector<std::string> disabled;
    friend bool operator==(const BuiltinRulesConfig &, const BuiltinRulesConfig &) = default;
};

struct Config {
    StorageConfig storage;
    LogsConfig logs;
    std::vector<TargetConfig> targets;
    std::vector<AlertRuleConfig> alerts;
    /// ruleFiles are `rule_files:` as written (globs, relative to the config file); ruleGroups what
    /// they hold, loaded with the config.
    std::vector<std::string> ruleFiles;
    std::vector<RuleGroupConfig> ruleGroups;
    BuiltinRulesConfig builtinRules;
    NotifyConfig notify;
    std::vector<DashboardConfig> dashboards;
};

/// alertRules are every alerting rule: the config's `alerts:`, those of its rule files, then the
/// built-in rules that are on and not replaced by a rule of the same name.
std::vector<AlertRuleConfig> alertRules(const Config &config);
/// recordingRules are the rule files' recording rules, in group order.
std::vector<RecordingRuleConfig> recordingRules(const Config &config);

} // namespace pulse
