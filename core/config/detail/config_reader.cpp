// ConfigReader: position-aware typed reads from yaml-cpp nodes, collecting diagnostics.
#include "core/config/detail/config_reader.h"

#include "core/base/byte_size.h"
#include "core/base/did_you_mean.h"

#include <QString>
#include <QUrl>

#include <algorithm>
#include <memory>
#include <cstring>
#include <cstdio>
#include <cerrno>
#include <iterator>
#include <charconv>
#include <map>
#include <set>

namespace pulse::detail {
namespace {

// Values shorter than this are not masked in messages: masking "ab" would garble every word holding
// it, and messages never quote a secret anyway; masking is the second line of defence.
constexpr std::size_t kMinMaskedLength = 4;

void replaceAll(std::string &text, std::string_view what, std::string_view with)
{
    for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size()))
        text.replace(pos, what.size(), with);
}

} // namespace

std::string quoted(std::string_view text)
{
    return "'" + std::string(text) + "'";
}

std::string_view typeName(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
        return "nothing";
    case YAML::NodeType::Scalar:
        return "a scalar";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Undefined:
        break;
    }
    return "nothing";
}

ConfigReader::ConfigReader(std::string fileName, const ConfigEnvironment &env)
    : m_fileName(std::move(fileName)), m_lookupEnv(env.lookupEnv ? env.lookupEnv : processEnvLookup()),
      m_baseDirectory(env.baseDirectory)
{
}

void ConfigReader::reportAt(const YAML::Mark &mark, std::string message)
{
    // yaml-cpp marks are 0-based; a null mark (-1) means "somewhere in the file".
    m_diagnostics.push_back(
        ConfigDiagnostic{m_fileName, std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1, std::move(message)});
}

void ConfigReader::report(const YAML::Node &at, std::string_view path, std::string_view message)
{
    reportAt(at.Mark(), path.empty() ? std::string(message) : std::string(path) + ": " + std::string(message));
}

void ConfigReader::report(const MapEntry &at, std::string_view path, std::string_view message)
{
    reportAt(markOf(at), path.empty() ? std::string(message) : std::string(path) + ": " + std::string(message));
}

void ConfigReader::adopt(std::vector<ConfigDiagnostic> diagnostics)
{
    std::move(diagnostics.begin(), diagnostics.end(), std::back_inserter(m_diagnostics));
}

std::vector<ConfigDiagnostic> ConfigReader::takeDiagnostics()
{
    std::vector<ConfigDiagnostic> out = std::move(m_diagnostics);
    m_diagnostics.clear();
    for (auto &d : out) {
        for (const auto &secret : m_sensitive) {
            if (secret.size() >= kMinMaskedLength)
                replaceAll(d.message, secret, "<secret>");
        }
    }
    std::stable_sort(out.begin(), out.end(), [this](const ConfigDiagnostic &a, const ConfigDiagnostic &b) {
        const bool aOther = a.file != m_fileName;
        const bool bOther = b.file != m_fileName;
        return std::tie(aOther, a.file, a.line, a.column) < std::tie(bOther, b.file, b.line, b.column);
    });
    return out;
}

bool ConfigReader::expectMapping(const YAML::Node &node, std::string_view path)
{
    if (node.IsMap())
        return true;
    report(node, path, "expected a mapping, got " + std::string(typeName(node)));
    return false;
}

bool ConfigReader::expectList(const YAML::Node &node, std::string_view path)
{
    if (node.IsSequence())
        return true;
    report(node, path, "expected a list, got " + std::string(typeName(node)));
    return false;
}

void ConfigReader::checkKeys(const YAML::Node &map, std::string_view path, std::span<const std::string_view> allowed,
                             const Explain &explain)
{
    checkUniqueKeys(map, path);
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar() || !seen.insert(it->first.Scalar()).second)
            continue;
        const std::string name = it->first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), name) != allowed.end())
            continue;
        if (explain) {
            if (auto message = explain(name)) {
                report(it->first, path, *message);
                continue;
            }
        }
        report(it->first, path, "unknown key " + quoted(name) + suggestion(name, allowed));
    }
}

void ConfigReader::checkUniqueKeys(const YAML::Node &map, std::string_view path)
{
    std::map<std::string, int> firstLine;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node key = it->first; // a copy: it-> yields a temporary pair
        if (!key.IsScalar()) {
            report(key, path, "expected a string key, got " + std::string(typeName(key)));
            markSensitive(it->second);
            continue;
        }
        if (looksLikeCredentialName(key.Scalar()))
            markSensitive(it->second);
        if (const auto [seen, inserted] = firstLine.emplace(key.Scalar(), lineOf(key)); !inserted)
            report(key, path,
                   "key " + quoted(key.Scalar()) + " is given twice (first at line " + std::to_string(seen->second) +
                       ")");
    }
}

std::optional<MapEntry> ConfigReader::find(const YAML::Node &map, std::string_view key) const
{
    if (!map.IsMap())
        return std::nullopt;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key)
            return MapEntry{it->first, it->second};
    }
    return std::nullopt;
}

std::optional<MapEntry> ConfigReader::require(const YAML::Node &map, std::string_view key, std::string_view path)
{
    auto entry = find(map, key);
    if (!entry)
        report(map, path, "missing required key " + quoted(key));
    return entry;
}

std::optional<std::string> ConfigReader::scalar(const MapEntry &entry, std::string_view path, std::string_view what)
{
    if (entry.value.IsScalar())
        return entry.value.Scalar();
    report(entry, path, "expected " + std::string(what) + ", got " + std::string(typeName(entry.value)));
    return std::nullopt;
}

std::optional<ConfigReader::ScalarAt> ConfigReader::scalarAt(const YAML::Node &map, std::string_view key,
                                                             std::string_view path, std::string_view what)
{
    const auto entry = find(map, key);
    if (!entry)
        return std::nullopt;
    std::string where = join(path, key);
    auto text = scalar(*entry, where, what);
    if (!text)
        return std::nullopt;
    return ScalarAt{*entry, std::move(where), std::move(*text)};
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path, std::string &out)
{
    auto at = scalarAt(map, key, path, "a string");
    if (!at)
        return false;
    out = std::move(at->text);
    return true;
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path,
                        std::optional<std::string> &out)
{
    std::string text;
    if (!read(map, key, path, text))
        return false;
    out = std::move(text);
    return true;
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path, bool &out)
{
    const auto at = scalarAt(map, key, path, "true or false");
    if (!at)
        return false;
    const auto &[entry, where, text] = *at;
    // YAML 1.2 booleans only: yes/no/on/off are YAML 1.1 surprises (the Norway problem).
    if (text == "true" || text == "True" || text == "TRUE") {
        out = true;
        return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        out = false;
        return true;
    }
    report(entry, where, "expected true or false, got " + quoted(text));
    return false;
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path, std::uint64_t &out)
{
    const auto at = scalarAt(map, key, path, "a non-negative integer");
    if (!at)
        return false;
    const auto &[entry, where, text] = *at;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        report(entry, where, "expected a non-negative integer, got " + quoted(text));
        return false;
    }
    out = value;
    return true;
}

bool ConfigReader::readByteSize(const YAML::Node &map, std::string_view key, std::string_view path, std::uint64_t &out)
{
    const auto at = scalarAt(map, key, path, "a size such as 2GiB");
    if (!at)
        return false;
    const auto &[entry, where, text] = *at;
    const auto parsed = parseByteSize(text);
    if (!parsed) {
        report(entry, where, parsed.error().message);
        return false;
    }
    out = *parsed;
    return true;
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path, Duration &out,
                        bool allowZero)
{
    const auto at = scalarAt(map, key, path, "a duration such as 15s");
    if (!at)
        return false;
    const auto &[entry, where, text] = *at;
    const auto parsed = parseDuration(text);
    if (!parsed) {
        report(entry, where, parsed.error().message);
        return false;
    }
    if (!allowZero && parsed->count() == 0) {
        report(entry, where, "must be longer than 0");
        return false;
    }
    out = *parsed;
    return true;
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path,
                        std::optional<Duration> &out)
{
    Duration value{};
    if (!read(map, key, path, value))
        return false;
    out = value;
    return true;
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path, Labels &out)
{
    const auto entry = find(map, key);
    if (!entry)
        return false;
    const std::string where = join(path, key);
    if (!expectMapping(entry->value, where))
        return false;
    checkUniqueKeys(entry->value, where);
    bool ok = true;
    for (auto it = entry->value.begin(); it != entry->value.end(); ++it) {
        const MapEntry item{it->first, it->second};
        if (!it->first.IsScalar()) {
            ok = false;
            continue;
        }
        const std::string name = it->first.Scalar();
        if (out.has(name))
            continue;
        if (!isValidLabelName(name)) {
            report(it->first, where,
                   "invalid label name " + quoted(name) + " (use letters, digits and _, not starting with a digit)");
            ok = false;
            continue;
        }
        if (name.starts_with("__")) {
            report(it->first, where, "label name " + quoted(name) + " is reserved (names starting with __)");
            ok = false;
            continue;
        }
        const auto value = scalar(item, join(where, name), "a string");
        if (!value) {
            ok = false;
            continue;
        }
        out.set(name, *value);
    }
    return ok;
}

bool ConfigReader::read(const YAML::Node &map, std::string_view key, std::string_view path, KeyValueList &out)
{
    const auto entry = find(map, key);
    if (!entry)
        return false;
    const std::string where = join(path, key);
    if (!expectMapping(entry->value, where))
        return false;
    checkUniqueKeys(entry->value, where);
    std::set<std::string> seen;
    bool ok = true;
    for (auto it = entry->value.begin(); it != entry->value.end(); ++it) {
        const MapEntry item{it->first, it->second};
        if (!it->first.IsScalar()) {
            ok = false;
            continue;
        }
        if (!seen.insert(it->first.Scalar()).second)
            continue;
        const std::string name = it->first.Scalar();
        const auto value = scalar(item, join(where, name), "a string");
        if (!value) {
            ok = false;
            continue;
        }
        out.emplace_back(name, *value);
    }
    return ok;
}

bool ConfigReader::readDouble(const MapEntry &entry, std::string_view path, double &out)
{
    const auto text = scalar(entry, path, "a number");
    if (!text)
        return false;
    double value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size()) {
        report(entry, path, "expected a number, got " + quoted(*text));
        return false;
    }
    out = value;
    return true;
}

std::optional<std::size_t> ConfigReader::readEnum(const YAML::Node &map, std::string_view key, std::string_view path,
                                                  std::span<const std::string_view> names, std::string_view what)
{
    const auto at = scalarAt(map, key, path, "a string");
    if (!at)
        return std::nullopt;
    const auto &[entry, where, text] = *at;
    const auto it = std::find(names.begin(), names.end(), text);
    if (it != names.end())
        return static_cast<std::size_t>(it - names.begin());
    std::string message = "unknown " + std::string(what) + " " + quoted(text);
    if (const std::string hint = suggestion(text, names); !hint.empty()) {
        message += hint;
    } else {
        message += " (expected one of ";
        for (std::size_t i = 0; i < names.size(); ++i)
            message += (i ? ", " : "") + std::string(names[i]);
        message += ")";
    }
    report(entry, where, message);
    return std::nullopt;
}

void ConfigReader::markSensitive(const YAML::Node &node)
{
    if (node.IsScalar()) {
        m_sensitive.push_back(node.Scalar());
    } else if (node.IsSequence()) {
        for (const auto &child : node)
            markSensitive(child);
    } else if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            markSensitive(it->first);
            markSensitive(it->second);
        }
    }
}

std::string ConfigReader::join(std::string_view path, std::string_view key)
{
    if (path.empty())
        return std::string(key);
    return std::string(path) + "." + std::string(key);
}

std::string ConfigReader::indexed(std::string_view path, std::size_t index)
{
    return std::string(path) + "[" + std::to_string(index) + "]";
}

YAML::Mark ConfigReader::markOf(const MapEntry &entry)
{
    if (entry.value.IsNull() && entry.value.Tag().empty())
        return entry.key.Mark();
    return entry.value.Mark();
}

Result<std::string> readWholeFile(const std::string &path, std::size_t maxBytes)
{
    const auto closeFile = [](std::FILE *f) { std::fclose(f); };
    std::unique_ptr<std::FILE, decltype(closeFile)> file(std::fopen(path.c_str(), "rb"), closeFile);
    if (!file)
        return fail(std::strerror(errno));
    std::string content;
    char buffer[16384];
    while (true) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
        content.append(buffer, got);
        if (content.size() > maxBytes)
            return fail("file is larger than " + std::to_string(maxBytes >> 20) + " MiB");
        if (got < sizeof buffer)
            break;
    }
    // Reading a directory opens fine and fails here with EISDIR.
    if (std::ferror(file.get()))
        return fail(std::strerror(errno));
    return content;
}

} // namespace pulse::detail
