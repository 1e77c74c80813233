// Notification values: fingerprints and label-set strings as Prometheus's Go libraries make them.
#include "core/alerting/notification.h"

#include <algorithm>
#include <cstdio>

namespace pulse {

bool Notification::firing() const
{
    return std::any_of(alerts.begin(), alerts.end(), [](const NotifyAlert &a) { return !a.resolved(); });
}

std::uint64_t alertFingerprint(const Labels &labels)
{
    constexpr std::uint64_t kOffset = 14695981039346656037ULL;
    constexpr std::uint64_t kPrime = 1099511628211ULL;
    std::uint64_t hash = kOffset;
    auto add = [&](std::string_view bytes) {
        for (char c : bytes) {
            hash ^= static_cast<unsigned char>(c);
            hash *= kPrime;
        }
    };
    auto separator = [&] {
        hash ^= 0xffU;
        hash *= kPrime;
    };
    for (const Label &l : labels) { // Labels keeps them sorted by name
        add(l.name);
        separator();
        add(l.value);
        separator();
    }
    return hash;
}

namespace {

// appendGoQuoted writes text as Go's strconv.Quote: printable UTF-8 as is, the usual escapes, other
// bytes as \xNN.
void appendGoQuoted(std::string &out, std::string_view text)
{
    out += '"';
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '\n':
            out += "\\n";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\t':
            out += "\\t";
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += char(c);
        }
    }
    out += '"';
}

} // namespace

std::string goLabelSetString(const Labels &labels)
{
    std::string out = "{";
    bool first = true;
    for (const Label &l : labels) {
        if (!first)
            out += ", ";
        first = false;
        out += l.name;
        out += '=';
        appendGoQuoted(out, l.value);
    }
    out += '}';
    return out;
}

} // namespace pulse
