// KeyedFields: how the key/value log formats (JSON lines, logfmt) fill a record from their pairs —
// the first time, level and message keys they recognise become the record's time, level and
// message; every other pair, and one whose value could not be read as what its key names, stays a
// field in line order. Internal to core/logs.
#pragma once

#include "core/logs/log_record.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pulse::detail {

/// KeyNames are the spellings a format gives its time, level and message keys. The arrays they view
/// must outlive every KeyedFields using them (the formats keep them as static constants).
struct KeyNames {
    std::span<const std::string_view> time;
    std::span<const std::string_view> level;
    std::span<const std::string_view> message;
};

inline bool isOneOf(std::string_view key, std::span<const std::string_view> names)
{
    for (std::string_view name : names)
        if (key == name)
            return true;
    return false;
}

class KeyedFields {
public:
    KeyedFields(LogRecord &record, KeyNames names) : m_record(record), m_names(names) {}

    /// take files one pair; timeOf(value) reads a value as a time (milliseconds) and is only called
    /// for a time key.
    template <class TimeOf> void take(std::string key, std::string value, TimeOf &&timeOf)
    {
        if (!m_haveTime && isOneOf(key, m_names.time)) {
            if (const std::optional<std::int64_t> ms = timeOf(value)) {
                m_record.timestampMs = *ms;
                m_haveTime = true;
                return;
            }
        } else if (!m_haveLevel && isOneOf(key, m_names.level)) {
            // An unrecognised level stays visible as a field instead of vanishing.
            m_record.level = parseLogLevel(value);
            m_haveLevel = m_record.level != LogLevel::Unknown;
            if (m_haveLevel)
                return;
        } else if (!m_haveMessage && isOneOf(key, m_names.message)) {
            m_record.message = std::move(value);
            m_haveMessage = true;
            return;
        }
        m_record.fields.emplace_back(std::move(key), std::move(value));
    }

    /// finish makes the raw line the message when no message key was found.
    void finish()
    {
        if (!m_haveMessage)
            m_record.message = m_record.raw;
    }

private:
    LogRecord &m_record;
    KeyNames m_names;
    bool m_haveTime = false;
    bool m_haveLevel = false;
    bool m_haveMessage = false;
};

} // namespace pulse::detail
