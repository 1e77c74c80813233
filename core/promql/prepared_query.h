// PreparedQuery: an expression parsed once, with what planning needs, evaluated many times.
#pragma once

#include "core/base/error.h"
#include "core/promql/ast.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::promql {

/// PreparedQuery holds a parsed expression (the tree is shared and never changed, so copies are cheap
/// and one prepared query may be evaluated from several threads) and what a caller plans with: the
/// metric names its selectors name, how far back it reads, and its shortest window. Panels, alert rules
/// and exports prepare once and evaluate every second; Engine's text entry points prepare each time.
class PreparedQuery {
public:
    /// prepare parses `expr` (errors as promql::parse words them: "col N: …").
    static Result<PreparedQuery> prepare(std::string_view expr);

    const std::string &text() const { return m_text; }
    const Expr &expr() const { return *m_expr; }
    ValueType type() const { return m_expr->type(); }
    /// metricNames lists the metric names the selectors name, sorted, unique.
    const std::vector<std::string> &metricNames() const { return m_metricNames; }
    /// dataSpanMs is how far before the evaluation time the expression reads with `lookbackDeltaMs`
    /// (promql::dataSpanMs).
    std::int64_t dataSpanMs(std::int64_t lookbackDeltaMs) const { return promql::dataSpanMs(*m_expr, lookbackDeltaMs); }
    /// smallestWindowMs is the shortest range among its range selectors and subqueries (a subquery
    /// also counts four of its steps); INT64_MAX when it has none. A rollup tier is only read for a
    /// query whose windows hold several of its buckets (SqliteHistory::readerForStep).
    std::int64_t smallestWindowMs() const { return m_smallestWindowMs; }

private:
    PreparedQuery() = default;

    std::string m_text;
    std::shared_ptr<const Expr> m_expr;
    std::vector<std::string> m_metricNames;
    std::int64_t m_smallestWindowMs = INT64_MAX;
};

} // namespace pulse::promql
