// LogView: the logs dock and drill-down pane: search box, level filter, a table of records and a
// detail pane with the selected record's full text.
#pragma once

#include "core/logs/log_query.h"

#include <QWidget>

#include <cstdint>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QShortcut;
class QTableView;
class QTimer;

namespace pulse {

class LogModel;

/// LogView never queries by itself: every change of its filters emits queryRequested(LogQuery)
/// with a new generation, and the owner answers with setRecords(LogQueryAnswer) after running the
/// query off the GUI thread. Answers for an older generation are dropped, so a slow query cannot
/// overwrite a newer one. Search text: a substring, or "/regex/". Ctrl+F (while focus is inside
/// the view) or focusSearch() puts the cursor in the search box. Everything shown comes from log
/// lines and is shown as plain text. GUI thread only.
class LogView : public QWidget {
    Q_OBJECT
public:
    /// kSearchDebounceMs delays the query while typing; Return queries at once.
    static constexpr int kSearchDebounceMs = 300;

    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    /// setTargets limits the view to these targets (empty: all) and re-queries.
    void setTargets(std::vector<std::string> targets);
    /// setTimeRange limits the view to [fromMs, toMs) and re-queries (the visible chart range).
    void setTimeRange(std::int64_t fromMs, std::int64_t toMs);
    /// showAround is the drill-down: the targets' records (empty: every target) within windowMs of
    /// timeMs; when the answer
    /// arrives, the record nearest timeMs is selected and scrolled to the middle.
    void showAround(std::vector<std::string> targets, std::int64_t timeMs, std::int64_t windowMs);
    /// setFindShortcutEnabled turns the view's own Ctrl+F off when a window-wide action has it.
    void setFindShortcutEnabled(bool enabled);

    /// query is the query the view currently wants answered.
    const LogQuery &query() const { return m_query; }
    LogModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchBox() const { return m_search; }
    QComboBox *levelFilter() const { return m_level; }
    QPlainTextEdit *detailPane() const { return m_detail; }
    QLabel *statusLabel() const { return m_status; }

public slots:
    /// setRecords shows an answer unless it is for an older query.
    void setRecords(pulse::LogQueryAnswer answer);
    /// focusSearch puts the cursor in the search box with its text selected.
    void focusSearch();
    /// requestQuery emits the current query again under a new generation (refresh).
    void requestQuery();

signals:
    void queryRequested(pulse::LogQuery query);

private:
    void applySearchText();
    void applyLevel();
    void showSelected();

    LogQuery m_query;
    std::int64_t m_anchorMs = 0;
    bool m_hasAnchor = false;
    LogModel *m_model = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_level = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_table = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QTimer *m_debounce = nullptr;
    QShortcut *m_findShortcut = nullptr;
};

} // namespace pulse
