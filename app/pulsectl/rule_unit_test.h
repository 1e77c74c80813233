// RuleUnitTest: `promtool test rules` semantics over Pulseboard's rules engine. A test group loads
// its input series, evaluates every rule group (in group_eval_order, then file order; a group's
// rules in order, recording rules writing their series as they go) every evaluation_interval from 0
// to the last eval_time, checks the firing alerts of each alert_rule_test at the evaluation at or
// just before its eval_time, then runs each promql_expr_test at its eval_time.
#pragma once

#include "core/config/rule_files.h"

#include <string>
#include <vector>

namespace pulse::cli {

/// runRuleTestGroup runs one test group over groups; the result is promtool-style failure texts
/// (empty: it passed).
std::vector<std::string> runRuleTestGroup(const RuleTestFile &file, const RuleTestFile::Group &test,
                                          const std::vector<RuleGroupConfig> &groups);

} // namespace pulse::cli
