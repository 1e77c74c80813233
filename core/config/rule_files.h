// Prometheus's rule files and `promtool test rules` unit-test files, read as Prometheus reads them
// (groups of alerting and recording rules; input series, alert and expression expectations), with
// every problem at FILE:LINE:COL.
#pragma once

#include "core/alerting/alert_rule_config.h"
#include "core/base/duration.h"
#include "core/base/labels.h"
#include "core/config/config_loader.h"
#include "core/config/rule_group.h"

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pulse {

using RuleFileResult = std::expected<std::vector<RuleGroupConfig>, std::vector<ConfigDiagnostic>>;

/// loadRuleFileText reads a Prometheus rule file (`groups:`); fileName labels diagnostics. Alert
/// expressions and templates, and recording expressions, are compiled here.
RuleFileResult loadRuleFileText(std::string_view yamlText, std::string_view fileName);
RuleFileResult loadRuleFile(const std::string &path);

/// RuleTestFile is a `promtool test rules` file.
struct RuleTestFile {
    struct ExpectedAlert {
        Labels labels;      ///< without alertname (added when compared)
        Labels annotations; ///< as a label set: names sorted, values byte-exact
    };
    struct AlertTest {
        Duration evalTime{0};
        std::string alertname;
        std::vector<ExpectedAlert> expected;
    };
    struct ExpectedSample {
        std::string labels; ///< series notation: metric{a="b"}
        double value = 0;
    };
    struct ExprTest {
        std::string expr;
        Duration evalTime{0};
        std::vector<ExpectedSample> expected;
    };
    struct Group {
        std::string name;
        std::optional<Duration> interval; ///< the input series' step; unset: evaluation_interval
        std::int64_t startMs = 0;         ///< start_timestamp: where time 0 of the test is (Unix ms)
        std::vector<std::pair<std::string, std::string>> inputSeries; ///< series, values
        std::vector<AlertTest> alertTests;
        std::vector<ExprTest> exprTests;
    };
    std::vector<std::string> ruleFiles; ///< as written (relative to the test file, globs allowed)
    Duration evaluationInterval = std::chrono::minutes(1);
    std::vector<std::string> groupEvalOrder;
    bool fuzzyCompare = false;
    std::vector<Group> tests;
};

using RuleTestFileResult = std::expected<RuleTestFile, std::vector<ConfigDiagnostic>>;

/// RuleFilePaths are the files a `rule_files:` entry names: full is the entry anchored at the base
/// directory, paths what it matches (a glob may match none, which is no error, as in Prometheus).
struct RuleFilePaths {
    std::string full;
    bool pattern = false;
    std::vector<std::string> paths;
};
RuleFilePaths resolveRuleFiles(const std::string &written, const std::string &baseDirectory);

RuleTestFileResult loadRuleTestFileText(std::string_view yamlText, std::string_view fileName);
RuleTestFileResult loadRuleTestFile(const std::string &path);

} // namespace pulse
