// ConfigReader's readers of values with rules of their own: URLs (http/https, a host, no user info),
// file paths (~ expanded), secrets (inline, from a file, or ${VAR}; never echoed).
#include "core/config/detail/config_reader.h"

#include <QString>
#include <QUrl>

namespace pulse::detail {

bool ConfigReader::readUrl(const YAML::Node &map, std::string_view key, std::string_view path, std::string &out)
{
    const auto at = scalarAt(map, key, path, "a URL");
    if (!at)
        return false;
    const auto &[entry, where, text] = *at;
    // Messages describe the problem without quoting the URL: it may carry credentials.
    const QUrl url(QString::fromStdString(text), QUrl::StrictMode);
    if (!url.isValid()) {
        report(entry, where, "not a valid URL");
        return false;
    }
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) {
        report(entry, where,
               url.scheme().isEmpty() ? std::string("URL needs a scheme (http:// or https://)")
                                      : "URL scheme must be http or https, not " + quoted(url.scheme().toStdString()));
        return false;
    }
    if (url.host().isEmpty()) {
        report(entry, where, "URL has no host");
        return false;
    }
    if (!url.userInfo().isEmpty()) {
        report(entry, where, "URL must not contain credentials; use basic_auth or bearer_token");
        markSensitive(entry.value);
        return false;
    }
    out = text;
    return true;
}

bool ConfigReader::readPath(const YAML::Node &map, std::string_view key, std::string_view path, std::string &out)
{
    std::string text;
    if (!read(map, key, path, text))
        return false;
    if (text.empty()) {
        report(*find(map, key), join(path, key), "must not be empty");
        return false;
    }
    // "~" is left for the application to expand; it knows the user's home directory.
    if (!m_baseDirectory.empty() && text[0] != '/' && text[0] != '~')
        text = m_baseDirectory + "/" + text;
    out = std::move(text);
    return true;
}

bool ConfigReader::readSecret(const YAML::Node &map, std::string_view valueKey, std::string_view fileKey,
                              std::string_view path, Secret &out)
{
    const auto valueEntry = find(map, valueKey);
    const auto fileEntry = find(map, fileKey);
    if (valueEntry)
        markSensitive(valueEntry->value);
    if (valueEntry && fileEntry) {
        report(fileEntry->key, path, "use either " + quoted(valueKey) + " or " + quoted(fileKey) + ", not both");
        return false;
    }
    if (fileEntry) {
        std::string file;
        if (!readPath(map, fileKey, path, file))
            return false;
        out = Secret::fromFile(std::move(file));
        return true;
    }
    if (!valueEntry)
        return false;
    const std::string where = join(path, valueKey);
    // Only secrets get ${VAR} expansion: they are what must stay out of the file, and expanding
    // everywhere would make every '$' in a PromQL or regex field a trap.
    if (!valueEntry->value.IsScalar()) {
        report(*valueEntry, where, "expected a string, got " + std::string(typeName(valueEntry->value)));
        return false;
    }
    auto expanded = expandEnvReferences(valueEntry->value.Scalar(), m_lookupEnv);
    if (!expanded) {
        report(*valueEntry, where, expanded.error().message);
        return false;
    }
    m_sensitive.push_back(*expanded);
    if (expanded->empty()) {
        report(*valueEntry, where, "is empty");
        return false;
    }
    out = Secret::fromValue(std::move(*expanded));
    return true;
}

} // namespace pulse::detail
