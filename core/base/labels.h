// Label sets: the identity of a series besides its metric name.
#pragma once

#include <initializer_list>
#include <memory>
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
///
/// Copies share one immutable vector (copy-on-write): a query copies the same label sets at every
/// step of a range and into every result, a scrape into every per-run sample, and a copy costs a
/// reference count instead of an allocation per label. set() and remove() unshare first. Like a
/// std::vector, one Labels object must not be used from two threads at once; copies may be.
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

    const std::vector<Label> &items() const { return m_items ? *m_items : emptyItems(); }
    /// identity names this object's storage, which copies share until one of them changes: equal
    /// identities mean equal labels (not the other way round). Null for empty labels.
    const void *identity() const { return m_items.get(); }
    bool empty() const { return !m_items || m_items->empty(); }
    std::size_t size() const { return m_items ? m_items->size() : 0; }
    auto begin() const { return items().begin(); }
    auto end() const { return items().end(); }

    /// toString renders `{a="x",b="y"}` with Prometheus escaping (\\, \", \n).
    std::string toString() const;

    friend bool operator==(const Labels &a, const Labels &b)
    {
        return a.m_items == b.m_items || a.items() == b.items();
    }
    friend auto operator<=>(const Labels &a, const Labels &b) { return a.items() <=> b.items(); }

private:
    static const std::vector<Label> &emptyItems();
    /// mutableItems makes this object the only owner of its vector and returns it.
    std::vector<Label> &mutableItems();

    std::shared_ptr<std::vector<Label>> m_items; ///< null: empty
};

/// LabelsHash hashes a label set (names and values), for unordered containers of Labels.
struct LabelsHash {
    std::size_t operator()(const Labels &labels) const noexcept;
};

/// isValidMetricName: [a-zA-Z_:][a-zA-Z0-9_:]*, as Prometheus requires.
bool isValidMetricName(std::string_view name);
/// isValidLabelName: [a-zA-Z_][a-zA-Z0-9_]*.
bool isValidLabelName(std::string_view name);

/// escapeLabelValue escapes backslash, double quote and newline as the text format requires.
std::string escapeLabelValue(std::string_view value);

} // namespace pulse
