// LogQuery: what a log view asks of a log store. Plain values, so it can cross threads by queued
// signal and be answered by the in-memory LogStore today and an FTS5 store later.
#pragma once

#include "core/logs/log_record.h"

#include <QMetaType>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// LogQuery selects records. Every criterion is optional; the default query matches everything
/// and answers the newest kDefaultLimit records.
struct LogQuery {
    static constexpr std::size_t kDefaultLimit = 5000;

    /// targets restricts to these target names; empty means every target.
    std::vector<std::string> targets;
    /// [fromMs, toMs) bounds the record timestamps.
    std::int64_t fromMs = std::numeric_limits<std::int64_t>::min();
    std::int64_t toMs = std::numeric_limits<std::int64_t>::max();
    /// text is searched in the raw line: a case-insensitive substring, or a regular expression
    /// (Perl syntax, case-insensitive) when regex is set. Empty matches everything.
    std::string text;
    bool regex = false;
    /// minLevel hides records below it; Unknown (the default) hides nothing.
    LogLevel minLevel = LogLevel::Unknown;
    /// limit caps the answer; 0 means no cap.
    std::size_t limit = kDefaultLimit;
    /// keepNewest picks which end of the matches survives the limit: the newest (a tail, the
    /// default) or the oldest (reading forward from fromMs). Answers are oldest first either way.
    bool keepNewest = true;
    /// beforeId / afterId continue a page among lines of the same millisecond: with beforeId, lines
    /// at toMs - 1 whose storeId is not below it are left out (the next older page); with afterId,
    /// lines at fromMs whose storeId is not above it (the next newer page). 0: no cursor. Lines
    /// without a storeId (the memory store's) are never left out.
    std::int64_t beforeId = 0;
    std::int64_t afterId = 0;
    /// generation is echoed back with the answer so a view can drop answers to an older query.
    std::uint64_t generation = 0;

    bool operator==(const LogQuery &) const = default;
};

/// LogQueryText is the search box's text split into what LogQuery needs.
struct LogQueryText {
    std::string text;
    bool regex = false;
};

/// parseLogSearchText reads a search box: "/pattern/" is a regular expression, anything else a
/// substring. Surrounding blanks are ignored; "/" alone is the substring "/".
LogQueryText parseLogSearchText(std::string_view input);

/// LogQueryAnswer is a query's result as it travels back to the view.
struct LogQueryAnswer {
    std::uint64_t generation = 0;
    std::vector<LogRecord> records;
    /// error is set when the query could not run (an invalid regular expression); records is empty.
    std::string error;
};

} // namespace pulse

// Declared here, once, because both travel by queued signal between the GUI and a query thread.
Q_DECLARE_METATYPE(pulse::LogQuery)
Q_DECLARE_METATYPE(pulse::LogQueryAnswer)
