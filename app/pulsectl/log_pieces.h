// LogPieces: pulsectl parse-log's engine. The input is cut into pieces where a record starts and the
// pieces are parsed on a pool of threads, their output written in input order, so the records and
// counts are exactly those of one pass through a log target's line buffer, joiner and parser.
//
//   reader (caller) ──pieces──> queue ──> workers (one a core): line buffer → joiner → parser
//        └── writes each piece's output in order as soon as it and those before it are done
//
// A piece may begin only where one pass's state is the same whatever came before: just after a '\n'
// (every line ends there, no partial line, no skipped tail of an over-long line) before a line that
// starts a record (MultilineJoiner::startsRecord: the held record completes there whatever it is).
// Input with no such place for kMaxCarryBytes (an endless run of continuation lines) is parsed by one
// pass on the reader's thread until one comes.
#pragma once

#include "collectors/multiline_joiner.h"
#include "core/logs/log_format.h"
#include "core/logs/log_line_parser.h"
#include "core/logs/log_parsers.h"
#include "core/logs/log_record.h"

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pulse::cli {

/// LogCounts are what parse-log --count prints.
struct LogCounts {
    std::uint64_t records = 0;
    std::array<std::uint64_t, 7> levels{};
    std::map<char, std::uint64_t> statusClasses;

    void add(const LogRecord &record);
    void merge(const LogCounts &other);
    /// print writes "N records", then "level NAME N" from the most severe, then "status Dxx N".
    void print(std::ostream &out) const;
};

/// LogParseSetup is what every piece is parsed with (checked by the caller: the pattern and the
/// start pattern compile).
struct LogParseSetup {
    LogFormat format = LogFormat::Plain;
    std::string pattern;
    /// compile compiles the regex format's pattern and the start pattern (line_pattern.h: the front,
    /// which hands patterns to pulsectl-full, gives one that links no regex engine). Required.
    LinePatternCompiler compile = nullptr;
    MultilineOptions multiline;
    bool count = false; ///< count records instead of printing them
    /// readTimeMs is the time of lines that have none of their own.
    std::int64_t readTimeMs = 0;
};

/// LogPieces parses a stream of input fed in order. Not thread-safe: one caller feeds it; its
/// workers are its own.
class LogPieces {
public:
    LogPieces(LogParseSetup setup, unsigned threads, std::ostream &out);
    ~LogPieces();
    LogPieces(const LogPieces &) = delete;
    LogPieces &operator=(const LogPieces &) = delete;

    /// feed takes the input read so far that was not consumed yet (pending; its first byte is at
    /// the input's offset consumed()) and consumes what it can: everything at eof, else up to the
    /// last place a piece may begin. Consumed bytes are erased from pending.
    void feed(std::string &pending, bool eof);
    /// finish waits for every piece and writes what is left; counts() is then complete.
    void finish();
    const LogCounts &counts() const { return m_counts; }
    std::uint64_t consumed() const { return m_consumed; }

    /// kPieceBytes is about what one worker parses at a time.
    static constexpr std::size_t kPieceBytes = std::size_t{256} << 10;
    /// kMaxCarryBytes is how much input is held while looking for a place to cut.
    static constexpr std::size_t kMaxCarryBytes = std::size_t{32} << 20;

private:
    struct Piece;
    class Pass;

    std::size_t cutAfter(std::string_view data, std::size_t from, bool eof) const;
    std::size_t lastCut(std::string_view data, bool eof) const;
    bool isCut(std::string_view data, std::size_t pos, bool eof) const;
    void submit(std::string_view data);
    void writeDone(bool wait, std::size_t keep);
    void work();

    LogParseSetup m_setup;
    std::ostream &m_out;
    /// m_parser and m_joiner are compiled once; each pass copies them (copies share the patterns).
    /// m_joiner, never fed, also answers startsRecord for cuts (on the caller's thread).
    LogLineParser m_parser;
    MultilineJoiner m_joiner;
    LogCounts m_counts;
    std::uint64_t m_consumed = 0;
    std::unique_ptr<Pass> m_serial;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    /// m_inOrder are the pieces submitted and not yet written, in input order (guarded by m_mutex,
    /// as is each piece's done flag); m_todo those no worker has taken yet.
    std::deque<std::shared_ptr<Piece>> m_inOrder;
    std::deque<std::shared_ptr<Piece>> m_todo;
    bool m_stopping = false;
    std::vector<std::thread> m_workers;
};

} // namespace pulse::cli
