// Sorted label sets.
#include "core/base/labels.h"

#include <algorithm>
#include <functional>

namespace pulse {

Labels::Labels(std::vector<Label> labels)
{
    if (labels.empty())
        return;
    // Already sorted with unique names (what a parser hands over): take the vector as it is.
    const auto notBefore = [](const Label &a, const Label &b) { return !(a.name < b.name); };
    if (std::adjacent_find(labels.begin(), labels.end(), notBefore) == labels.end()) {
        m_items = std::make_shared<std::vector<Label>>(std::move(labels));
        return;
    }
    // Sort once and move the strings in, rather than inserting one by one; among equal names the
    // later one wins, as with set().
    std::stable_sort(labels.begin(), labels.end(), [](const Label &a, const Label &b) { return a.name < b.name; });
    auto items = std::make_shared<std::vector<Label>>();
    items->reserve(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i + 1 < labels.size() && labels[i + 1].name == labels[i].name)
            continue;
        items->push_back(std::move(labels[i]));
    }
    m_items = std::move(items);
}

const std::vector<Label> &Labels::emptyItems()
{
    static const std::vector<Label> empty;
    return empty;
}

std::vector<Label> &Labels::mutableItems()
{
    if (!m_items)
        m_items = std::make_shared<std::vector<Label>>();
    else if (m_items.use_count() > 1)
        m_items = std::make_shared<std::vector<Label>>(*m_items);
    return *m_items;
}

void Labels::set(std::string_view name, std::string_view value)
{
    const auto &current = items();
    auto at = std::lower_bound(current.begin(), current.end(), name,
                               [](const Label &l, std::string_view n) { return l.name < n; });
    if (at != current.end() && at->name == name && at->value == value)
        return; // nothing changes: keep sharing
    const auto offset = at - current.begin();
    auto &mine = mutableItems();
    auto it = mine.begin() + offset;
    if (it != mine.end() && it->name == name)
        it->value = std::string(value);
    else
        mine.insert(it, Label{std::string(name), std::string(value)});
}

std::string_view Labels::value(std::string_view name) const
{
    const auto &current = items();
    auto it = std::lower_bound(current.begin(), current.end(), name,
                               [](const Label &l, std::string_view n) { return l.name < n; });
    if (it != current.end() && it->name == name)
        return it->value;
    return {};
}

bool Labels::has(std::string_view name) const
{
    const auto &current = items();
    return std::any_of(current.begin(), current.end(), [&](const Label &l) { return l.name == name; });
}

void Labels::remove(std::string_view name)
{
    if (!has(name))
        return; // nothing changes: keep sharing
    std::erase_if(mutableItems(), [&](const Label &l) { return l.name == name; });
}

std::size_t LabelsHash::operator()(const Labels &labels) const noexcept
{
    std::size_t h = 0xcbf29ce484222325ULL;
    const std::hash<std::string_view> hash;
    for (const Label &l : labels) {
        h = (h ^ hash(l.name)) * 0x100000001b3ULL;
        h = (h ^ hash(l.value)) * 0x100000001b3ULL;
    }
    return h;
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
    for (const auto &l : items()) {
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
