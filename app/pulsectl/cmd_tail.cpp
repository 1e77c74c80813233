// pulsectl tail: follows log files exactly as log targets do (collectors/log_collector.h: rotation,
// truncation, partial lines, positions) and prints each record as a JSON line as it arrives.
//
//   start ──files named──> following ──SIGTERM / SIGINT / --for elapsed──> stopping ──> exit 0
//
// With --state DB, positions are resumed from and saved to DB (a history file; only positions are
// written): a later run prints what was appended meanwhile, and nothing it printed before — unless
// it was stopped between printing a line and saving its position (at least once, never lost).
#include "app/pulsectl/command.h"

#include "app/pulsectl/log_printer.h"
#include "collectors/log_collector.h"
#include "core/base/duration.h"
#include "core/logs/log_format.h"
#include "core/logs/log_line_parser.h"
#include "storage/sample_writer.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>

namespace pulse::cli {

namespace {

constexpr const char *kUsage =
    "usage: pulsectl tail --format F [--pattern RE] [--state DB] [--for 30s] [--from-start] PATH|GLOB...\n";

constexpr const char *kHelp =
    "\n"
    "Follows each file as a log target does (rename and copytruncate rotation, a file that does not\n"
    "exist yet, partial lines) and prints one JSON object a record as it arrives:\n"
    "  {\"time\":\"...\",\"file\":\"/var/log/app.log\",\"offset\":4096,\"level\":\"info\",\"message\":\"...\",\"fields\":{}}\n"
    "A file that is missing or unreadable is a status on stderr ('waiting for FILE'), not an exit.\n"
    "\n"
    "  --format F      nginx_combined, json_lines, syslog, plain, logfmt or regex\n"
    "  --pattern RE    the regex format's pattern: named groups time, level, message, others fields\n"
    "  --state DB      resume from, and save, the files' positions in DB\n"
    "  --for D         stop after D (30s, 5m); default: until SIGTERM or SIGINT\n"
    "  --from-start    read a file not in --state from its start (default: from its end, as tail -f)\n"
    "  PATH|GLOB       files; a glob is expanded again every second, and a file that comes to match\n"
    "                  it is read from its start\n"
    "\n"
    "Exit status: 0 stopped, 1 the state database failed, 2 bad usage.\n";

int g_stopPipe[2] = {-1, -1};

void onStopSignal(int)
{
    const char byte = 1;
    if (g_stopPipe[1] >= 0) {
        [[maybe_unused]] const ssize_t n = ::write(g_stopPipe[1], &byte, 1);
    }
}

struct Options {
    std::optional<LogFormat> format;
    std::string pattern;
    std::optional<std::string> state;
    std::optional<Duration> runFor;
    bool fromStart = false;
    bool help = false;
    std::vector<std::string> paths;
};

std::optional<Options> parseOptions(Args args, std::ostream &err)
{
    Options o;
    auto usageError = [&](const std::string &message) -> std::optional<Options> {
        err << "pulsectl tail: " << message << '\n' << kUsage;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        const bool takesValue = a == "--format" || a == "--pattern" || a == "--state" || a == "--for";
        if (takesValue && i + 1 >= args.size())
            return usageError(a + " needs a value");
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--from-start") {
            o.fromStart = true;
        } else if (a == "--format") {
            o.format = parseLogFormat(args[++i]);
            if (!o.format)
                return usageError("unknown format '" + args[i] + "' (nginx_combined, json_lines, syslog, plain, logfmt, regex)");
        } else if (a == "--pattern") {
            o.pattern = args[++i];
        } else if (a == "--state") {
            o.state = args[++i];
        } else if (a == "--for") {
            auto d = parseDuration(args[++i]);
            if (!d)
                return usageError("--for: " + d.error().message);
            o.runFor = *d;
        } else if (a.starts_with('-')) {
            return usageError("unexpected argument '" + a + "'");
        } else {
            o.paths.push_back(a);
        }
    }
    if (o.help)
        return o;
    if (!o.format)
        return usageError("--format is required");
    if (o.paths.empty())
        return usageError("name at least one file");
    if (auto parser = LogLineParser::create(*o.format, o.pattern); !parser)
        return usageError(parser.error().message);
    return o;
}

/// Printer prints records as they arrive (tailers call it from the collector's thread) and hands
/// the positions after them to the state database, if any.
class Printer final : public LogSink {
public:
    Printer(std::ostream &out, LogSink *state) : m_out(out), m_state(state) {}
    void append(LogBatch batch) override
    {
        std::string text;
        for (const LogRecord &r : batch.records) {
            appendLogJson(text, r, LogJsonParts{false, true, false});
            text += '\n';
        }
        {
            std::lock_guard lock(m_mutex);
            m_out << text;
            m_out.flush();
        }
        if (m_state && !batch.checkpoints.empty())
            m_state->append(LogBatch{{}, std::move(batch.checkpoints)});
    }
    bool hasRoom() const override { return !m_state || m_state->hasRoom(); }

private:
    std::ostream &m_out;
    LogSink *m_state;
    std::mutex m_mutex;
};

} // namespace

int cmdTail(Args args, std::ostream &out, std::ostream &err)
{
    auto options = parseOptions(args, err);
    if (!options)
        return kExitUsage;
    if (options->help) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    std::unique_ptr<storage::SampleWriter> state;
    if (options->state) {
        auto opened = storage::SampleWriter::open(*options->state);
        if (!opened) {
            err << "pulsectl tail: " << opened.error().message << '\n';
            return kExitFailed;
        }
        state = std::move(*opened);
    }
    std::vector<TargetConfig> targets;
    for (const std::string &path : options->paths) {
        LogOptions log;
        log.path = path;
        log.format = *options->format;
        log.pattern = options->pattern;
        log.startAtBeginning = options->fromStart;
        TargetConfig t{log};
        t.name = path; // one target a path or glob: positions are saved under it and each file's path
        if (std::find_if(targets.begin(), targets.end(), [&](const TargetConfig &o) { return o.name == path; }) ==
            targets.end())
            targets.push_back(std::move(t));
    }
    if (::pipe2(g_stopPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        err << "pulsectl tail: cannot make a pipe\n";
        return kExitFailed;
    }
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    struct sigaction oldTerm {};
    struct sigaction oldInt {};
    sigaction(SIGTERM, &action, &oldTerm);
    sigaction(SIGINT, &action, &oldInt);

    SystemClock clock;
    Printer printer(out, state.get());
    LogCollector collector(printer, clock);
    std::mutex statusMutex;
    std::map<std::string, std::string> lastStatus; // per file: what stderr said last
    collector.setStatusCallback([&](const TargetStatus &s) {
        const std::string said = s.lastError.empty() ? "reading " + s.name : "waiting for " + s.name + " (" + s.lastError + ")";
        std::lock_guard lock(statusMutex);
        std::string &last = lastStatus[s.name];
        if (last == said || (last.empty() && s.lastError.empty()))
            return; // say only what changed; a file read at once needs no word
        last = said;
        err << "pulsectl tail: " << said << '\n';
    });
    collector.start(targets, state ? state->savedLogCheckpoints() : std::vector<LogCheckpoint>{});
    pollfd stop{g_stopPipe[0], POLLIN, 0};
    const int timeoutMs = options->runFor ? static_cast<int>(std::min<std::int64_t>(options->runFor->count(), INT32_MAX)) : -1;
    while (::poll(&stop, 1, timeoutMs) < 0 && errno == EINTR) {
    }
    // The default handlers again before the pipe goes: a second Ctrl-C during a slow stop still stops.
    sigaction(SIGTERM, &oldTerm, nullptr);
    sigaction(SIGINT, &oldInt, nullptr);
    collector.stop();
    int status = kExitOk;
    if (state) {
        state->stop(); // commits the last positions
        if (!state->status().ok) {
            err << "pulsectl tail: saving positions failed: " << state->status().error << '\n';
            status = kExitFailed;
        }
    }
    for (int &fd : g_stopPipe) {
        ::close(fd);
        fd = -1;
    }
    return status;
}

} // namespace pulse::cli
