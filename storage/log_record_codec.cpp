// Encoding of a log record's fields and flags for the `log_record` table (see log_record_codec.h).
#include "storage/log_record_codec.h"

#include "core/base/varint.h"

namespace pulse::storage {

std::string encodeLogFields(const std::vector<LogField> &fields)
{
    std::string out;
    appendLogFields(out, fields);
    return out;
}

void appendLogFields(std::string &out, const std::vector<LogField> &fields)
{
    for (const auto &[name, value] : fields) {
        appendVarint(out, name.size());
        out += name;
        appendVarint(out, value.size());
        out += value;
    }
}

std::size_t encodedLogFieldsSize(const std::vector<LogField> &fields)
{
    auto varintSize = [](std::uint64_t n) {
        std::size_t bytes = 1;
        while (n >= 0x80) {
            n >>= 7;
            ++bytes;
        }
        return bytes;
    };
    std::size_t size = 0;
    for (const auto &[name, value] : fields)
        size += varintSize(name.size()) + name.size() + varintSize(value.size()) + value.size();
    return size;
}

std::optional<std::vector<LogField>> decodeLogFields(std::string_view bytes)
{
    std::vector<LogField> fields;
    std::size_t pos = 0;
    auto take = [&](std::string &out) {
        std::uint64_t n = 0;
        if (!readVarint(bytes, pos, n) || n > bytes.size() - pos)
            return false;
        out.assign(bytes.substr(pos, static_cast<std::size_t>(n)));
        pos += static_cast<std::size_t>(n);
        return true;
    };
    while (pos < bytes.size()) {
        LogField field;
        if (!take(field.first) || !take(field.second))
            return std::nullopt;
        fields.push_back(std::move(field));
    }
    return fields;
}

std::int64_t logRecordFlags(const LogRecord &record)
{
    return (record.truncated ? kLogTruncated : 0) | (record.malformed ? kLogMalformed : 0) |
           (record.timeReplaced ? kLogTimeReplaced : 0);
}

void applyLogRecordFlags(std::int64_t flags, LogRecord &record)
{
    record.truncated = (flags & kLogTruncated) != 0;
    record.malformed = (flags & kLogMalformed) != 0;
    record.timeReplaced = (flags & kLogTimeReplaced) != 0;
}

} // namespace pulse::storage
