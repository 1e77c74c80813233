// AlertTemplate: a small compiler for `{{ ... }}` actions and an expander over (labels, value).
#include "core/alerting/alert_template.h"

#include "core/alerting/go_printf.h"
#include "core/alerting/humanize.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>

namespace pulse {
namespace {

constexpr std::array<std::string_view, 8> kFunctions = {"humanize",  "humanize1024", "humanizePercentage",
                                                        "humanizeDuration", "printf", "index", "toUpper",
                                                        "toLower"};

constexpr std::array<std::string_view, 9> kKeywords = {"if", "else", "end", "range", "with", "define",
                                                       "template", "block", "break"};

bool isIdentChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

/// ActionParser reads the inside of one `{{ }}`; `offset` is its byte position in the whole text,
/// for columns in errors.
class ActionParser {
public:
    ActionParser(std::string_view text, std::size_t offset) : m_text(text), m_offset(offset) {}

    Result<AlertTemplate::Pipeline> parse()
    {
        AlertTemplate::Pipeline pipeline;
        for (;;) {
            auto command = parseCommand();
            if (!command)
                return std::unexpected(command.error());
            pipeline.push_back(std::move(*command));
            skipSpace();
            if (m_pos == m_text.size())
                return pipeline;
            if (m_text[m_pos] != '|')
                return error("expected '|' or '}}'");
            ++m_pos;
        }
    }

private:
    std::unexpected<Error> error(std::string_view what) const
    {
        return fail("col " + std::to_string(m_offset + m_pos + 1) + ": " + std::string(what));
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])) != 0)
            ++m_pos;
    }

    std::string_view identifier()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && isIdentChar(m_text[m_pos]))
            ++m_pos;
        return m_text.substr(start, m_pos - start);
    }

    Result<AlertTemplate::Command> parseCommand()
    {
        AlertTemplate::Command command;
        skipSpace();
        if (m_pos < m_text.size() && std::isalpha(static_cast<unsigned char>(m_text[m_pos])) != 0) {
            const std::size_t start = m_pos;
            const std::string_view name = identifier();
            for (const auto k : kKeywords) {
                if (name == k) {
                    m_pos = start;
                    return error("'" + std::string(name) + "' is not supported in alert templates");
                }
            }
            bool known = false;
            for (const auto f : kFunctions)
                known = known || name == f;
            if (!known) {
                m_pos = start;
                return error("unknown function '" + std::string(name) +
                             "' (supported: humanize, humanize1024, humanizePercentage, humanizeDuration, "
                             "printf, index, toUpper, toLower)");
            }
            command.function = std::string(name);
        }
        for (;;) {
            skipSpace();
            if (m_pos == m_text.size() || m_text[m_pos] == '|')
                break;
            auto operand = parseOperand();
            if (!operand)
                return std::unexpected(operand.error());
            command.args.push_back(std::move(*operand));
        }
        if (command.function.empty() && command.args.size() != 1)
            return error(command.args.empty() ? "empty command" : "expected '|' between values");
        return command;
    }

    Result<AlertTemplate::Operand> parseOperand()
    {
        using Kind = AlertTemplate::Operand::Kind;
        const char c = m_text[m_pos];
        if (c == '"' || c == '`')
            return parseString(c);
        if (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-') {
            double number = 0;
            const auto [end, ec] = std::from_chars(m_text.data() + m_pos, m_text.data() + m_text.size(), number);
            if (ec != std::errc{})
                return error("expected a number");
            m_pos = static_cast<std::size_t>(end - m_text.data());
            return AlertTemplate::Operand{Kind::Number, {}, number};
        }
        const std::size_t start = m_pos;
        std::string_view head;
        if (c != '$' && c != '.')
            return error("unexpected '" + std::string(1, c) + "'");
        ++m_pos;
        head = identifier();
        const bool dollar = c == '$';
        if ((dollar && head == "value") || (!dollar && head == "Value"))
            return AlertTemplate::Operand{Kind::Value, {}, 0};
        const bool labels = (dollar && head == "labels") || (!dollar && head == "Labels");
        const bool external = (dollar && head == "externalLabels") || (!dollar && head == "ExternalLabels");
        if (!labels && !external) {
            m_pos = start;
            return error("unknown variable '" + std::string(m_text.substr(start, 1)) + std::string(head) +
                         "' (use $value or $labels.NAME)");
        }
        if (m_pos < m_text.size() && m_text[m_pos] == '.') {
            ++m_pos;
            const std::string_view name = identifier();
            if (name.empty())
                return error("expected a label name after '.'");
            return AlertTemplate::Operand{external ? Kind::ExternalLabel : Kind::Label, std::string(name), 0};
        }
        return AlertTemplate::Operand{external ? Kind::ExternalLabel : Kind::Labels, {}, 0};
    }

    Result<AlertTemplate::Operand> parseString(char quote)
    {
        const std::size_t start = m_pos++;
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            char ch = m_text[m_pos++];
            if (quote == '"' && ch == '\\' && m_pos < m_text.size()) {
                const char e = m_text[m_pos++];
                ch = e == 'n' ? '\n' : e == 't' ? '\t' : e;
            }
            out.push_back(ch);
        }
        if (m_pos == m_text.size()) {
            m_pos = start;
            return error("unterminated string");
        }
        ++m_pos;
        return AlertTemplate::Operand{AlertTemplate::Operand::Kind::String, std::move(out), 0};
    }

    std::string_view m_text;
    std::size_t m_offset;
    std::size_t m_pos = 0;
};

/// TemplateValue is what an operand or a function yields: a number, a string, or the label set.
struct TemplateValue {
    enum class Kind { Number, String, Labels };
    Kind kind = Kind::String;
    double number = 0;
    std::string text;
};

std::string toText(const TemplateValue &v, const Labels &labels)
{
    switch (v.kind) {
    case TemplateValue::Kind::Number:
        return goFloat(v.number);
    case TemplateValue::Kind::Labels: {
        // Go prints a map as map[k:v k:v].
        std::string out = "map[";
        for (const auto &l : labels) {
            if (out.size() > 4)
                out += ' ';
            out += l.name + ":" + l.value;
        }
        return out + "]";
    }
    case TemplateValue::Kind::String:
        break;
    }
    return v.text;
}

std::optional<double> toNumber(const TemplateValue &v)
{
    if (v.kind == TemplateValue::Kind::Number)
        return v.number;
    if (v.kind == TemplateValue::Kind::String) {
        double d = 0;
        const auto *end = v.text.data() + v.text.size();
        const auto [ptr, ec] = std::from_chars(v.text.data(), end, d);
        if (ec == std::errc{} && ptr == end)
            return d;
    }
    return std::nullopt;
}

TemplateValue evalOperand(const AlertTemplate::Operand &op, const Labels &labels, double value)
{
    using Kind = AlertTemplate::Operand::Kind;
    switch (op.kind) {
    case Kind::Value:
        return {TemplateValue::Kind::Number, value, {}};
    case Kind::Number:
        return {TemplateValue::Kind::Number, op.number, {}};
    case Kind::Label:
        return {TemplateValue::Kind::String, 0, std::string(labels.value(op.text))};
    case Kind::Labels:
        return {TemplateValue::Kind::Labels, 0, {}};
    case Kind::ExternalLabel:
    case Kind::String:
        break;
    }
    // Pulseboard has no external labels; they expand to nothing, as a missing label does.
    return {TemplateValue::Kind::String, 0, op.kind == Kind::String ? op.text : std::string()};
}

TemplateValue callFunction(const std::string &name, const std::vector<TemplateValue> &args, const Labels &labels)
{
    const auto str = [](std::string s) { return TemplateValue{TemplateValue::Kind::String, 0, std::move(s)}; };
    if (name == "printf") {
        if (args.empty())
            return str("<error: printf needs a format>");
        std::vector<PrintfArg> printfArgs;
        for (auto it = args.begin() + 1; it != args.end(); ++it)
            printfArgs.push_back({toNumber(*it), toText(*it, labels)});
        return str(goPrintf(toText(args[0], labels), printfArgs));
    }
    if (name == "index") {
        if (args.size() != 2 || args[0].kind != TemplateValue::Kind::Labels)
            return str("<error: index needs $labels and a label name>");
        return str(std::string(labels.value(toText(args[1], labels))));
    }
    if (args.size() != 1)
        return str("<error: " + name + " takes one value>");
    if (name == "toUpper" || name == "toLower") {
        std::string text = toText(args[0], labels);
        for (auto &c : text)
            c = static_cast<char>(name == "toUpper" ? std::toupper(static_cast<unsigned char>(c))
                                                    : std::tolower(static_cast<unsigned char>(c)));
        return str(std::move(text));
    }
    const auto number = toNumber(args[0]);
    if (!number)
        return str("<error: " + name + " needs a number, got \"" + toText(args[0], labels) + "\">");
    if (name == "humanize")
        return str(humanize(*number));
    if (name == "humanize1024")
        return str(humanize1024(*number));
    if (name == "humanizePercentage")
        return str(humanizePercentage(*number));
    return str(humanizeDuration(*number));
}

} // namespace

Result<AlertTemplate> AlertTemplate::compile(std::string_view text)
{
    AlertTemplate t;
    std::size_t pos = 0;
    std::string literal;
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            literal.append(text.substr(pos));
            break;
        }
        literal.append(text.substr(pos, open - pos));
        std::size_t inner = open + 2;
        if (inner < text.size() && text[inner] == '-' && inner + 1 < text.size() &&
            std::isspace(static_cast<unsigned char>(text[inner + 1])) != 0) {
            while (!literal.empty() && std::isspace(static_cast<unsigned char>(literal.back())) != 0)
                literal.pop_back();
            ++inner;
        }
        const std::size_t close = text.find("}}", inner);
        if (close == std::string_view::npos)
            return fail("col " + std::to_string(open + 1) + ": unclosed action: '{{' without '}}'");
        std::size_t innerEnd = close;
        bool trimAfter = false;
        if (innerEnd > inner && text[innerEnd - 1] == '-' && innerEnd - 1 > inner &&
            std::isspace(static_cast<unsigned char>(text[innerEnd - 2])) != 0) {
            --innerEnd;
            trimAfter = true;
        }
        const std::string_view action = text.substr(inner, innerEnd - inner);
        if (action.find_first_not_of(" \t\r\n") != std::string_view::npos &&
            action.substr(action.find_first_not_of(" \t\r\n")).starts_with("/*"))
            return fail("col " + std::to_string(open + 1) + ": comments are not supported in alert templates");
        auto pipeline = ActionParser(action, inner).parse();
        if (!pipeline)
            return std::unexpected(pipeline.error());
        if (!literal.empty())
            t.m_parts.emplace_back(std::move(literal));
        literal.clear();
        t.m_parts.emplace_back(std::move(*pipeline));
        pos = close + 2;
        if (trimAfter) {
            while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])) != 0)
                ++pos;
        }
    }
    if (!literal.empty())
        t.m_parts.emplace_back(std::move(literal));
    return t;
}

bool AlertTemplate::isPlain() const
{
    for (const auto &part : m_parts) {
        if (std::holds_alternative<Pipeline>(part))
            return false;
    }
    return true;
}

std::string AlertTemplate::expand(const Labels &labels, double value) const
{
    std::string out;
    for (const auto &part : m_parts) {
        if (const auto *text = std::get_if<std::string>(&part)) {
            out += *text;
            continue;
        }
        const auto &pipeline = std::get<Pipeline>(part);
        std::optional<TemplateValue> carried;
        for (const auto &command : pipeline) {
            std::vector<TemplateValue> args;
            args.reserve(command.args.size() + 1);
            for (const auto &op : command.args)
                args.push_back(evalOperand(op, labels, value));
            if (carried)
                args.push_back(std::move(*carried));
            if (command.function.empty())
                carried = args.empty() ? TemplateValue{} : std::move(args.front());
            else
                carried = callFunction(command.function, args, labels);
        }
        if (carried)
            out += toText(*carried, labels);
    }
    return out;
}

} // namespace pulse
