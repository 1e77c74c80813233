// pulsectl parse-log: parses a log file (or standard input) as a log target of that format would,
// and prints each record as JSON, or counts them. Streams: memory stays at a few pieces of input
// whatever the file's size; the pieces are parsed in parallel (LogPieces).
#include "app/pulsectl/command.h"

#include "app/pulsectl/log_pieces.h"
#include "collectors/multiline_joiner.h"
#include "core/logs/log_format.h"
#include "core/logs/log_line_parser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

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

struct Options {
    std::optional<LogFormat> format;
    std::string pattern;
    MultilineOptions multiline{true, {}};
    std::string path;
    bool count = false;
    bool help = false;
};

std::optional<Options> parseOptions(Args args, std::ostream &err, LinePatternCompiler compile)
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
    if (auto parser = LogLineParser::create(*o.format, o.pattern, compile); !parser)
        return usageError(parser.error().message);
    if (auto joiner = MultilineJoiner::create(o.multiline, compile); !joiner)
        return usageError(joiner.error().message);
    return o;
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

int cmdParseLog(Args args, std::ostream &out, std::ostream &err, LinePatternCompiler compile)
{
    auto options = parseOptions(args, err, compile);
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
    LogParseSetup setup;
    setup.format = *options->format;
    setup.pattern = options->pattern;
    setup.multiline = options->multiline;
    setup.count = options->count;
    setup.compile = compile;
    setup.readTimeMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    LogPieces pieces(setup, threads, out);
    std::string pending;
    bool eof = false;
    int status = kExitOk;
    while (!eof) {
        if (!readSome(fd, pending, LogPieces::kPieceBytes, eof)) {
            err << "pulsectl parse-log: " << options->path << ": read failed: " << std::strerror(errno) << '\n';
            status = kExitFailed;
            eof = true; // what was read is still parsed
        }
        pieces.feed(pending, eof);
    }
    pieces.finish();
    if (!stdinInput)
        ::close(fd);
    if (options->count)
        pieces.counts().print(out);
    out.flush();
    return out ? status : kExitFailed;
}

} // namespace pulse::cli
