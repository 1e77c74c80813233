// PanelEditorDialog: add or edit one dashboard panel, with PromQL checked as you type.
#pragma once

#include "core/config/config.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace pulse {

/// PanelEditorDialog edits title, expressions (one per line), unit and kind. Every expression is
/// parsed on each keystroke; the first error is shown with its line and column and OK stays disabled
/// until all parse. Nothing is evaluated here (no data access on the GUI thread).
class PanelEditorDialog : public QDialog {
    Q_OBJECT
public:
    explicit PanelEditorDialog(const PanelConfig &panel, QWidget *parent = nullptr);

    /// panel is the edited panel (thresholds and legend are kept from the original).
    PanelConfig panel() const;
    /// validationText is the current error ("" when every expression parses), for tests.
    QString validationText() const;
    QPlainTextEdit *exprEdit() const { return m_exprs; }
    QLineEdit *titleEdit() const { return m_title; }
    bool acceptable() const;

private:
    void validate();

    PanelConfig m_original;
    QLineEdit *m_title;
    QPlainTextEdit *m_exprs;
    QLineEdit *m_unit;
    QComboBox *m_kind;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace pulse
