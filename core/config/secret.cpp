// Secret values and ${VAR} expansion.
#include "core/config/secret.h"

#include <QDebug>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <ostream>

namespace pulse {
namespace {

constexpr std::string_view kRedacted = "<secret>";

// Secret files hold one token; anything larger is a wrong path, not a credential.
constexpr std::size_t kMaxSecretFileBytes = std::size_t{64} * 1024;

bool isNameStart(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

Result<std::string> readSecretFile(const std::string &path)
{
    const auto closeFile = [](std::FILE *f) { std::fclose(f); };
    std::unique_ptr<std::FILE, decltype(closeFile)> file(std::fopen(path.c_str(), "rb"), closeFile);
    if (!file)
        return fail("cannot read secret file " + path + ": " + std::strerror(errno));
    std::string content;
    char buffer[4096];
    while (true) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
        content.append(buffer, got);
        if (content.size() > kMaxSecretFileBytes)
            return fail("secret file " + path + " is larger than 64 KiB");
        if (got < sizeof buffer)
            break;
    }
    if (std::ferror(file.get()))
        return fail("cannot read secret file " + path + ": " + std::strerror(errno));
    // Editors add a final newline that is not part of the token.
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r'))
        content.pop_back();
    return content;
}

} // namespace

Secret Secret::fromValue(std::string value)
{
    Secret s;
    s.m_value = std::move(value);
    return s;
}

Secret Secret::fromFile(std::string path)
{
    Secret s;
    s.m_path = std::move(path);
    s.m_fromFile = true;
    return s;
}

Result<std::string> Secret::reveal() const
{
    if (m_fromFile)
        return readSecretFile(m_path);
    return m_value;
}

std::ostream &operator<<(std::ostream &os, const Secret &)
{
    return os << kRedacted;
}

QDebug operator<<(QDebug debug, const Secret &)
{
    return debug << "<secret>";
}

EnvLookup processEnvLookup()
{
    return [](std::string_view name) -> std::optional<std::string> {
        const char *value = std::getenv(std::string(name).c_str());
        if (!value)
            return std::nullopt;
        return std::string(value);
    };
}

Result<std::string> expandEnvReferences(std::string_view text, const EnvLookup &lookup)
{
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (c != '$' || pos + 1 == text.size()) {
            out += c;
            ++pos;
            continue;
        }
        const char next = text[pos + 1];
        if (next == '$') {
            out += '$';
            pos += 2;
            continue;
        }
        if (next != '{') {
            out += c;
            ++pos;
            continue;
        }
        const std::size_t close = text.find('}', pos + 2);
        if (close == std::string_view::npos)
            return fail("unterminated ${...} reference (write $$ for a literal $)");
        const std::string_view name = text.substr(pos + 2, close - pos - 2);
        // The name is checked before it is echoed: a secret pasted between braces must not be shown.
        const bool validName =
            !name.empty() && isNameStart(name.front()) && std::all_of(name.begin(), name.end(), isNameChar);
        if (!validName)
            return fail("bad ${...} reference: a variable name is letters, digits and _, not starting "
                        "with a digit");
        const std::optional<std::string> value = lookup ? lookup(name) : processEnvLookup()(name);
        if (!value)
            return fail("environment variable " + std::string(name) + " is not set");
        out += *value;
        pos = close + 1;
    }
    return out;
}

bool looksLikeCredentialName(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    // "-auth"/"auth-" rather than "auth": header names (X-Auth-Key), not config keys such as basic_auth.
    for (std::string_view part : {"token", "password", "passwd", "secret", "apikey", "api_key", "api-key",
                                  "authorization", "-auth", "auth-", "credential", "session", "signature"}) {
        if (lower.find(part) != std::string::npos)
            return true;
    }
    // X-Auth-Key, Ocp-Apim-Subscription-Key, DD-API-KEY, access_key: a key is a credential.
    return lower == "key" || lower.ends_with("-key") || lower.ends_with("_key") || lower == "cookie";
}

namespace {

bool isSecretQueryName(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return looksLikeCredentialName(lower) || lower == "sig" || lower == "pass" || lower == "pwd" || lower == "auth";
}

} // namespace

std::string redactUrlSecrets(std::string_view url)
{
    std::string out;
    std::size_t pos = 0;
    if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
        const std::size_t authority = scheme + 3;
        const std::size_t authorityEnd = std::min(url.find_first_of("/?#", authority), url.size());
        const std::size_t at = url.substr(authority, authorityEnd - authority).rfind('@');
        if (at != std::string_view::npos) {
            out.append(url.substr(0, authority)).append(kRedacted);
            pos = authority + at;
        }
    }
    const std::size_t query = url.find('?', pos);
    if (query == std::string_view::npos) {
        out.append(url.substr(pos));
        return out;
    }
    out.append(url.substr(pos, query + 1 - pos));
    const std::size_t fragment = std::min(url.find('#', query), url.size());
    const std::string_view params = url.substr(query + 1, fragment - query - 1);
    for (std::size_t start = 0;;) {
        const std::size_t amp = params.find('&', start);
        const std::string_view param =
            params.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
        const std::size_t eq = param.find('=');
        if (eq != std::string_view::npos && isSecretQueryName(param.substr(0, eq)))
            out.append(param.substr(0, eq + 1)).append(kRedacted);
        else
            out.append(param);
        if (amp == std::string_view::npos)
            break;
        out += '&';
        start = amp + 1;
    }
    out.append(url.substr(fragment));
    return out;
}

} // namespace pulse
