// MultilineJoiner: joins the lines of one record (a stack trace under the line that logged it) into
// one TailLine, so a Java, Python or Go trace is one record, not forty.
//
//   line ──starts a record?──yes──> the held record is complete (out); this line is held
//                          └─no───> appended to the held record (or held, if none is)
//
// A line starts a record unless it is a continuation: with a start pattern, a line that does not
// match it; without, a line that starts with a blank (space or tab), `at `, `Caused by:` or `...`
// (Java's "\tat", "Caused by:", "... 12 more"; Python's indented frames; Go's tab-indented frames).
// The held record waits for the next record's first line, or until nothing has joined it for
// waitMs (then the writer is done with it), or for flush() (rotation, truncation, the end of input).
// A record that would pass maxRecordBytes or maxRecordLines is completed and the line starts the
// next one: a runaway trace is split, never cut.
#pragma once

#include "collectors/log_tailer_line_buffer.h"
#include "core/base/error.h"
#include "core/logs/line_pattern.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// MultilineOptions configures a MultilineJoiner; disabled, every line is a record.
struct MultilineOptions {
    bool enabled = false;
    /// startPattern, when set, is what a record's first line matches (searched, not anchored).
    std::string startPattern;
    std::size_t maxRecordBytes = std::size_t{256} * 1024;
    std::size_t maxRecordLines = 1000;
    std::int64_t waitMs = 500;
};

/// MultilineJoiner assembles records from consecutive lines of one file.
/// Not thread-safe: it belongs to one LogTailer (or one parse-log run).
class MultilineJoiner {
public:
    /// A disabled joiner: push() passes every line straight through.
    MultilineJoiner() = default;
    /// create compiles the start pattern; an invalid one is an error naming its offset. compile is
    /// evaluated where create is called (line_pattern.h: a caller without patterns links no regex engine).
    static Result<MultilineJoiner> create(const MultilineOptions &options,
                                          LinePatternCompiler compile = &compileLinePattern);

    /// push takes the next complete line (offsets increasing) and appends completed records to out.
    /// nowMs is when the line was read (for waitMs).
    void push(TailLine line, std::int64_t nowMs, std::vector<TailLine> &out);
    /// flush completes the held record, if any.
    std::optional<TailLine> flush();
    /// flushIfQuiet completes the held record when no line has joined it for waitMs.
    std::optional<TailLine> flushIfQuiet(std::int64_t nowMs);
    /// heldOffset is the held record's first byte: where to resume after a restart, since its lines
    /// were read but are not a record yet.
    std::optional<std::uint64_t> heldOffset() const;

    /// isContinuation is the rule without a start pattern.
    static bool isContinuation(std::string_view line);
    /// startsRecord says whether line (complete, without its terminator) begins a record rather than
    /// continuing the held one; every line does when joining is disabled. Before such a line the
    /// joiner's state is the same whatever came earlier, so input can be split there and the pieces
    /// joined independently (pulsectl parse-log does, one piece per core).
    bool startsRecord(std::string_view line) const;

private:
    MultilineOptions m_options;
    std::shared_ptr<const LinePattern> m_start; // with a start pattern only
    std::optional<TailLine> m_held;
    std::size_t m_heldLines = 0;
    std::int64_t m_lastJoinMs = 0;
};

} // namespace pulse
