// How a LogRecord's parts that are not columns of their own are stored in `log_record`: the parsed
// fields as one blob, the three booleans as one flags integer.
#pragma once

#include "core/logs/log_record.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::storage {

/// encodeLogFields writes each field as varint(name length) name varint(value length) value, in
/// order: byte-exact, whatever the bytes are.
std::string encodeLogFields(const std::vector<LogField> &fields);
/// appendLogFields appends encodeLogFields(fields) to out.
void appendLogFields(std::string &out, const std::vector<LogField> &fields);
/// encodedLogFieldsSize is encodeLogFields(fields).size(), without building the bytes.
std::size_t encodedLogFieldsSize(const std::vector<LogField> &fields);
/// decodeLogFields reads encodeLogFields's bytes; nullopt when they are cut short or malformed.
std::optional<std::vector<LogField>> decodeLogFields(std::string_view bytes);

constexpr std::int64_t kLogTruncated = 1;
constexpr std::int64_t kLogMalformed = 2;
constexpr std::int64_t kLogTimeReplaced = 4;

std::int64_t logRecordFlags(const LogRecord &record);
void applyLogRecordFlags(std::int64_t flags, LogRecord &record);

} // namespace pulse::storage
