// compileLinePattern: LinePattern over QRegularExpression (see line_pattern.h).
#include "core/logs/line_pattern.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace pulse {

namespace {

class QtLinePattern final : public LinePattern {
public:
    explicit QtLinePattern(QRegularExpression regex) : m_regex(std::move(regex)) {}

    bool search(std::string_view line) const override { return matchOf(line).hasMatch(); }

    std::optional<Captures> match(std::string_view line) const override
    {
        const QRegularExpressionMatch found = matchOf(line);
        if (!found.hasMatch())
            return std::nullopt;
        Captures out;
        out.reserve(std::size_t(found.lastCapturedIndex() + 1));
        for (int i = 0; i <= found.lastCapturedIndex(); ++i) {
            if (found.capturedStart(i) < 0)
                out.emplace_back(std::nullopt);
            else
                out.emplace_back(found.captured(i).toStdString());
        }
        return out;
    }

    std::vector<std::string> groupNames() const override
    {
        std::vector<std::string> out;
        for (const QString &name : m_regex.namedCaptureGroups())
            out.push_back(name.toStdString());
        return out;
    }

private:
    // A copy a call: QRegularExpression is reentrant, not documented thread-safe, and a copy shares
    // the compiled pattern (one reference count more).
    QRegularExpressionMatch matchOf(std::string_view line) const
    {
        const QRegularExpression regex = m_regex;
        return regex.match(QString::fromUtf8(line.data(), qsizetype(line.size())));
    }

    QRegularExpression m_regex;
};

} // namespace

Result<std::shared_ptr<const LinePattern>> compileLinePattern(std::string_view pattern)
{
    QRegularExpression regex(QString::fromUtf8(pattern.data(), qsizetype(pattern.size())));
    if (!regex.isValid()) {
        return fail("invalid pattern at offset " + std::to_string(regex.patternErrorOffset()) + ": " +
                    regex.errorString().toStdString());
    }
    regex.optimize();
    return std::make_shared<const QtLinePattern>(std::move(regex));
}

} // namespace pulse
