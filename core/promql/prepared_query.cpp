// PreparedQuery: parsing once and the planning facts (see prepared_query.h).
#include "core/promql/prepared_query.h"

#include "core/promql/engine.h"
#include "core/promql/overloaded.h"
#include "core/promql/parser.h"

#include <algorithm>
#include <climits>
#include <variant>

namespace pulse::promql {

namespace {

std::int64_t smallestWindow(const Expr &expr)
{
    std::int64_t least = INT64_MAX;
    auto within = [&](const Expr &e) { least = std::min(least, smallestWindow(e)); };
    std::visit(Overloaded{
                   [](const NumberLiteral &) {},
                   [](const StringLiteral &) {},
                   [](const VectorSelector &) {},
                   [&](const MatrixSelector &ms) { least = std::min(least, ms.rangeMs); },
                   [&](const SubqueryExpr &sq) {
                       // The inner expression runs at the subquery's step: a tier coarser than that
                       // would leave most inner steps without a point in their look-back.
                       const std::int64_t step = sq.stepMs > 0 ? sq.stepMs : EngineOptions{}.defaultSubqueryStepMs;
                       least = std::min({least, sq.rangeMs, 4 * step});
                       within(*sq.expr);
                   },
                   [&](const ParenExpr &p) { within(*p.expr); },
                   [&](const UnaryExpr &u) { within(*u.expr); },
                   [&](const BinaryExpr &b) {
                       within(*b.lhs);
                       within(*b.rhs);
                   },
                   [&](const AggregateExpr &a) {
                       if (a.param)
                           within(*a.param);
                       within(*a.expr);
                   },
                   [&](const Call &c) {
                       for (const auto &arg : c.args)
                           within(*arg);
                   },
               },
               expr.node);
    return least;
}
} // namespace

Result<PreparedQuery> PreparedQuery::prepare(std::string_view expr)
{
    auto parsed = parse(expr);
    if (!parsed)
        return std::unexpected(parsed.error());
    PreparedQuery query;
    query.m_text = std::string(expr);
    query.m_metricNames = selectedMetricNames(**parsed);
    query.m_smallestWindowMs = smallestWindow(**parsed);
    query.m_expr = std::shared_ptr<const Expr>(std::move(*parsed));
    return query;
}

} // namespace pulse::promql
