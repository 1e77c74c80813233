// Label matcher evaluation shared by in-memory history and the PromQL engine.
#include "core/selection/series_matcher.h"

namespace pulse::promql {

Result<SeriesMatcher> SeriesMatcher::compile(std::span<const LabelMatcher> matchers)
{
    SeriesMatcher out;
    for (const auto &m : matchers) {
        Compiled c{m, std::nullopt};
        if (m.op == LabelMatcher::Op::Regex || m.op == LabelMatcher::Op::NotRegex) {
            auto regex = AnchoredRegex::compile(m.value);
            if (!regex)
                return std::unexpected(regex.error());
            c.regex = std::move(*regex);
        }
        out.m_matchers.push_back(std::move(c));
    }
    return out;
}

bool SeriesMatcher::matchesValue(std::size_t index, std::string_view value) const
{
    const Compiled &c = m_matchers[index];
    switch (c.matcher.op) {
    case LabelMatcher::Op::Equal: return value == c.matcher.value;
    case LabelMatcher::Op::NotEqual: return value != c.matcher.value;
    case LabelMatcher::Op::Regex: return c.regex->matches(value);
    case LabelMatcher::Op::NotRegex: return !c.regex->matches(value);
    }
    return false;
}

bool SeriesMatcher::matches(std::string_view metric, const Labels &labels) const
{
    for (std::size_t i = 0; i < m_matchers.size(); ++i) {
        const std::string &name = m_matchers[i].matcher.name;
        const std::string_view value = name == "__name__" ? metric : labels.value(name);
        if (!matchesValue(i, value))
            return false;
    }
    return true;
}

} // namespace pulse::promql
