// JSON Pointer resolution (RFC 6901) over Qt's JSON classes.
#include "collectors/json_pointer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonParseError>

#include <charconv>
#include <optional>
#include <cmath>

namespace pulse {

namespace {

std::string unescapeToken(std::string_view token)
{
    std::string out;
    out.reserve(token.size());
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
            out += token[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

const char *typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "a boolean";
    case QJsonValue::Double: return "a number";
    case QJsonValue::String: return "a string";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: break;
    }
    return "nothing";
}

std::optional<std::size_t> arrayIndex(std::string_view token)
{
    // RFC 6901: digits only, no leading zero except "0" itself.
    if (token.empty() || (token.size() > 1 && token[0] == '0'))
        return std::nullopt;
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (ec != std::errc() || end != token.data() + token.size())
        return std::nullopt;
    return index;
}

std::string escapeToken(std::string_view token)
{
    std::string out;
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

// wildcardAt is where the first "*" token starts (at its '/'), or npos.
std::size_t wildcardAt(std::string_view pointer)
{
    for (std::size_t pos = pointer.find("/*"); pos != std::string_view::npos; pos = pointer.find("/*", pos + 1)) {
        if (pos + 2 == pointer.size() || pointer[pos + 2] == '/')
            return pos;
    }
    return std::string_view::npos;
}

} // namespace

Result<QJsonDocument> parseJsonBody(const std::string &body)
{
    QJsonParseError error{};
    QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(body.data(), static_cast<qsizetype>(body.size())), &error);
    if (error.error != QJsonParseError::NoError)
        return fail("response is not JSON: " + error.errorString().toStdString() + " at byte " +
                    std::to_string(error.offset));
    return doc;
}

Result<QJsonValue> resolveJsonPointer(const QJsonDocument &doc, std::string_view pointer)
{
    QJsonValue current = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    if (pointer.empty())
        return current;
    if (pointer[0] != '/')
        return fail("JSON pointer '" + std::string(pointer) + "' must start with /");
    std::size_t pos = 1;
    while (true) {
        const std::size_t slash = pointer.find('/', pos);
        const std::string_view raw = pointer.substr(pos, slash == std::string_view::npos ? slash : slash - pos);
        const std::string token = unescapeToken(raw);
        const std::string walked(pointer.substr(0, pos - 1));
        const std::string where = walked.empty() ? "the document" : walked;
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            const auto it = object.constFind(QString::fromStdString(token));
            if (it == object.constEnd()) {
                std::string message = "JSON pointer '" + std::string(pointer) + "' not found: ";
                message += where;
                message += " has no member '";
                message += token;
                message += "'";
                return fail(std::move(message));
            }
            current = it.value();
        } else if (current.isArray()) {
            const QJsonArray array = current.toArray();
            const auto index = arrayIndex(token);
            if (!index || *index >= static_cast<std::size_t>(array.size())) {
                std::string message = "JSON pointer '" + std::string(pointer) + "' not found: ";
                message += where;
                message += " is an array of " + std::to_string(array.size()) + " elements, no element '";
                message += token;
                message += "'";
                return fail(std::move(message));
            }
            current = array.at(static_cast<qsizetype>(*index));
        } else {
            return fail("JSON pointer '" + std::string(pointer) + "' not found: " + where + " is " +
                        typeName(current) + ", not an object or array");
        }
        if (slash == std::string_view::npos)
            return current;
        pos = slash + 1;
    }
}

Result<double> jsonNumberAt(const QJsonDocument &doc, std::string_view pointer)
{
    auto value = resolveJsonPointer(doc, pointer);
    if (!value)
        return std::unexpected(value.error());
    if (value->isDouble())
        return value->toDouble();
    if (value->isBool())
        return value->toBool() ? 1.0 : 0.0;
    if (value->isString()) {
        const std::string text = value->toString().toStdString();
        double number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(number))
            return number;
        return fail("JSON pointer '" + std::string(pointer) + "' is the string \"" + text.substr(0, 64) +
                    "\", not a number");
    }
    return fail("JSON pointer '" + std::string(pointer) + "' is " + typeName(*value) + ", not a number");
}

Result<std::vector<JsonNumberMatch>> jsonNumbersAt(const QJsonDocument &doc, std::string_view pointer)
{
    std::vector<JsonNumberMatch> matches;
    const std::size_t star = wildcardAt(pointer);
    if (star == std::string_view::npos) {
        auto value = jsonNumberAt(doc, pointer);
        if (!value)
            return std::unexpected(value.error());
        matches.push_back(JsonNumberMatch{{}, {}, *value});
        return matches;
    }
    const std::string_view prefix = pointer.substr(0, star);
    const std::string_view rest = pointer.substr(star + 2);
    if (wildcardAt(rest) != std::string_view::npos)
        return fail("JSON pointer '" + std::string(pointer) + "' has more than one '*'; only one is supported");
    auto container = resolveJsonPointer(doc, prefix);
    if (!container)
        return std::unexpected(container.error());
    // Each element is looked up by its concrete pointer, so a miss names the element it happened in.
    auto add = [&](const char *label, std::string element, const std::string &token) -> Result<void> {
        auto value = jsonNumberAt(doc, std::string(prefix) + "/" + token + std::string(rest));
        if (!value)
            return std::unexpected(value.error());
        matches.push_back(JsonNumberMatch{label, std::move(element), *value});
        return {};
    };
    if (container->isArray()) {
        const qsizetype size = container->toArray().size();
        for (qsizetype i = 0; i < size; ++i) {
            const std::string index = std::to_string(i);
            if (auto r = add("index", index, index); !r)
                return std::unexpected(r.error());
        }
    } else if (container->isObject()) {
        const QJsonObject object = container->toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const std::string key = it.key().toStdString();
            if (auto r = add("key", key, escapeToken(key)); !r)
                return std::unexpected(r.error());
        }
    } else {
        const std::string where = prefix.empty() ? "the document" : std::string(prefix);
        return fail("JSON pointer '" + std::string(pointer) + "': " + where + " is " + typeName(*container) +
                    ", not an array or object to expand '*' over");
    }
    return matches;
}

std::string jsonValueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return value.toBool() ? "true" : "false";
    case QJsonValue::Double: {
        char buffer[32];
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, value.toDouble());
        return std::string(buffer, r.ptr);
    }
    case QJsonValue::String: return value.toString().toStdString();
    case QJsonValue::Array: return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).toStdString();
    case QJsonValue::Object: return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).toStdString();
    case QJsonValue::Undefined: break;
    }
    return {};
}

} // namespace pulse
