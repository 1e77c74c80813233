// Sorted label sets.
#include "core/labels.h"

#include <algorithm>

namespace pulse {

Labels::Labels(std::vector<Label> labels)
{
    // Already sorted with unique names (what a parser hands over): take the vector as it is.
    const auto notBefore = [](const Label &a, const Label &b) { return !(a.name < b.name); };
    if (std::adjacent_find(labels.begin(), labels.end(), notBefore) == labels.end()) {
        m_items = std::move(labels);
        return;
    }
    // Sort once and move the strings in, rather than inserting one by one; among equal names the
    // later one wins, as with set().
    std::stable_sort(labels.begin(), labels.end(), [](const Label &a, const Label &b) { return a.name < b.name; });
    m_items.reserve(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i + 1 < labels.size() && labels[i + 1].name == labels[i].name)
            continue;
        m_items.push_back(std::move(labels[i]));
    }
}

void Labels::set(std::string_view name, std::string_view value)
{
    auto it = std::lower_bound(m_items.begin(), m_items.end(), name,
                               [](const Label &l, std::string_view n) { return l.name < n; });
    if (it != m_items.end() && it->name == name)
        it->value = std::string(value);
    else
        m_items.insert(it, Label{std::string(name), std::string(value)});
}

std::string_view Labels::value(std::string_view name) const
{
    auto it = std::lower_bound(m_items.begin(), m_items.end(), name,
                               [](const Label &l, std::string_view n) { return l.name < n; });
    if (it != m_items.end() && it->name == name)
        return it->value;
    return {};
}

bool Labels::has(std::string_view name) const
{
    return std::any_of(m_items.begin(), m_items.end(), [&](const Label &l) { return l.name == name; });
}

void Labels::remove(std::string_view name)
{
    std::erase_if(m_items, [&](const Label &l) { return l.name == name; });
}

bool isValidMetricName(std::string_view name)
{
    if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
    });
}

bool isValidLabelName(std::string_view name)
{
    return isValidMetricName(name) && name.find(':') == std::string_view::npos;
}

std::string escapeLabelValue(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

std::string Labels::toString() const
{
    std::string out = "{";
    bool first = true;
    for (const auto &l : m_items) {
        if (!first)
            out += ',';
        first = false;
        out += l.name;
        out += "=\"";
        out += escapeLabelValue(l.value);
        out += '"';
    }
    out += '}';
    return out;
}

} // namespace pulse
