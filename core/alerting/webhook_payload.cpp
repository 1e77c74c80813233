// webhookPayload: Alertmanager's webhook message (notify/webhook/webhook.go's Message: template.Data
// plus version, groupKey and truncatedAlerts) for one Notification.
#include "core/alerting/webhook_payload.h"

#include "core/base/text_encoding.h"

#include <QDateTime>
#include <QTimeZone>

#include <cstdio>
#include <map>

namespace pulse {

std::string goTimeJson(std::int64_t ms)
{
    if (ms == 0)
        return "0001-01-01T00:00:00Z";
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    std::string out = t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toStdString();
    int fraction = int(((ms % 1000) + 1000) % 1000);
    if (fraction != 0) {
        char digits[8];
        std::snprintf(digits, sizeof digits, ".%03d", fraction);
        std::string f(digits);
        while (f.back() == '0')
            f.pop_back();
        out += f;
    }
    return out + "Z";
}

namespace {

std::map<std::string, std::string> labelMap(const Labels &labels)
{
    std::map<std::string, std::string> out;
    for (const Label &l : labels)
        out.emplace(l.name, l.value);
    return out;
}

std::map<std::string, std::string> annotationMap(const KeyValueList &annotations)
{
    std::map<std::string, std::string> out;
    for (const auto &[name, value] : annotations)
        out.insert_or_assign(name, value);
    return out;
}

// common keeps the pairs every map of all holds with the same value.
std::map<std::string, std::string> common(const std::vector<std::map<std::string, std::string>> &all)
{
    if (all.empty())
        return {};
    std::map<std::string, std::string> out = all.front();
    for (std::size_t i = 1; i < all.size(); ++i)
        std::erase_if(out, [&](const auto &pair) {
            auto it = all[i].find(pair.first);
            return it == all[i].end() || it->second != pair.second;
        });
    return out;
}

} // namespace

std::string webhookPayload(const Notification &n, std::string_view externalUrl)
{
    std::vector<std::map<std::string, std::string>> labels;
    std::vector<std::map<std::string, std::string>> annotations;
    for (const NotifyAlert &a : n.alerts) {
        labels.push_back(labelMap(a.labels));
        annotations.push_back(annotationMap(a.annotations));
    }
    std::string out = R"({"receiver":)";
    appendJsonString(out, n.receiver);
    out += R"(,"status":)";
    out += n.firing() ? R"("firing")" : R"("resolved")";
    out += R"(,"alerts":[)";
    for (std::size_t i = 0; i < n.alerts.size(); ++i) {
        const NotifyAlert &a = n.alerts[i];
        if (i != 0)
            out += ',';
        out += R"({"status":)";
        out += a.resolved() ? R"("resolved")" : R"("firing")";
        out += R"(,"labels":)";
        appendJsonObject(out, labels[i]);
        out += R"(,"annotations":)";
        appendJsonObject(out, annotations[i]);
        out += R"(,"startsAt":")" + goTimeJson(a.startsAtMs) + '"';
        out += R"(,"endsAt":")" + goTimeJson(a.endsAtMs) + '"';
        out += R"(,"generatorURL":)";
        appendJsonString(out, a.generatorUrl);
        char fingerprint[20];
        std::snprintf(fingerprint, sizeof fingerprint, "%016llx",
                      static_cast<unsigned long long>(alertFingerprint(a.labels)));
        out += R"(,"fingerprint":")";
        out += fingerprint;
        out += R"("})";
    }
    out += R"(],"groupLabels":)";
    appendJsonObject(out, labelMap(n.groupLabels));
    out += R"(,"commonLabels":)";
    appendJsonObject(out, common(labels));
    out += R"(,"commonAnnotations":)";
    appendJsonObject(out, common(annotations));
    out += R"(,"externalURL":)";
    appendJsonString(out, externalUrl);
    out += R"(,"version":"4","groupKey":)";
    appendJsonString(out, n.groupKey);
    out += R"(,"truncatedAlerts":0})";
    return out;
}

} // namespace pulse
