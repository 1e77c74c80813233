// Label sets: the identity of a series besides its metric name.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pulse {

struct Label {
    std::string name;
    std::string value;
    friend bool operator==(const Label &, const Label &) = default;
    friend auto operator<=>(const Label &, const Label &) = default;
};

/// Labels is a label set kept sorted by name, names unique. Values are stored byte-exact.
class Labels {
public:
    Labels() = default;
    /// Labels sorts its input; a later duplicate name replaces an earlier one.
    explicit Labels(std::vector<Label> labels);
    /// Labels({{"job", "api"}, {"instance", "h:9100"}}): the same, for literals.
    Labels(std::initializer_list<Label> labels)
    {
        for (const auto &l : labels)
            set(l.name, l.value);
    }

    /// set adds or replaces a label, keeping the order.
    void set(std::string_view name, std::string_view value);
    /// value returns the label's value, or an empty view when absent (Prometheus treats both alike).
    std::string_view value(std::string_view name) const;
    bool has(std::string_view name) const;
    void remove(std::string_view name);

    const std::vector<Label> &items() const { return m_items; }
    bool empty() const { return m_items.empty(); }
    std::size_t size() const { return m_items.size(); }
    auto begin() const { return m_items.begin(); }
    auto end() const { return m_items.end(); }

    /// toString renders `{a="x",b="y"}` with Prometheus escaping (\\, \", \n).
    std::string toString() const;

    friend bool operator==(const Labels &, const Labels &) = default;
    friend auto operator<=>(const Labels &, const Labels &) = default;

private:
    std::vector<Label> m_items;
};

/// isValidMetricName: [a-zA-Z_:][a-zA-Z0-9_:]*, as Prometheus requires.
bool isValidMetricName(std::string_view name);
/// isValidLabelName: [a-zA-Z_][a-zA-Z0-9_]*.
bool isValidLabelName(std::string_view name);

/// escapeLabelValue escapes backslash, double quote and newline as the text format requires.
std::string escapeLabelValue(std::string_view value);

} // namespace pulse
