// AlertsPanel: layout, selection-driven buttons, and the silences and rules tables.
#include "widgets/alerts_panel.h"

#include "widgets/alert_drill_down.h"
#include "widgets/alert_table_model.h"
#include "widgets/silence_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pulse {
namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString timeText(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

/// item makes a read-only cell; QTableWidgetItem text is always drawn as plain text.
QTableWidgetItem *item(const QString &text)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return cell;
}

} // namespace

AlertsPanel::AlertsPanel(QWidget *parent)
    : QWidget(parent), m_model(new AlertTableModel(this)), m_tabs(new QTabWidget), m_view(new QTableView),
      m_filter(new QComboBox), m_showSilenced(new QCheckBox(tr("Silenced"))), m_search(new QLineEdit),
      m_ack(new QPushButton(tr("Acknowledge"))), m_silence(new QPushButton(tr("Silence…"))),
      m_show(new QPushButton(tr("Show"))), m_error(new QLabel), m_silences(new QTableWidget(0, 5)),
      m_rules(new QTableWidget(0, 4)), m_exec([](QDialog &d) { return d.exec() == QDialog::Accepted; })
{
    m_filter->addItems({tr("All"), tr("Firing"), tr("Pending"), tr("Resolved")});
    m_showSilenced->setChecked(true);
    m_search->setPlaceholderText(tr("Filter alerts"));
    m_search->setClearButtonEnabled(true);
    m_show->setToolTip(tr("Open the target's charts and logs at the time of this alert (or double-click)"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();

    m_view->setModel(m_model);
    m_view->setObjectName(QStringLiteral("alertsView"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    // Short columns fit their text; the summary takes what is left (full text in the tooltip).
    auto *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    for (const int column :
         {AlertTableModel::StateColumn, AlertTableModel::AlertColumn, AlertTableModel::SeverityColumn,
          AlertTableModel::SinceColumn, AlertTableModel::ValueColumn})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_view->setWordWrap(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter);
    bar->addWidget(m_showSilenced);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_ack);
    bar->addWidget(m_silence);
    bar->addWidget(m_show);
    auto *alertsPage = new QWidget;
    auto *alertsLayout = new QVBoxLayout(alertsPage);
    alertsLayout->setContentsMargins(0, 0, 0, 0);
    alertsLayout->addLayout(bar);
    alertsLayout->addWidget(m_view, 1);

    m_silences->setHorizontalHeaderLabels({tr("Matchers"), tr("From"), tr("Until"), tr("Comment"), tr("State")});
    m_silences->horizontalHeader()->setStretchLastSection(true);
    m_silences->verticalHeader()->hide();
    m_silences->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto *expire = new QPushButton(tr("Expire"));
    auto *silencesPage = new QWidget;
    auto *silencesLayout = new QVBoxLayout(silencesPage);
    silencesLayout->setContentsMargins(0, 0, 0, 0);
    silencesLayout->addWidget(m_silences, 1);
    silencesLayout->addWidget(expire, 0, Qt::AlignRight);

    m_rules->setHorizontalHeaderLabels({tr("Rule"), tr("Last evaluation"), tr("Took"), tr("Error")});
    m_rules->horizontalHeader()->setStretchLastSection(true);
    m_rules->verticalHeader()->hide();

    m_tabs->addTab(alertsPage, tr("Alerts"));
    m_tabs->addTab(silencesPage, tr("Silences"));
    m_tabs->addTab(m_rules, tr("Rules"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_error);
    layout->addWidget(m_tabs, 1);

    connect(m_filter, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_model->setFilter(static_cast<AlertTableModel::Filter>(index)); });
    connect(m_showSilenced, &QCheckBox::toggled, m_model, &AlertTableModel::setShowSilenced);
    connect(m_search, &QLineEdit::textChanged, m_model, &AlertTableModel::setTextFilter);
    connect(m_ack, &QPushButton::clicked, this, &AlertsPanel::toggleAcknowledge);
    connect(m_silence, &QPushButton::clicked, this, &AlertsPanel::openSilenceDialog);
    connect(m_show, &QPushButton::clicked, this, &AlertsPanel::drillDown);
    connect(m_view, &QTableView::doubleClicked, this, &AlertsPanel::drillDown);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AlertsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AlertsPanel::updateButtons);
    connect(expire, &QPushButton::clicked, this, [this] {
        const int row = m_silences->currentRow();
        if (row >= 0 && static_cast<std::size_t>(row) < m_silenceIds.size())
            emit expireRequested(m_silenceIds[static_cast<std::size_t>(row)]);
    });
    updateButtons();
}

void AlertsPanel::setAlerts(std::vector<Alert> alerts, std::int64_t nowMs)
{
    // The model resets: keep the selected alert selected across the refresh.
    const int row = selectedRow();
    const QString key = row >= 0 ? m_model->index(row, 0).data(AlertTableModel::KeyRole).toString() : QString();
    m_nowMs = nowMs;
    m_model->setAlerts(std::move(alerts), nowMs);
    for (int r = 0; !key.isEmpty() && r < m_model->rowCount(); ++r) {
        if (m_model->index(r, 0).data(AlertTableModel::KeyRole).toString() == key) {
            m_view->selectRow(r);
            break;
        }
    }
    m_tabs->setTabText(0, m_model->firingCount() > 0 ? tr("Alerts (%1 firing)").arg(m_model->firingCount())
                                                     : tr("Alerts"));
}

void AlertsPanel::setSilences(const std::vector<Silence> &silences, std::int64_t nowMs)
{
    m_silences->setRowCount(static_cast<int>(silences.size()));
    m_silenceIds.clear();
    for (int r = 0; r < static_cast<int>(silences.size()); ++r) {
        const Silence &s = silences[static_cast<std::size_t>(r)];
        m_silenceIds.push_back(s.id);
        m_silences->setItem(r, 0, item(qs(s.matchersText())));
        m_silences->setItem(r, 1, item(timeText(s.startsMs)));
        m_silences->setItem(r, 2, item(timeText(s.endsMs)));
        m_silences->setItem(r, 3, item(qs(s.comment)));
        m_silences->setItem(r, 4, item(s.isActive(nowMs) ? tr("active") : tr("expired")));
    }
}

void AlertsPanel::setHealth(const std::vector<RuleHealth> &health)
{
    m_rules->setRowCount(static_cast<int>(health.size()));
    for (int r = 0; r < static_cast<int>(health.size()); ++r) {
        const RuleHealth &h = health[static_cast<std::size_t>(r)];
        m_rules->setItem(r, 0, item(qs(h.rule)));
        m_rules->setItem(r, 1, item(h.lastEvaluationMs > 0 ? timeText(h.lastEvaluationMs) : tr("not yet")));
        m_rules->setItem(r, 2, item(QStringLiteral("%1 ms").arg(static_cast<double>(h.evaluationNs) / 1e6, 0, 'f', 2)));
        auto *error = item(h.error.empty() ? tr("ok") : qs(h.error));
        if (!h.error.empty())
            error->setForeground(QColor(192, 57, 43));
        m_rules->setItem(r, 3, error);
    }
}

void AlertsPanel::setError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

int AlertsPanel::selectedRow() const
{
    const auto rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void AlertsPanel::updateButtons()
{
    const Alert *a = m_model->alertAt(selectedRow());
    m_ack->setEnabled(a != nullptr && a->state != AlertState::Inactive);
    m_ack->setText(a != nullptr && a->acknowledged ? tr("Unacknowledge") : tr("Acknowledge"));
    m_silence->setEnabled(a != nullptr);
    m_show->setEnabled(a != nullptr && a->labels.has("job"));
}

void AlertsPanel::toggleAcknowledge()
{
    const Alert *a = m_model->alertAt(selectedRow());
    if (a != nullptr && a->state != AlertState::Inactive)
        emit acknowledgeRequested(QString::fromStdString(a->key()), !a->acknowledged);
}

void AlertsPanel::openSilenceDialog()
{
    const int row = selectedRow();
    const QString matchers = row >= 0 ? m_model->index(row, 0).data(AlertTableModel::MatchersRole).toString()
                                      : QStringLiteral("{alertname=\"\"}");
    SilenceDialog dialog(matchers, this);
    if (m_exec(dialog))
        emit silenceRequested(dialog.matchers(), dialog.durationMs(), dialog.comment());
}

void AlertsPanel::drillDown()
{
    const Alert *a = m_model->alertAt(selectedRow());
    if (a == nullptr)
        return;
    if (const auto to = alertDrillDown(*a, m_nowMs))
        emit drillDownRequested(to->job, to->startMs, to->endMs, to->atMs);
}

} // namespace pulse
