// The signature list of suspiciousRequestKind (see suspicious_request.h and docs/logs.md).
#include "core/logs/suspicious_request.h"

#include <QRegularExpression>
#include <QString>

#include <array>
#include <utility>

namespace pulse {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Each pattern needs the syntax of an attack, not just a word: SQL keywords with the operators or
// clauses they come with, tags, handlers and a called javascript: URL, a parent-directory step, a
// shell operator before a command that takes a path, option or URL (`;cat /etc/x`, not `&cat food`),
// or command substitution. Case-insensitive; SQL comments count as blanks (/**/).
const std::array<std::pair<const char *, const char *>, 5> kSignatures{{
    {"sqli",
     R"re((\bunion\b(\s|/\*.*?\*/)+(all\s+)?select\b)|(\bselect\b.+\bfrom\b\s+(information_schema|mysql\.|pg_\w+|sys\.)))re"
     R"re(|('\s*(or|and)\s*'?\d+'?\s*=\s*'?\d+)|(\b(sleep|benchmark|pg_sleep)\s*\(\s*\d)|(;\s*(drop|delete|insert|update)\s+\w+))re"
     R"re(|('\s*(--|#))|(\bor\b\s+1\s*=\s*1\b))re"},
    {"xss",
     R"re(<\s*script\b|javascript:[\w.]+\s*\(|<[^>]*\bon(error|load|mouseover|focus)\s*=|<\s*(iframe|svg|img)\b[^>]*>|document\.cookie)re"},
    {"cmdi",
     R"re([;|&]\s*(cat|ls|wget|curl|nc|bash|sh|ping|rm|chmod)\s+(-\w|/|\.\.?/|\$|https?:)|\$\(\s*\w+|`\s*\w+[^`]*`)re"},
    {"traversal", R"re((\.\.[/\\])+|/etc/(passwd|shadow|hosts)\b|\b(boot|win)\.ini\b|/proc/self/)re"},
    {"scanner", nullptr}, // by user agent, below
}};

constexpr std::array<std::string_view, 10> kScannerAgents{"sqlmap", "nikto",     "nmap",     "masscan", "zgrab",
                                                          "nuclei", "dirbuster", "gobuster", "wpscan",  "acunetix"};

} // namespace

std::string urlDecoded(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string_view suspiciousRequestKind(std::string_view pathAndQuery, std::string_view userAgent)
{
    // Lower-cased once, then searched with find (memchr/memcmp): ten case-folding scans of every
    // user agent were a tenth of the log thread's time.
    std::string agentLower(userAgent);
    for (char &c : agentLower)
        c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    for (std::string_view agent : kScannerAgents)
        if (agentLower.find(agent) != std::string::npos)
            return "scanner";
    // Compiled once per thread: QRegularExpression is reentrant, not documented thread-safe.
    thread_local const auto compiled = [] {
        std::array<QRegularExpression, 4> out;
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = QRegularExpression(QString::fromLatin1(kSignatures[i].second),
                                        QRegularExpression::CaseInsensitiveOption |
                                            QRegularExpression::DotMatchesEverythingOption);
        return out;
    }();
    const std::string once = urlDecoded(pathAndQuery);
    const std::string twice = urlDecoded(once);
    const QString text = QString::fromUtf8(twice.data(), static_cast<qsizetype>(twice.size()));
    for (std::size_t i = 0; i < compiled.size(); ++i)
        if (compiled[i].match(text).hasMatch())
            return kSignatures[i].first;
    return {};
}

} // namespace pulse
