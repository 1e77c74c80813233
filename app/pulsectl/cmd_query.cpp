// pulsectl query: evaluates PromQL over a history database and prints the answer in the JSON shape
// of Prometheus's HTTP API (/api/v1/query and /api/v1/query_range), so tools and tests can compare
// both byte for byte.
#include "app/pulsectl/command.h"

#include "app/pulsectl/api_time.h"
#include "core/base/duration.h"
#include "core/base/text_encoding.h"
#include "core/promql/engine.h"
#include "storage/sqlite_history.h"

#include <QDateTime>
#include <QString>

#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>
#include <ostream>
#include <string>

namespace pulse::cli {

namespace {

constexpr const char *kUsage = "usage: pulsectl query --db DB [--time T | --start T --end T --step S] [--raw] 'EXPR'\n";

constexpr const char *kHelp =
    "\n"
    "Evaluates a PromQL expression over the history in DB and prints Prometheus's HTTP API answer:\n"
    "  {\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[...]}}\n"
    "Failures print {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"...\"} and exit 1.\n"
    "\n"
    "  --db DB         the history database (written by the app or 'pulsectl import')\n"
    "  --time T        instant query at T (default: now)\n"
    "  --start/--end T range query bounds; T is Unix seconds (1700000000.5) or RFC 3339\n"
    "  --step S        range query step: a duration (15s, 1m) or seconds (15)\n"
    "  --raw           always read raw samples; by default steps of 1m or more read the 1-minute\n"
    "                  rollups and steps of 1h or more the 1-hour rollups\n"
    "\n"
    "Exit status: 0 answered, 1 query or database error, 2 bad usage.\n";

struct Options {
    std::string db, expr;
    std::optional<std::string> time, start, end, step;
    bool raw = false;
    bool help = false;
};

std::optional<std::int64_t> parseStep(const std::string &text)
{
    double seconds = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(seconds))
        return static_cast<std::int64_t>(std::round(seconds * 1000));
    auto d = parseDuration(text);
    if (!d)
        return std::nullopt;
    return d->count();
}

// appendNumber writes a finite double as Go's strconv.AppendFloat(v, 'f' or 'e', -1) does: the
// shortest text that reads back exactly, in exponent form below 1e-6 and from 1e21 on.
void appendNumber(std::string &out, double v)
{
    const double a = std::fabs(v);
    const auto format = (a != 0 && (a < 1e-6 || a >= 1e21)) ? std::chars_format::scientific : std::chars_format::fixed;
    char buf[400];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, format);
    out.append(buf, ec == std::errc() ? end : buf);
}

// appendValue writes a sample value as a JSON string the way Prometheus does: Go's shortest 'f'
// format, or 'e' below 1e-6 and from 1e21 on; NaN, +Inf, -Inf spelled out.
void appendValue(std::string &out, double v)
{
    out += '"';
    if (std::isnan(v))
        out += "NaN";
    else if (std::isinf(v))
        out += v > 0 ? "+Inf" : "-Inf";
    else
        appendNumber(out, v);
    out += '"';
}

// appendTimestamp writes milliseconds as seconds the way Prometheus's API does (jsoniter's
// WriteFloat64 of ms / 1000): 1717200000250 is 1717200000.25, 1717200000000 is 1717200000.
void appendTimestamp(std::string &out, std::int64_t ms)
{
    appendNumber(out, static_cast<double>(ms) / 1000);
}

void appendMetric(std::string &out, const std::string &name, const Labels &labels)
{
    Labels all = labels;
    if (!name.empty())
        all.set("__name__", name);
    out += '{';
    bool first = true;
    for (const Label &l : all) {
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, l.name);
        out += ':';
        appendJsonString(out, l.value);
    }
    out += '}';
}

void appendPoint(std::string &out, std::int64_t ms, double v)
{
    out += '[';
    appendTimestamp(out, ms);
    out += ',';
    appendValue(out, v);
    out += ']';
}

std::string toJson(const promql::QueryResult &r)
{
    std::string out = R"({"status":"success","data":{"resultType":")";
    switch (r.type) {
    case promql::QueryResult::Type::Scalar:
        out += R"(scalar","result":)";
        appendPoint(out, r.timestampMs, r.scalar);
        break;
    case promql::QueryResult::Type::String:
        out += R"(string","result":[)";
        appendTimestamp(out, r.timestampMs);
        out += ',';
        appendJsonString(out, r.string);
        out += ']';
        break;
    case promql::QueryResult::Type::Vector:
        out += R"(vector","result":[)";
        for (std::size_t i = 0; i < r.vector.size(); ++i) {
            const promql::Sample &s = r.vector[i];
            out += i ? R"(,{"metric":)" : R"({"metric":)";
            appendMetric(out, s.metric, s.labels);
            out += R"(,"value":)";
            appendPoint(out, s.timestampMs, s.value);
            out += '}';
        }
        out += ']';
        break;
    case promql::QueryResult::Type::Matrix:
        out += R"(matrix","result":[)";
        for (std::size_t i = 0; i < r.matrix.size(); ++i) {
            const promql::Series &s = r.matrix[i];
            out += i ? R"(,{"metric":)" : R"({"metric":)";
            appendMetric(out, s.metric, s.labels);
            out += R"(,"values":[)";
            for (std::size_t j = 0; j < s.points.size(); ++j) {
                if (j)
                    out += ',';
                appendPoint(out, s.points[j].timestampMs, s.points[j].value);
            }
            out += "]}";
        }
        out += ']';
        break;
    }
    out += "}}";
    return out;
}

int printError(std::ostream &out, std::string_view type, std::string_view message)
{
    std::string json = R"({"status":"error","errorType":)";
    appendJsonString(json, type);
    json += R"(,"error":)";
    appendJsonString(json, message);
    json += '}';
    out << json << '\n';
    return kExitFailed;
}

std::optional<Options> parseOptions(Args args, std::ostream &err)
{
    Options o;
    bool haveExpr = false;
    auto usageError = [&](const std::string &message) -> std::optional<Options> {
        err << "pulsectl query: " << message << '\n' << kUsage;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&](std::optional<std::string> &slot) {
            if (i + 1 >= args.size())
                return false;
            slot = args[++i];
            return true;
        };
        std::optional<std::string> db;
        if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--raw") {
            o.raw = true;
        } else if (a == "--db") {
            if (!value(db))
                return usageError("--db needs a value");
            o.db = *db;
        } else if (a == "--time" || a == "--start" || a == "--end" || a == "--step") {
            auto &slot = a == "--time" ? o.time : a == "--start" ? o.start : a == "--end" ? o.end : o.step;
            if (!value(slot))
                return usageError(a + " needs a value");
        } else if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
            return usageError("unknown option '" + a + "'");
        } else if (haveExpr) {
            return usageError("more than one expression given");
        } else {
            o.expr = a;
            haveExpr = true;
        }
    }
    if (o.help)
        return o;
    const bool range = o.start || o.end || o.step;
    if (o.db.empty() || !haveExpr || (range && (!o.start || !o.end || !o.step)) || (range && o.time)) {
        return usageError("need --db, an expression, and either --time or all of --start/--end/--step");
    }
    return o;
}

} // namespace

int cmdQuery(Args args, std::ostream &out, std::ostream &err)
{
    auto options = parseOptions(args, err);
    if (!options)
        return kExitUsage;
    if (options->help) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    const Options &o = *options;
    auto history = storage::SqliteHistory::open(o.db);
    if (!history)
        return printError(out, "execution", history.error().message);

    Result<promql::QueryResult> result;
    if (o.start) {
        const auto start = parseApiTime(*o.start);
        const auto end = parseApiTime(*o.end);
        const auto step = parseStep(*o.step);
        if (!start)
            return printError(out, "bad_data",
                              "invalid parameter \"start\": cannot parse \"" + *o.start + "\" to a valid timestamp");
        if (!end)
            return printError(out, "bad_data",
                              "invalid parameter \"end\": cannot parse \"" + *o.end + "\" to a valid timestamp");
        if (!step || *step <= 0)
            return printError(out, "bad_data",
                              "invalid parameter \"step\": zero or negative query resolution step widths are not "
                              "accepted. Try a positive integer");
        if (*end < *start)
            return printError(out, "bad_data",
                              "invalid parameter \"end\": end timestamp must not be before start time");
        const HistoryReader &reader = o.raw ? **history : (*history)->readerForStep(*step, promql::smallestWindowMs(o.expr));
        result = promql::Engine(reader).rangeQuery(o.expr, *start, *end, *step);
    } else {
        std::int64_t at =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        if (o.time) {
            const auto t = parseApiTime(*o.time);
            if (!t)
                return printError(out, "bad_data",
                                  "invalid parameter \"time\": cannot parse \"" + *o.time + "\" to a valid timestamp");
            at = *t;
        }
        result = promql::Engine(**history).instantQuery(o.expr, at);
    }
    if (!result)
        return printError(out, "bad_data", "invalid parameter \"query\": " + result.error().message);
    out << toJson(*result) << '\n';
    return kExitOk;
}

} // namespace pulse::cli
