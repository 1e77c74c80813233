// PanelEditorDialog: a form plus a live PromQL syntax check.
#include "widgets/panel_editor_dialog.h"

#include "core/promql/parser.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pulse {

PanelEditorDialog::PanelEditorDialog(const PanelConfig &panel, QWidget *parent)
    : QDialog(parent), m_original(panel), m_title(new QLineEdit(QString::fromStdString(panel.title))),
      m_exprs(new QPlainTextEdit), m_unit(new QLineEdit(QString::fromStdString(panel.unit))), m_kind(new QComboBox),
      m_error(new QLabel), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(panel.title.empty() ? tr("Add Panel") : tr("Edit Panel"));
    QStringList exprs;
    for (const auto &e : panel.exprs)
        exprs << QString::fromStdString(e);
    m_exprs->setPlainText(exprs.join(QLatin1Char('\n')));
    m_exprs->setPlaceholderText(tr("One PromQL expression per line, e.g. sum by (route) (rate(http_requests_total[1m]))"));
    for (auto name : panelKindNames())
        m_kind->addItem(QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size())));
    m_kind->setCurrentIndex(static_cast<int>(panel.kind));
    m_error->setTextFormat(Qt::PlainText); // errors quote the expression
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));

    auto *form = new QFormLayout;
    form->addRow(tr("Title"), m_title);
    form->addRow(tr("PromQL"), m_exprs);
    form->addRow(tr("Unit"), m_unit);
    form->addRow(tr("Kind"), m_kind);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_exprs, &QPlainTextEdit::textChanged, this, &PanelEditorDialog::validate);
    connect(m_title, &QLineEdit::textChanged, this, &PanelEditorDialog::validate);
    validate();
}

void PanelEditorDialog::validate()
{
    QString error;
    const QStringList lines = m_exprs->toPlainText().split(QLatin1Char('\n'));
    int count = 0;
    for (int i = 0; i < lines.size() && error.isEmpty(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        ++count;
        auto parsed = promql::parse(line.toStdString());
        if (!parsed)
            error = tr("line %1: %2").arg(i + 1).arg(QString::fromStdString(parsed.error().message));
    }
    if (error.isEmpty() && count == 0)
        error = tr("Enter at least one PromQL expression.");
    if (error.isEmpty() && m_title->text().trimmed().isEmpty())
        error = tr("Enter a title.");
    m_error->setText(error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

bool PanelEditorDialog::acceptable() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

QString PanelEditorDialog::validationText() const
{
    return m_error->text();
}

PanelConfig PanelEditorDialog::panel() const
{
    PanelConfig p = m_original;
    p.title = m_title->text().trimmed().toStdString();
    p.unit = m_unit->text().trimmed().toStdString();
    p.kind = static_cast<PanelKind>(m_kind->currentIndex());
    p.exprs.clear();
    for (const QString &line : m_exprs->toPlainText().split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            p.exprs.push_back(line.trimmed().toStdString());
    return p;
}

} // namespace pulse
