// ConfigSaver: YAML out, atomically, with a backup of what was there.
#include "app/pulseboard/config_saver.h"

#include "core/config_loader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThreadPool>

namespace pulse {

ConfigSaver::ConfigSaver(QObject *parent) : QObject(parent) {}

QString ConfigSaver::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/pulseboard/pulseboard.yaml");
}

QString ConfigSaver::writeFile(const std::string &yaml, const QString &path)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return QStringLiteral("cannot create folder %1").arg(info.absolutePath());
    if (info.exists()) {
        const QString backup = path + QStringLiteral(".bak");
        QFile::remove(backup);
        if (!QFile::copy(path, backup))
            return QStringLiteral("cannot keep a backup at %1").arg(backup);
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
    out.write(yaml.data(), static_cast<qint64>(yaml.size()));
    if (!out.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, out.errorString());
    return {};
}

void ConfigSaver::save(const Config &config, const QString &path)
{
    // dumpConfig writes every secret as <secret>: a saved file never leaks a token.
    std::string yaml = dumpConfig(config);
    QPointer<ConfigSaver> self(this);
    QThreadPool::globalInstance()->start([self, yaml = std::move(yaml), path] {
        const QString error = writeFile(yaml, path);
        if (self)
            QMetaObject::invokeMethod(self, [self, path, error] {
                if (self)
                    emit self->finished(path, error);
            }, Qt::QueuedConnection);
    });
}

} // namespace pulse
