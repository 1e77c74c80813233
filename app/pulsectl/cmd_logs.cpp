// pulsectl logs: reads the log records a history database holds (the app's, or `pulsectl run`'s),
// filtered as the log view filters them, oldest first.
#include "app/pulsectl/command.h"

#include "app/pulsectl/api_time.h"
#include "app/pulsectl/log_printer.h"
#include "storage/sqlite_log_reader.h"

#include <QDateTime>

#include <optional>
#include <ostream>

namespace pulse::cli {

namespace {

constexpr const char *kUsage = "usage: pulsectl logs --db DB [--target T]... [--since 1h | --start T --end T] "
                               "[--level warn] [--search Q] [--json]\n";

constexpr const char *kHelp =
    "\n"
    "Prints the log records stored in DB, oldest first: one line each (time, target, level, the line\n"
    "as read, control bytes as \\xHH), or with --json one object a line:\n"
    "  {\"time\":\"2026-12-07T03:12:00.123Z\",\"target\":\"api-log\",\"file\":\"/var/log/api.log\",\"offset\":4096,\n"
    "   \"level\":\"error\",\"message\":\"...\",\"fields\":{\"status\":500},\"raw\":\"...\"}\n"
    "\n"
    "  --db DB        the history database (storage.path of the app or of 'pulsectl run')\n"
    "  --target T     only this log target (repeat for several)\n"
    "  --since D      the last D (1h, 30m, 7d); or --start/--end T as Unix seconds or RFC 3339\n"
    "  --level L      this level and above: trace, debug, info, warn, error, fatal\n"
    "  --search Q     words (all of them), OR, NOT or -word, \"a phrase\", (groups), matched as\n"
    "                 case-insensitive substrings; or /a regular expression/ (as the log view)\n"
    "  --json         JSON lines instead of text\n"
    "\n"
    "Exit status: 0 printed (perhaps nothing), 1 database error, 2 bad usage.\n";

struct Options {
    std::string db;
    LogQuery query;
    bool json = false;
    bool help = false;
};

std::optional<Options> parseOptions(Args args, std::ostream &err)
{
    Options o;
    o.query.limit = 0;
    o.query.keepNewest = false;
    std::optional<std::string> since, start, end;
    auto usageError = [&](const std::string &message) -> std::optional<Options> {
        err << "pulsectl logs: " << message << '\n' << kUsage;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--db" || a == "--target" || a == "--since" || a == "--start" || a == "--end" ||
                   a == "--level" || a == "--search") {
            auto v = value();
            if (!v)
                return usageError(a + " needs a value");
            if (a == "--db")
                o.db = *v;
            else if (a == "--target")
                o.query.targets.push_back(*v);
            else if (a == "--since")
                since = *v;
            else if (a == "--start")
                start = *v;
            else if (a == "--end")
                end = *v;
            else if (a == "--level") {
                o.query.minLevel = parseLogLevel(*v);
                if (o.query.minLevel == LogLevel::Unknown)
                    return usageError("unknown level '" + *v + "' (trace, debug, info, warn, error, fatal)");
            } else {
                const LogQueryText text = parseLogSearchText(*v);
                o.query.text = text.text;
                o.query.regex = text.regex;
            }
        } else {
            return usageError("unexpected argument '" + a + "'");
        }
    }
    if (o.help)
        return o;
    if (o.db.empty())
        return usageError("--db is required");
    if (auto problem = applyTimeRange({since, start, end}, QDateTime::currentMSecsSinceEpoch(), o.query.fromMs,
                                      o.query.toMs))
        return usageError(*problem);
    return o;
}

} // namespace

int cmdLogs(Args args, std::ostream &out, std::ostream &err)
{
    auto options = parseOptions(args, err);
    if (!options)
        return kExitUsage;
    if (options->help) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    auto reader = storage::SqliteLogReader::open(options->db);
    if (!reader) {
        err << "pulsectl logs: " << reader.error().message << '\n';
        return kExitFailed;
    }
    auto records = (*reader)->query(options->query);
    if (!records) {
        err << "pulsectl logs: " << records.error().message << '\n';
        return records.error().message.find("regular expression") != std::string::npos ? kExitUsage : kExitFailed;
    }
    std::string line;
    const LogJsonParts parts{true, true, true};
    for (const LogRecord &r : *records) {
        line.clear();
        if (options->json)
            appendLogJson(line, r, parts);
        else
            appendLogLine(line, r);
        line += '\n';
        out << line;
    }
    out.flush();
    return out ? kExitOk : kExitFailed;
}

} // namespace pulse::cli
