// pulsectl parse-log: parses a log file (or standard input) as a log target of that format would,
// and prints each record as JSON, or counts them. Streams: memory stays at a few pieces of input
// whatever the file's size; the pieces are parsed in parallel, one a core.
#include "app/pulsectl/command.h"

#include "app/pulsectl/log_printer.h"
#include "collectors/log_tailer_line_buffer.h"
#include "collectors/multiline_joiner.h"
#include "core/logs/log_format.h"
#include "core/logs/log_line_parser.h"

#include <QDateTime>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <ostream>
#include <thread>
#include <vector>

namespace pulse::cli {

namespace {

constexpr const char *kUsage = "usage: pulsectl parse-log --format F [--pattern RE] [--count] FILE|-\n";

constexpr const char *kHelp =
    "\n"
    "Parses FILE (or standard input, '-') as a log target with this format reads it, and prints one\n"
    "JSON object a record:\n"
    "  {\"time\":\"2026-12-07T03:12:00.000Z\",\"level\":\"warn\",\"message\":\"GET /x HTTP/1.1 404\",\n"
    "   \"fields\":{\"status\":404,...}}\n"
    "with \"raw\" (the line) when it did not parse as the format, and \"truncated\":true for a line cut\n"
    "at 64 KiB (the rest of the file is still read). Lines without a time of their own take now.\n"
    "\n"
    "Continuation lines (a stack trace: lines starting with a blank, 'at ', 'Caused by:' or '...')\n"
    "belong to the record above them, as in a log target.\n"
    "\n"
    "  --format F   nginx_combined, json_lines, syslog, plain, logfmt or regex (json, nginx and\n"
    "               apache_combined are accepted too)\n"
    "  --pattern RE the regex format's pattern (Perl syntax): the named groups time, level and\n"
    "               message make the record's, every other named group is a field\n"
    "  --start-pattern RE\n"
    "               a record starts at a line matching RE; the lines after it up to the next one\n"
    "               are its own (instead of the continuation rule above)\n"
    "  --single-line  every line is a record\n"
    "  --count      print 'N records', then 'level NAME COUNT' per level and 'status CLASS COUNT' per\n"
    "               status class (2xx, 4xx, ...) of records that have a status field\n"
    "\n"
    "Exit status: 0 parsed (every line is a record, parsed or raw), 1 unreadable input, 2 bad usage.\n";

constexpr std::size_t kMaxLineBytes = std::size_t{64} * 1024;

struct Options {
    std::optional<LogFormat> format;
    std::string pattern;
    MultilineOptions multiline{true, {}};
    std::string path;
    bool count = false;
    bool help = false;
};

std::optional<Options> parseOptions(Args args, std::ostream &err)
{
    Options o;
    auto usageError = [&](const std::string &message) -> std::optional<Options> {
        err << "pulsectl parse-log: " << message << '\n' << kUsage;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--count") {
            o.count = true;
        } else if (a == "--single-line") {
            o.multiline.enabled = false;
        } else if (a == "--pattern" || a == "--start-pattern") {
            if (i + 1 >= args.size())
                return usageError(a + " needs a value");
            (a == "--pattern" ? o.pattern : o.multiline.startPattern) = args[++i];
        } else if (a == "--format") {
            if (i + 1 >= args.size())
                return usageError("--format needs a value");
            o.format = parseLogFormat(args[++i]);
            if (!o.format) {
                std::string known;
                for (auto name : logFormatNames())
                    known += (known.empty() ? "" : ", ") + std::string(name);
                return usageError("unknown format '" + args[i] + "' (" + known + ")");
            }
        } else if ((a.starts_with('-') && a != "-") || !o.path.empty()) {
            return usageError("unexpected argument '" + a + "'");
        } else {
            o.path = a;
        }
    }
    if (o.help)
        return o;
    if (!o.format)
        return usageError("--format is required");
    if (o.path.empty())
        return usageError("name a FILE, or - for standard input");
    if (auto parser = LogLineParser::create(*o.format, o.pattern); !parser)
        return usageError(parser.error().message);
    if (auto joiner = MultilineJoiner::create(o.multiline); !joiner)
        return usageError(joiner.error().message);
    return o;
}

/// Counts are what --count prints.
struct Counts {
    std::uint64_t records = 0;
    std::array<std::uint64_t, 7> levels{};
    std::map<char, std::uint64_t> statusClasses;

    void add(const LogRecord &r)
    {
        ++records;
        ++levels[static_cast<std::size_t>(r.level)];
        const std::string_view status = r.field("status");
        if (status.size() == 3 && status[0] >= '1' && status[0] <= '9')
            ++statusClasses[status[0]];
    }

    void print(std::ostream &out) const
    {
        out << records << " records\n";
        for (std::size_t i = levels.size(); i-- > 0;)
            if (levels[i] != 0)
                out << "level " << logLevelName(static_cast<LogLevel>(i)) << ' ' << levels[i] << '\n';
        for (const auto &[digit, n] : statusClasses)
            out << "status " << digit << "xx " << n << '\n';
    }

    void merge(const Counts &other)
    {
        records += other.records;
        for (std::size_t i = 0; i < levels.size(); ++i)
            levels[i] += other.levels[i];
        for (const auto &[digit, n] : other.statusClasses)
            statusClasses[digit] += n;
    }
};

/// Pass parses consecutive bytes of the input that begin at a record boundary (the start of the
/// input, or a line that starts a record): its own line buffer, joiner and parser, so passes over
/// different pieces run on different threads and give what one pass over the whole would.
class Pass {
public:
    Pass(const Options &options, const LogLineContext &context, std::uint64_t offset)
        : m_options(options), m_context(context), m_parser(*LogLineParser::create(*options.format, options.pattern)),
          m_joiner(*MultilineJoiner::create(options.multiline)), m_buffer(kMaxLineBytes)
    {
        m_buffer.reset(offset);
    }

    /// feed parses data, which continues the bytes fed before.
    void feed(std::string_view data)
    {
        while (!data.empty()) {
            m_lines.clear();
            data.remove_prefix(m_buffer.feed(data, m_lines, 4096));
            m_records.clear();
            for (TailLine &line : m_lines)
                m_joiner.push(std::move(line), 0, m_records);
            for (const TailLine &record : m_records)
                handle(record);
        }
    }

    /// finish completes what is held: the next byte starts a record, or the input ended (a last line
    /// without its newline is still a line).
    void finish()
    {
        m_records.clear();
        if (auto last = m_buffer.flush())
            m_joiner.push(std::move(*last), 0, m_records);
        if (auto held = m_joiner.flush())
            m_records.push_back(std::move(*held));
        for (const TailLine &record : m_records)
            handle(record);
    }

    /// printed is the JSON of the records parsed so far (the caller writes and clears it).
    std::string printed;
    Counts counts;

private:
    void handle(const TailLine &line)
    {
        LogLineContext at = m_context;
        at.offset = line.offset;
        LogRecord record = m_parser.parse(line.bytes, at);
        record.truncated = line.truncated;
        if (m_options.count) {
            counts.add(record);
            return;
        }
        appendLogJson(printed, record);
        printed += '\n';
    }

    const Options &m_options;
    LogLineContext m_context;
    LogLineParser m_parser;
    MultilineJoiner m_joiner;
    LogTailerLineBuffer m_buffer;
    std::vector<TailLine> m_lines;
    std::vector<TailLine> m_records;
};

/// Boundaries finds where the input may be cut into independent pieces: just after a '\n', before a
/// line that starts a record. The line is judged as the line buffer will emit it: up to its first CR
/// or LF, at most kMaxLineBytes; only once that much of it has been read (or the input ended).
class Boundaries {
public:
    explicit Boundaries(const MultilineJoiner &joiner) : m_joiner(joiner) {}

    /// isBoundary says whether pos (just after a '\n' in data) is a boundary. eof: data is all there is.
    bool isBoundary(std::string_view data, std::size_t pos, bool eof) const
    {
        const std::size_t limit = std::min(data.size(), pos + kMaxLineBytes + 1);
        std::size_t end = pos;
        while (end < limit && data[end] != '\n' && data[end] != '\r')
            ++end;
        if (end == limit && limit == data.size() && !eof && end - pos <= kMaxLineBytes)
            return false; // the line is not all there yet
        return m_joiner.startsRecord(data.substr(pos, std::min(end - pos, kMaxLineBytes)));
    }

    /// firstAfter is the first boundary at or after from (0 < from), or npos.
    std::size_t firstAfter(std::string_view data, std::size_t from, bool eof) const
    {
        for (std::size_t nl = data.find('\n', from - 1); nl != std::string_view::npos && nl + 1 < data.size();
             nl = data.find('\n', nl + 1)) {
            if (isBoundary(data, nl + 1, eof))
                return nl + 1;
        }
        return std::string_view::npos;
    }

    /// last is the last boundary in data after 0, or npos.
    std::size_t last(std::string_view data, bool eof) const
    {
        std::size_t nl = data.size();
        while (nl > 1) {
            nl = data.rfind('\n', nl - 2);
            if (nl == std::string_view::npos)
                break;
            if (nl + 1 < data.size() && isBoundary(data, nl + 1, eof))
                return nl + 1;
        }
        return std::string_view::npos;
    }

private:
    const MultilineJoiner &m_joiner;
};

// kPieceBytes is what one thread parses at a time; kMaxCarryBytes is how much input is held while
// waiting for a record boundary before parsing it on one thread instead.
constexpr std::size_t kPieceBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxCarryBytes = std::size_t{32} << 20;

/// parsePieces parses data (at a record boundary) cut into up to threads pieces at boundaries, in
/// parallel, and writes their output in order. Returns the end of the last piece parsed: data up to
/// the last boundary, or all of it at the end of the input.
std::size_t parsePieces(std::string_view data, std::uint64_t offset, bool eof, const Boundaries &boundaries,
                        const Options &options, const LogLineContext &context, unsigned threads, Counts &counts,
                        std::ostream &out)
{
    const std::size_t end = eof ? data.size() : boundaries.last(data, eof);
    if (end == std::string_view::npos)
        return 0;
    std::vector<std::size_t> cuts{0};
    for (unsigned i = 1; i < threads; ++i) {
        const std::size_t nominal = std::max(cuts.back() + 1, end / threads * i);
        if (nominal >= end)
            break;
        const std::size_t cut = boundaries.firstAfter(data.substr(0, end), nominal, true);
        if (cut == std::string_view::npos || cut >= end)
            break;
        cuts.push_back(cut);
    }
    cuts.push_back(end);
    std::vector<Pass> passes;
    passes.reserve(cuts.size() - 1);
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
        passes.emplace_back(options, context, offset + cuts[i]);
    auto run = [&](std::size_t i) {
        passes[i].feed(data.substr(cuts[i], cuts[i + 1] - cuts[i]));
        passes[i].finish();
    };
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < passes.size(); ++i)
        workers.emplace_back(run, i);
    run(0);
    for (std::thread &worker : workers)
        worker.join();
    for (Pass &pass : passes) {
        out << pass.printed;
        counts.merge(pass.counts);
    }
    return end;
}

/// readSome appends up to want bytes of fd to buffer; false on a read error (errno set).
bool readSome(int fd, std::string &buffer, std::size_t want, bool &eof)
{
    const std::size_t old = buffer.size();
    buffer.resize(old + want);
    std::size_t got = 0;
    while (got < want) {
        const ssize_t n = ::read(fd, buffer.data() + old + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            buffer.resize(old + got);
            return false;
        }
        if (n == 0) {
            eof = true;
            break;
        }
        got += std::size_t(n);
    }
    buffer.resize(old + got);
    return true;
}

} // namespace

int cmdParseLog(Args args, std::ostream &out, std::ostream &err)
{
    auto options = parseOptions(args, err);
    if (!options)
        return kExitUsage;
    if (options->help) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    const bool stdinInput = options->path == "-";
    const int fd = stdinInput ? STDIN_FILENO : ::open(options->path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err << "pulsectl parse-log: " << options->path << ": " << std::strerror(errno) << '\n';
        return kExitFailed;
    }
    struct stat st {};
    if (!stdinInput && ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        err << "pulsectl parse-log: " << options->path << ": is a directory\n";
        return kExitFailed;
    }
    // The input is parsed in rounds of a piece a thread, cut where a record starts (Boundaries), so
    // the records and counts are those of one pass. Input with no boundary for kMaxCarryBytes (one
    // endless record of continuation lines) is parsed by one pass until a boundary comes.
    const LogLineContext context{"", QDateTime::currentMSecsSinceEpoch(), 0};
    const MultilineJoiner joiner = *MultilineJoiner::create(options->multiline);
    const Boundaries boundaries(joiner);
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    Counts counts;
    std::string pending;
    std::uint64_t pendingOffset = 0;
    std::optional<Pass> serial;
    bool eof = false;
    int status = kExitOk;
    while (!eof) {
        if (!readSome(fd, pending, kPieceBytes * threads, eof)) {
            err << "pulsectl parse-log: " << options->path << ": read failed: " << std::strerror(errno) << '\n';
            status = kExitFailed;
            eof = true; // what was read is still parsed
        }
        std::string_view data = pending;
        std::size_t used = 0;
        if (serial) {
            const std::size_t cut = data.empty() ? 0 : boundaries.firstAfter(data, 1, eof);
            used = cut == std::string_view::npos ? data.size() : cut;
            serial->feed(data.substr(0, used));
            if (cut != std::string_view::npos || eof) {
                serial->finish();
                counts.merge(serial->counts);
            }
            out << serial->printed;
            serial->printed.clear();
            if (cut != std::string_view::npos || eof)
                serial.reset();
        }
        if (!serial) {
            used += parsePieces(data.substr(used), pendingOffset + used, eof, boundaries, *options, context, threads,
                                counts, out);
            if (!eof && pending.size() - used > kMaxCarryBytes) {
                serial.emplace(*options, context, pendingOffset + used);
                serial->feed(data.substr(used));
                out << serial->printed;
                serial->printed.clear();
                used = pending.size();
            }
        }
        pending.erase(0, used);
        pendingOffset += used;
    }
    if (!stdinInput)
        ::close(fd);
    if (options->count)
        counts.print(out);
    out.flush();
    return out ? status : kExitFailed;
}

} // namespace pulse::cli
