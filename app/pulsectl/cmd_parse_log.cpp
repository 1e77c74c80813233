// pulsectl parse-log: parses a log file (or standard input) as a log target of that format would,
// and prints each record as JSON, or counts them. Streams: memory stays at a chunk and a line
// whatever the file's size.
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

#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <ostream>

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

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
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
};

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
    const LogLineContext context{"", QDateTime::currentMSecsSinceEpoch(), 0};
    const LogLineParser parser = *LogLineParser::create(*options->format, options->pattern);
    MultilineJoiner joiner = *MultilineJoiner::create(options->multiline);
    LogTailerLineBuffer buffer(kMaxLineBytes);
    std::vector<TailLine> lines;
    std::vector<TailLine> records;
    std::string chunk(kChunkBytes, '\0');
    std::string printed;
    Counts counts;
    auto handle = [&](const TailLine &line) {
        LogLineContext at = context;
        at.offset = line.offset;
        LogRecord record = parser.parse(line.bytes, at);
        record.truncated = line.truncated;
        if (options->count) {
            counts.add(record);
            return;
        }
        appendLogJson(printed, record);
        printed += '\n';
    };
    int status = kExitOk;
    for (;;) {
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err << "pulsectl parse-log: " << options->path << ": read failed: " << std::strerror(errno) << '\n';
            status = kExitFailed;
            break;
        }
        if (n == 0)
            break;
        std::string_view data(chunk.data(), static_cast<std::size_t>(n));
        while (!data.empty()) {
            lines.clear();
            data.remove_prefix(buffer.feed(data, lines, 4096));
            records.clear();
            for (TailLine &line : lines)
                joiner.push(std::move(line), 0, records);
            for (const TailLine &record : records)
                handle(record);
            out << printed;
            printed.clear();
        }
    }
    records.clear();
    if (auto last = buffer.flush())
        joiner.push(std::move(*last), 0, records); // a last line without its newline is still a line
    if (auto held = joiner.flush())
        records.push_back(std::move(*held));
    for (const TailLine &record : records)
        handle(record);
    out << printed;
    if (!stdinInput)
        ::close(fd);
    if (options->count)
        counts.print(out);
    out.flush();
    return out ? status : kExitFailed;
}

} // namespace pulse::cli
