// PreparedQueries: parse once per distinct text, bounded (see prepared_queries.h).
#include "app/services/prepared_queries.h"

namespace pulse {

Result<promql::PreparedQuery> PreparedQueries::get(std::string_view text)
{
    const std::string key(text);
    if (const auto it = m_entries.find(key); it != m_entries.end())
        return it->second;
    while (m_entries.size() >= m_capacity && !m_order.empty()) {
        m_entries.erase(m_order.front());
        m_order.pop_front();
        ++m_evicted;
    }
    ++m_parses;
    m_order.push_back(key);
    return m_entries.emplace(key, promql::PreparedQuery::prepare(text)).first->second;
}

} // namespace pulse
