// BackgroundWriter: produces a file's bytes and writes them on a pool thread, never the GUI thread.
#pragma once

#include "core/base/error.h"

#include <QObject>
#include <QString>

#include <functional>
#include <string>

namespace pulse {

/// BackgroundWriter runs `produce` and writes its result to `path` atomically (QSaveFile), keeping
/// the previous file as `<path>.bak` when asked, then emits finished() on the writer's thread.
class BackgroundWriter : public QObject {
    Q_OBJECT
public:
    explicit BackgroundWriter(QObject *parent = nullptr);

    /// write starts the job and returns at once. `produce` runs on the pool thread (it may read
    /// files); an error it returns is reported by finished() and nothing is written.
    void write(const QString &path, std::function<Result<std::string>()> produce, bool keepBackup);

    /// writeFile does the work synchronously (public for tests). Returns an error message or "".
    static QString writeFile(const std::string &bytes, const QString &path, bool keepBackup);

signals:
    void finished(QString path, QString error);
};

} // namespace pulse
