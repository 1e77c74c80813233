// LogPieces: cutting parse-log's input where records start, and the pool that parses the pieces.
#include "app/pulsectl/log_pieces.h"

#include "app/pulsectl/log_printer.h"
#include "collectors/log_tailer_line_buffer.h"
#include "core/logs/log_line_parser.h"

#include <algorithm>
#include <ostream>
#include <system_error>

namespace pulse::cli {

namespace {

constexpr std::size_t kMaxLineBytes = std::size_t{64} * 1024;

} // namespace

void LogCounts::add(const LogRecord &record)
{
    ++records;
    ++levels[static_cast<std::size_t>(record.level)];
    const std::string_view status = record.field("status");
    if (status.size() == 3 && status[0] >= '1' && status[0] <= '9')
        ++statusClasses[status[0]];
}

void LogCounts::merge(const LogCounts &other)
{
    records += other.records;
    for (std::size_t i = 0; i < levels.size(); ++i)
        levels[i] += other.levels[i];
    for (const auto &[digit, n] : other.statusClasses)
        statusClasses[digit] += n;
}

void LogCounts::print(std::ostream &out) const
{
    out << records << " records\n";
    for (std::size_t i = levels.size(); i-- > 0;)
        if (levels[i] != 0)
            out << "level " << logLevelName(static_cast<LogLevel>(i)) << ' ' << levels[i] << '\n';
    for (const auto &[digit, n] : statusClasses)
        out << "status " << digit << "xx " << n << '\n';
}

/// Pass is one pass over consecutive bytes that begin where a piece may: its own line buffer,
/// joiner and parser, as a log target has for a file.
class LogPieces::Pass {
public:
    // parser and joiner are copied: copies share the compiled patterns (compiled once, not a piece).
    Pass(const LogParseSetup &setup, const LogLineParser &parser, const MultilineJoiner &joiner, std::uint64_t offset)
        : m_setup(setup), m_parser(parser), m_joiner(joiner), m_buffer(kMaxLineBytes)
    {
        m_buffer.reset(offset);
    }

    /// feed parses data, which continues the bytes fed before.
    void feed(std::string_view data)
    {
        while (!data.empty()) {
            m_lines.clear();
            data.remove_prefix(m_buffer.feed(data, m_lines, 256));
            m_records.clear();
            for (TailLine &line : m_lines)
                m_joiner.push(std::move(line), 0, m_records);
            for (TailLine &record : m_records)
                handle(record);
        }
    }

    /// finish completes what is held: the next byte begins a piece, or the input ended (a last line
    /// without its newline is still a line).
    void finish()
    {
        m_records.clear();
        if (auto last = m_buffer.flush())
            m_joiner.push(std::move(*last), 0, m_records);
        if (auto held = m_joiner.flush())
            m_records.push_back(std::move(*held));
        for (TailLine &record : m_records)
            handle(record);
    }

    /// printed is the JSON of the records parsed so far (the owner writes and clears it).
    std::string printed;
    LogCounts counts;

private:
    void handle(TailLine &line)
    {
        // The line's bytes move into the record (LogLineContext::ownedLine): m_records is cleared
        // before the next batch.
        LogRecord record = m_parser.parse(line.bytes, {"", m_setup.readTimeMs, line.offset, &line.bytes});
        record.truncated = line.truncated;
        if (m_setup.count) {
            counts.add(record);
            return;
        }
        appendLogJson(printed, record);
        printed += '\n';
    }

    const LogParseSetup &m_setup;
    LogLineParser m_parser;
    MultilineJoiner m_joiner;
    LogTailerLineBuffer m_buffer;
    std::vector<TailLine> m_lines;
    std::vector<TailLine> m_records;
};

/// Piece is a run of input parsed by one worker; done (guarded by m_mutex) says printed and counts
/// are final.
struct LogPieces::Piece {
    std::string data;
    std::uint64_t offset = 0;
    bool done = false;
    std::string printed;
    LogCounts counts;
};

LogPieces::LogPieces(LogParseSetup setup, unsigned threads, std::ostream &out)
    : m_setup(std::move(setup)), m_out(out),
      m_parser(*LogLineParser::create(m_setup.format, m_setup.pattern, m_setup.compile)),
      m_joiner(*MultilineJoiner::create(m_setup.multiline, m_setup.compile))
{
    try {
        for (unsigned i = 0; i < threads; ++i)
            m_workers.emplace_back([this] { work(); });
    } catch (const std::system_error &) {
        // Fewer workers than asked (none: the pieces are parsed on the caller's thread).
    }
}

LogPieces::~LogPieces()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    for (std::thread &worker : m_workers)
        worker.join();
}

bool LogPieces::isCut(std::string_view data, std::size_t pos, bool eof) const
{
    // The line is judged as the line buffer emits it: up to its first CR or LF, at most
    // kMaxLineBytes; and only once that much of it is there.
    const std::size_t limit = std::min(data.size(), pos + kMaxLineBytes + 1);
    std::size_t end = pos;
    while (end < limit && data[end] != '\n' && data[end] != '\r')
        ++end;
    if (end == data.size() && !eof && end - pos <= kMaxLineBytes)
        return false;
    return m_joiner.startsRecord(data.substr(pos, std::min(end - pos, kMaxLineBytes)));
}

std::size_t LogPieces::cutAfter(std::string_view data, std::size_t from, bool eof) const
{
    for (std::size_t nl = data.find('\n', from - 1); nl != std::string_view::npos && nl + 1 < data.size();
         nl = data.find('\n', nl + 1)) {
        if (isCut(data, nl + 1, eof))
            return nl + 1;
    }
    return std::string_view::npos;
}

std::size_t LogPieces::lastCut(std::string_view data, bool eof) const
{
    std::size_t nl = data.size();
    while (nl > 1) {
        nl = data.rfind('\n', nl - 2);
        if (nl == std::string_view::npos)
            break;
        if (nl + 1 < data.size() && isCut(data, nl + 1, eof))
            return nl + 1;
    }
    return std::string_view::npos;
}

void LogPieces::feed(std::string &pending, bool eof)
{
    const std::string_view data = pending;
    std::size_t used = 0;
    if (m_serial) {
        const std::size_t cut = data.empty() ? std::string_view::npos : cutAfter(data, 1, eof);
        const bool ends = cut != std::string_view::npos || eof;
        used = cut == std::string_view::npos ? data.size() : cut;
        m_serial->feed(data.substr(0, used));
        m_consumed += used;
        if (ends)
            m_serial->finish();
        m_out << m_serial->printed;
        m_serial->printed.clear();
        if (ends) {
            m_counts.merge(m_serial->counts);
            m_serial.reset();
        }
    }
    if (!m_serial) {
        const std::string_view rest = data.substr(used);
        const std::size_t end = eof ? rest.size() : lastCut(rest, eof);
        if (end != std::string_view::npos) {
            std::size_t begin = 0;
            while (begin < end) {
                std::size_t next = end;
                if (end - begin > kPieceBytes + kPieceBytes / 2)
                    next = std::min(end, cutAfter(rest.substr(0, end), begin + kPieceBytes, true));
                submit(rest.substr(begin, next - begin));
                begin = next;
            }
            used += end;
        }
        writeDone(true, m_workers.size());
        if (!eof && pending.size() - used > kMaxCarryBytes) {
            writeDone(true, 0); // what came before is written before the serial pass's output
            m_serial = std::make_unique<Pass>(m_setup, m_parser, m_joiner, m_consumed);
            m_serial->feed(data.substr(used));
            m_consumed += pending.size() - used;
            m_out << m_serial->printed;
            m_serial->printed.clear();
            used = pending.size();
        }
    }
    pending.erase(0, used);
}

void LogPieces::submit(std::string_view data)
{
    auto piece = std::make_shared<Piece>();
    piece->data = std::string(data);
    piece->offset = m_consumed;
    m_consumed += data.size();
    if (m_workers.empty()) {
        Pass pass(m_setup, m_parser, m_joiner, piece->offset);
        pass.feed(piece->data);
        pass.finish();
        m_out << pass.printed;
        m_counts.merge(pass.counts);
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        m_inOrder.push_back(piece);
        m_todo.push_back(std::move(piece));
    }
    m_changed.notify_all();
}

void LogPieces::writeDone(bool wait, std::size_t keep)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        while (!m_inOrder.empty() && m_inOrder.front()->done) {
            const std::shared_ptr<Piece> piece = std::move(m_inOrder.front());
            m_inOrder.pop_front();
            lock.unlock();
            m_out << piece->printed;
            m_counts.merge(piece->counts);
            lock.lock();
        }
        if (!wait || m_inOrder.size() <= keep)
            return;
        m_changed.wait(lock);
    }
}

void LogPieces::finish()
{
    writeDone(true, 0);
}

// Runs on a worker thread: parses pieces until the pool stops.
void LogPieces::work()
{
    for (;;) {
        std::shared_ptr<Piece> piece;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_stopping || !m_todo.empty(); });
            if (m_todo.empty())
                return;
            piece = std::move(m_todo.front());
            m_todo.pop_front();
        }
        Pass pass(m_setup, m_parser, m_joiner, piece->offset);
        pass.feed(piece->data);
        pass.finish();
        piece->data = std::string();
        piece->printed = std::move(pass.printed);
        piece->counts = pass.counts;
        {
            const std::lock_guard lock(m_mutex);
            piece->done = true;
        }
        m_changed.notify_all();
    }
}

} // namespace pulse::cli
