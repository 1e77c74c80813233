// SeriesMatcher: evaluates a selector's label matchers against one series.
#pragma once

#include "core/base/error.h"
#include "core/base/history_reader.h"
#include "core/selection/anchored_regex.h"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace pulse::promql {

/// SeriesMatcher holds compiled matchers; a series matches when every matcher does. An absent label
/// reads as the empty string, and `__name__` stands for the metric name, as in Prometheus.
class SeriesMatcher {
public:
    static Result<SeriesMatcher> compile(std::span<const LabelMatcher> matchers);

    bool matches(std::string_view metric, const Labels &labels) const;
    /// matchesValue tests one matcher (by index) against a value.
    bool matchesValue(std::size_t index, std::string_view value) const;

private:
    struct Compiled {
        LabelMatcher matcher;
        std::optional<AnchoredRegex> regex;
    };
    std::vector<Compiled> m_matchers;
};

} // namespace pulse::promql
