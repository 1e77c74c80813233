// SilenceDialog: matchers, duration, comment.
#include "widgets/silence_dialog.h"

#include "core/alerting/silence_list.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace pulse {

SilenceDialog::SilenceDialog(const QString &matchers, QWidget *parent)
    : QDialog(parent), m_matchers(new QLineEdit(matchers)), m_duration(new QComboBox), m_comment(new QLineEdit),
      m_error(new QLabel), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Silence alerts"));
    const std::pair<const char *, std::int64_t> durations[] = {
        {"30 minutes", 30}, {"1 hour", 60}, {"2 hours", 120}, {"4 hours", 240},
        {"8 hours", 480},   {"1 day", 1440}, {"1 week", 10080}};
    for (const auto &[text, minutes] : durations)
        m_duration->addItem(tr(text), static_cast<qint64>(minutes * 60'000));
    m_duration->setCurrentIndex(1);
    m_comment->setPlaceholderText(tr("why (shown to everyone who looks at this alert)"));
    m_error->setTextFormat(Qt::PlainText); // parser messages quote what was typed
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("Matchers"), m_matchers);
    form->addRow(QString(), m_error);
    form->addRow(tr("For"), m_duration);
    form->addRow(tr("Comment"), m_comment);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_matchers, &QLineEdit::textChanged, this, &SilenceDialog::validate);
    validate();
}

void SilenceDialog::validate()
{
    auto parsed = parseMatchers(m_matchers->text().toStdString());
    m_error->setText(parsed ? QString() : QString::fromStdString(parsed.error().message));
    m_error->setVisible(!parsed);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(parsed.has_value());
}

QString SilenceDialog::matchers() const
{
    return m_matchers->text();
}

std::int64_t SilenceDialog::durationMs() const
{
    return m_duration->currentData().toLongLong();
}

QString SilenceDialog::comment() const
{
    return m_comment->text();
}

QString SilenceDialog::errorText() const
{
    return m_error->text();
}

} // namespace pulse
