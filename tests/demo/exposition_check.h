// A strict reader of Prometheus text format 0.0.4 for the demo tests: it rejects what promtool would
// (bad names, escapes, values, split or retyped families) and checks histogram consistency.
#pragma once

#include <map>
#include <string>

namespace pulse::demo::test {

/// Exposition is what checkExposition read; error is empty when the text was valid.
struct Exposition {
    std::map<std::string, std::string> types;
    /// samples maps the series as written (`name{labels}`) to its value.
    std::map<std::string, double> samples;
    std::string error;

    /// value is the series' value, NaN when absent.
    double value(const std::string &series) const;
    /// sum adds the values of every series that starts with prefix (`http_requests_total{`).
    double sum(const std::string &prefix) const;
};

/// checkExposition reads text strictly; histograms must have increasing le, cumulative buckets and
/// _count equal to the +Inf bucket.
Exposition checkExposition(const std::string &text);

/// familyOf maps a sample name to its family (`x_bucket` → `x` for a histogram x).
std::string familyOf(const std::string &name, const std::map<std::string, std::string> &types);

} // namespace pulse::demo::test
