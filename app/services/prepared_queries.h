// PreparedQueries: the query thread's bounded cache of parsed panel expressions.
#pragma once

#include "core/base/error.h"
#include "core/promql/prepared_query.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pulse {

/// PreparedQueries holds what panels ask every second parsed once: the answer of
/// PreparedQuery::prepare for each expression text, errors included (a broken expression is not
/// parsed again either). At most `capacity` texts are kept; beyond it the oldest is forgotten (and
/// counted), so a user typing a thousand expressions does not grow it.
///
/// Not thread-safe: QueryService uses it on the query thread only.
class PreparedQueries {
public:
    explicit PreparedQueries(std::size_t capacity = 512) : m_capacity(capacity) {}

    /// get returns the prepared query of `text`, preparing it the first time. A copy (it shares the
    /// tree), so a later get that evicts the entry cannot pull it from under the caller.
    Result<promql::PreparedQuery> get(std::string_view text);

    std::size_t size() const { return m_entries.size(); }
    std::uint64_t parses() const { return m_parses; }
    std::uint64_t evicted() const { return m_evicted; }

private:
    std::size_t m_capacity;
    std::unordered_map<std::string, Result<promql::PreparedQuery>> m_entries;
    std::deque<std::string> m_order; ///< insertion order, for eviction
    std::uint64_t m_parses = 0;
    std::uint64_t m_evicted = 0;
};

} // namespace pulse
