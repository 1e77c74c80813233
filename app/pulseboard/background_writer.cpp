// BackgroundWriter: QThreadPool job + QSaveFile.
#include "app/pulseboard/background_writer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>

namespace pulse {

BackgroundWriter::BackgroundWriter(QObject *parent) : QObject(parent) {}

QString BackgroundWriter::writeFile(const std::string &bytes, const QString &path, bool keepBackup)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return QStringLiteral("cannot create folder %1").arg(info.absolutePath());
    if (keepBackup && info.exists()) {
        const QString backup = path + QStringLiteral(".bak");
        QFile::remove(backup);
        if (!QFile::copy(path, backup))
            return QStringLiteral("cannot keep a backup at %1").arg(backup);
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
    out.write(bytes.data(), static_cast<qint64>(bytes.size()));
    if (!out.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
    return {};
}

void BackgroundWriter::write(const QString &path, std::function<Result<std::string>()> produce, bool keepBackup)
{
    QPointer<BackgroundWriter> self(this);
    QThreadPool::globalInstance()->start([self, path, produce = std::move(produce), keepBackup] {
        const auto bytes = produce();
        const QString error =
            bytes ? writeFile(*bytes, path, keepBackup) : QString::fromStdString(bytes.error().message);
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, path, error] {
                if (self)
                    emit self->finished(path, error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace pulse
