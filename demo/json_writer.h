// A small ordered JSON writer: members come out in the order written, which GraphQL responses need
// (the response follows the selection order) and which keeps log lines and health answers readable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::demo {

/// JsonWriter appends JSON to a string. Inside an object, call key() before each value.
/// The caller balances begin/end calls; the writer only tracks where commas go.
class JsonWriter {
public:
    JsonWriter &beginObject();
    JsonWriter &endObject();
    JsonWriter &beginArray();
    JsonWriter &endArray();
    JsonWriter &key(std::string_view name);

    JsonWriter &string(std::string_view value);
    JsonWriter &integer(std::int64_t value);
    /// number writes non-finite values as null, since JSON has no NaN or infinity.
    JsonWriter &number(double value);
    JsonWriter &boolean(bool value);
    JsonWriter &null();

    /// The *Member functions write `"name":value` inside an object, one statement per member.
    JsonWriter &stringMember(std::string_view name, std::string_view value) { return key(name).string(value); }
    JsonWriter &integerMember(std::string_view name, std::int64_t value) { return key(name).integer(value); }
    JsonWriter &numberMember(std::string_view name, double value) { return key(name).number(value); }
    /// objectMember opens a nested object; close it with endObject().
    JsonWriter &objectMember(std::string_view name) { return key(name).beginObject(); }

    const std::string &text() const { return m_text; }
    std::string take() { return std::move(m_text); }


private:
    void beforeValue();

    std::string m_text;
    /// m_needsComma has one entry per open container: whether the next element needs a comma first.
    std::vector<bool> m_needsComma;
    bool m_afterKey = false;
};

} // namespace pulse::demo
