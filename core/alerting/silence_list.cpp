// SilenceList: matching silences and acknowledgements to alerts, and their JSON form on disk.
#include "core/alerting/silence_list.h"

#include "core/promql/parser.h"
#include "core/selection/anchored_regex.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <algorithm>

namespace pulse {
namespace {

bool matcherHolds(const LabelMatcher &m, std::string_view value)
{
    switch (m.op) {
    case LabelMatcher::Op::Equal:
        return value == m.value;
    case LabelMatcher::Op::NotEqual:
        return value != m.value;
    case LabelMatcher::Op::Regex:
    case LabelMatcher::Op::NotRegex:
        break;
    }
    const auto regex = promql::AnchoredRegex::compile(m.value);
    const bool matched = regex && regex->matches(value);
    return m.op == LabelMatcher::Op::Regex ? matched : !matched;
}

std::string_view opText(LabelMatcher::Op op)
{
    switch (op) {
    case LabelMatcher::Op::NotEqual:
        return "!=";
    case LabelMatcher::Op::Regex:
        return "=~";
    case LabelMatcher::Op::NotRegex:
        return "!~";
    case LabelMatcher::Op::Equal:
        break;
    }
    return "=";
}

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

std::string str(const QJsonValue &v)
{
    return v.toString().toStdString();
}

} // namespace

bool Silence::matches(const Labels &labels) const
{
    return std::ranges::all_of(matchers, [&labels](const LabelMatcher &m) {
        return matcherHolds(m, m.name == "__name__" ? std::string_view{} : labels.value(m.name));
    });
}

std::string Silence::matchersText() const
{
    std::string out = "{";
    for (const auto &m : matchers) {
        if (out.size() > 1)
            out += ", ";
        out += m.name + std::string(opText(m.op)) + "\"" + escapeLabelValue(m.value) + "\"";
    }
    return out + "}";
}

Result<std::vector<LabelMatcher>> parseMatchers(std::string_view text)
{
    std::string selector(text);
    const auto first = selector.find_first_not_of(" \t");
    if (first == std::string::npos)
        return fail("a silence needs at least one matcher, e.g. alertname=\"ApiDown\"");
    if (selector[first] != '{')
        selector = "{" + selector + "}";
    auto parsed = promql::parse(selector);
    if (!parsed)
        return fail(parsed.error().message);
    const auto *vs = std::get_if<promql::VectorSelector>(&(*parsed)->node);
    if (vs == nullptr || !vs->name.empty() || vs->offsetMs != 0)
        return fail("expected label matchers such as {alertname=\"ApiDown\", job=~\"api.*\"}");
    for (const auto &m : vs->matchers) {
        if (m.op == LabelMatcher::Op::Regex || m.op == LabelMatcher::Op::NotRegex) {
            auto regex = promql::AnchoredRegex::compile(m.value);
            if (!regex)
                return fail(regex.error().message);
        }
    }
    return vs->matchers;
}

std::uint64_t SilenceList::add(Silence silence)
{
    silence.id = m_nextId++;
    m_silences.push_back(std::move(silence));
    return m_silences.back().id;
}

bool SilenceList::expire(std::uint64_t id, std::int64_t nowMs)
{
    for (auto &s : m_silences) {
        if (s.id == id) {
            s.endsMs = std::min(s.endsMs, nowMs);
            return true;
        }
    }
    return false;
}

void SilenceList::apply(std::vector<Alert> &alerts, std::int64_t nowMs)
{
    std::set<std::string> stillActive;
    for (auto &alert : alerts) {
        alert.silencedBy = 0;
        for (const auto &s : m_silences) {
            if (s.isActive(nowMs) && s.matches(alert.labels)) {
                alert.silencedBy = s.id;
                break;
            }
        }
        const std::string key = alert.key();
        alert.acknowledged = alert.state != AlertState::Inactive && m_acks.contains(key);
        if (alert.acknowledged)
            stillActive.insert(key);
    }
    m_acks = std::move(stillActive);
}

void SilenceList::prune(std::int64_t nowMs, std::int64_t keepMs)
{
    std::erase_if(m_silences, [&](const Silence &s) { return s.endsMs + keepMs < nowMs; });
}

std::string SilenceList::toJson() const
{
    QJsonArray silences;
    for (const auto &s : m_silences) {
        QJsonArray matchers;
        for (const auto &m : s.matchers)
            matchers.append(QJsonObject{{QStringLiteral("name"), qs(m.name)}, {QStringLiteral("op"), qs(opText(m.op))}, {QStringLiteral("value"), qs(m.value)}});
        silences.append(QJsonObject{{QStringLiteral("id"), static_cast<qint64>(s.id)},
                                    {QStringLiteral("matchers"), matchers},
                                    {QStringLiteral("starts_ms"), static_cast<qint64>(s.startsMs)},
                                    {QStringLiteral("ends_ms"), static_cast<qint64>(s.endsMs)},
                                    {QStringLiteral("comment"), qs(s.comment)}});
    }
    QJsonArray acks;
    for (const auto &key : m_acks)
        acks.append(qs(key));
    const QJsonObject root{{QStringLiteral("version"), 1}, {QStringLiteral("silences"), silences}, {QStringLiteral("acknowledged"), acks}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

Result<SilenceList> SilenceList::fromJson(std::string_view json)
{
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(QByteArray(json.data(), static_cast<qsizetype>(json.size())), &error);
    if (doc.isNull())
        return fail("offset " + std::to_string(error.offset) + ": " + error.errorString().toStdString());
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("version")).toInt() != 1)
        return fail("unknown silences file version (expected 1)");
    SilenceList list;
    for (const auto &value : root.value(QStringLiteral("silences")).toArray()) {
        const QJsonObject o = value.toObject();
        Silence s;
        s.id = static_cast<std::uint64_t>(o.value(QStringLiteral("id")).toInteger());
        s.startsMs = o.value(QStringLiteral("starts_ms")).toInteger();
        s.endsMs = o.value(QStringLiteral("ends_ms")).toInteger();
        s.comment = str(o.value(QStringLiteral("comment")));
        for (const auto &mv : o.value(QStringLiteral("matchers")).toArray()) {
            const QJsonObject m = mv.toObject();
            const std::string op = str(m.value(QStringLiteral("op")));
            LabelMatcher matcher{str(m.value(QStringLiteral("name"))), LabelMatcher::Op::Equal, str(m.value(QStringLiteral("value")))};
            if (op == "!=")
                matcher.op = LabelMatcher::Op::NotEqual;
            else if (op == "=~")
                matcher.op = LabelMatcher::Op::Regex;
            else if (op == "!~")
                matcher.op = LabelMatcher::Op::NotRegex;
            else if (op != "=")
                return fail("silence " + std::to_string(s.id) + ": unknown matcher operator '" + op + "'");
            s.matchers.push_back(std::move(matcher));
        }
        if (s.id == 0 || s.matchers.empty())
            return fail("silence without an id or matchers");
        list.m_nextId = std::max(list.m_nextId, s.id + 1);
        list.m_silences.push_back(std::move(s));
    }
    for (const auto &key : root.value(QStringLiteral("acknowledged")).toArray())
        list.m_acks.insert(str(key));
    return list;
}

} // namespace pulse
