// ConfigSaver: writes the running config to the user's config file, off the GUI thread.
#pragma once

#include "core/config.h"

#include <QObject>
#include <QString>

namespace pulse {

/// ConfigSaver writes dumpConfig(config) to a file on a pool thread, keeping the previous file as
/// `<file>.bak`, and reports back by queued signal. Nothing is written unless save() is called.
class ConfigSaver : public QObject {
    Q_OBJECT
public:
    explicit ConfigSaver(QObject *parent = nullptr);

    /// defaultPath is $XDG_CONFIG_HOME/pulseboard/pulseboard.yaml (usually ~/.config/...).
    static QString defaultPath();

    /// save starts writing and returns at once; finished() follows.
    void save(const Config &config, const QString &path);

    /// writeFile does the work synchronously; it is public for tests. Returns an error message or "".
    static QString writeFile(const std::string &yaml, const QString &path);

signals:
    void finished(QString path, QString error);
};

} // namespace pulse
