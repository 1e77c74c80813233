// SilenceDialog: mute alerts that match label matchers for a while, with a comment saying why.
#pragma once

#include <QDialog>

#include <cstdint>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace pulse {

/// SilenceDialog checks the matchers as they are typed (same rules as Alertmanager: at least one
/// matcher that does not match the empty string) and only then enables OK.
class SilenceDialog : public QDialog {
    Q_OBJECT
public:
    explicit SilenceDialog(const QString &matchers, QWidget *parent = nullptr);

    QString matchers() const;
    std::int64_t durationMs() const;
    QString comment() const;
    /// errorText is the matchers' problem as shown (empty when they are fine), for tests.
    QString errorText() const;

private:
    void validate();

    QLineEdit *m_matchers;
    QComboBox *m_duration;
    QLineEdit *m_comment;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace pulse
