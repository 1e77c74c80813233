// Ordered JSON output for the demo service's answers and log lines.
#include "demo/json_writer.h"

#include "core/base/text_encoding.h"

#include <charconv>
#include <cmath>

namespace pulse::demo {

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_needsComma.empty()) {
        if (m_needsComma.back())
            m_text += ',';
        m_needsComma.back() = true;
    }
}

JsonWriter &JsonWriter::beginObject()
{
    beforeValue();
    m_text += '{';
    m_needsComma.push_back(false);
    return *this;
}

JsonWriter &JsonWriter::endObject()
{
    m_text += '}';
    m_needsComma.pop_back();
    return *this;
}

JsonWriter &JsonWriter::beginArray()
{
    beforeValue();
    m_text += '[';
    m_needsComma.push_back(false);
    return *this;
}

JsonWriter &JsonWriter::endArray()
{
    m_text += ']';
    m_needsComma.pop_back();
    return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
    beforeValue();
    appendJsonString(m_text, name);
    m_text += ':';
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::string(std::string_view value)
{
    beforeValue();
    appendJsonString(m_text, value);
    return *this;
}

JsonWriter &JsonWriter::integer(std::int64_t value)
{
    beforeValue();
    m_text += std::to_string(value);
    return *this;
}

JsonWriter &JsonWriter::number(double value)
{
    beforeValue();
    if (!std::isfinite(value)) {
        m_text += "null";
        return *this;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    m_text.append(buffer, result.ptr);
    return *this;
}

JsonWriter &JsonWriter::boolean(bool value)
{
    beforeValue();
    m_text += value ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::null()
{
    beforeValue();
    m_text += "null";
    return *this;
}

} // namespace pulse::demo
