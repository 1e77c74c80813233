// Helpers the log tailer tests share: appending bytes to a file as a writer would, and the raw
// lines of records.
#pragma once

#include "core/logs/log_record.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <string>
#include <vector>

namespace pulse::test {

/// appendTo appends bytes to path (created if missing), as a log writer in O_APPEND mode does.
inline bool appendTo(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Append) && file.write(bytes) == bytes.size();
}

/// raws are the records' raw lines, in order.
inline std::vector<std::string> raws(const std::vector<LogRecord> &records)
{
    std::vector<std::string> out;
    out.reserve(records.size());
    for (const LogRecord &record : records)
        out.push_back(record.raw);
    return out;
}

} // namespace pulse::test
