// pulsectl alerts: the alert instances a history database holds (from the ALERTS series the rules
// write), as text or JSON lines — what fired, when, for how long, and whether it still does.
#include "app/pulsectl/command.h"

#include "app/pulsectl/api_time.h"
#include "app/pulsectl/log_printer.h"
#include "core/alerting/alert_history.h"
#include "core/base/text_encoding.h"
#include "storage/sqlite_history.h"

#include <QDateTime>

#include <optional>
#include <ostream>
#include <string>

namespace pulse::cli {

namespace {

constexpr const char *kUsage =
    "usage: pulsectl alerts --db DB [--state firing|pending|resolved] [--since 24h | --start T --end T] [--json]\n";

constexpr const char *kHelp =
    "\n"
    "Lists every alert instance of DB's history that was active in the range, oldest first: when it\n"
    "became active (pending), fired and resolved, and for how long it fired. One line each, or with\n"
    "--json one object a line:\n"
    "  {\"alertname\":\"ApiDown\",\"state\":\"resolved\",\"labels\":{...},\"active_at\":\"2026-12-07T03:12:00.000Z\",\n"
    "   \"fired_at\":\"...\",\"resolved_at\":\"...\",\"firing_seconds\":95,\"end_known\":true}\n"
    "fired_at and resolved_at are null when it has not; end_known is false when Pulseboard stopped\n"
    "while the alert was active (resolved_at is then the last evaluation that saw it).\n"
    "\n"
    "  --db DB      the history database (storage.path of the app or of 'pulsectl run')\n"
    "  --state S    only instances in this state now: firing, pending or resolved\n"
    "  --since D    the last D (24h by default); or --start/--end T as Unix seconds or RFC 3339\n"
    "  --json       JSON lines instead of text\n"
    "\n"
    "Exit status: 0 printed (perhaps nothing), 1 database error, 2 bad usage.\n";

struct Options {
    std::string db;
    std::optional<std::string> state;
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    bool json = false;
    bool help = false;
};

std::optional<Options> parseOptions(Args args, std::ostream &err)
{
    Options o;
    std::optional<std::string> since, start, end;
    auto usageError = [&](const std::string &message) -> std::optional<Options> {
        err << "pulsectl alerts: " << message << '\n' << kUsage;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--db" || a == "--state" || a == "--since" || a == "--start" || a == "--end") {
            if (i + 1 >= args.size())
                return usageError(a + " needs a value");
            const std::string &v = args[++i];
            if (a == "--db")
                o.db = v;
            else if (a == "--state") {
                if (v != "firing" && v != "pending" && v != "resolved")
                    return usageError("unknown state '" + v + "' (firing, pending or resolved)");
                o.state = v;
            } else if (a == "--since")
                since = v;
            else if (a == "--start")
                start = v;
            else
                end = v;
        } else {
            return usageError("unexpected argument '" + a + "'");
        }
    }
    if (o.help)
        return o;
    if (o.db.empty())
        return usageError("--db is required");
    // The last 24 hours unless told otherwise.
    o.toMs = QDateTime::currentMSecsSinceEpoch();
    o.fromMs = o.toMs - 24LL * 3600 * 1000;
    if (auto problem = applyTimeRange({since, start, end}, o.toMs, o.fromMs, o.toMs))
        return usageError(*problem);
    return o;
}

void appendTime(std::string &out, std::int64_t ms)
{
    if (ms == 0) {
        out += "null";
        return;
    }
    out += '"' + rfc3339Ms(ms) + '"';
}

std::int64_t firingSeconds(const AlertInstance &a, std::int64_t nowMs)
{
    if (a.firedAtMs == 0)
        return 0;
    return ((a.endedAtMs != 0 ? a.endedAtMs : nowMs) - a.firedAtMs) / 1000;
}

void appendJson(std::string &out, const AlertInstance &a, std::int64_t nowMs)
{
    out += R"({"alertname":)";
    appendJsonString(out, a.alertname);
    out += R"(,"state":")" + a.state() + R"(","labels":)";
    appendJsonObject(out, a.labels);
    out += R"(,"active_at":)";
    appendTime(out, a.activeAtMs);
    out += R"(,"fired_at":)";
    appendTime(out, a.firedAtMs);
    out += R"(,"resolved_at":)";
    appendTime(out, a.endedAtMs);
    out += R"(,"firing_seconds":)" + std::to_string(firingSeconds(a, nowMs));
    out += R"(,"end_known":)";
    out += a.endKnown ? "true" : "false";
    out += "}\n";
}

void appendText(std::string &out, const AlertInstance &a, std::int64_t nowMs)
{
    out += rfc3339Ms(a.activeAtMs) + "  " + a.state() + std::string(10 - a.state().size(), ' ');
    out += a.firedAtMs != 0 ? "fired " + rfc3339Ms(a.firedAtMs) : std::string("not fired");
    if (a.endedAtMs != 0)
        out += std::string(a.endKnown ? "  resolved " : "  last seen ") + rfc3339Ms(a.endedAtMs);
    out += "  (" + std::to_string(firingSeconds(a, nowMs)) + " s firing)  ";
    appendTerminalSafe(out, a.labels.toString()); // label values are a target's: never raw to a terminal
    out += '\n';
}

} // namespace

int cmdAlerts(Args args, std::ostream &out, std::ostream &err)
{
    auto options = parseOptions(args, err);
    if (!options)
        return kExitUsage;
    if (options->help) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    auto history = storage::SqliteHistory::open(options->db);
    if (!history) {
        err << "pulsectl alerts: " << history.error().message << '\n';
        return kExitFailed;
    }
    const LabelMatcher alerts{"__name__", LabelMatcher::Op::Equal, "ALERTS"};
    auto series = (*history)->select({&alerts, 1}, options->fromMs, options->toMs);
    if (!series) {
        err << "pulsectl alerts: " << series.error().message << '\n';
        return kExitFailed;
    }
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    std::string text;
    for (const AlertInstance &a : alertHistory(*series, std::min(now, options->toMs))) {
        if (options->state && a.state() != *options->state)
            continue;
        if (options->json)
            appendJson(text, a, now);
        else
            appendText(text, a, now);
    }
    out << text;
    out.flush();
    return out ? kExitOk : kExitFailed;
}

} // namespace pulse::cli
