// LogView: the logs dock and drill-down pane: search box, level filter, a table of records and a
// detail pane with the selected record's full text.
#pragma once

#include "core/logs/log_query.h"

#include <QWidget>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QShortcut;
class QTableView;
class QTimer;
class QToolButton;

namespace pulse {

class LogHighlightDelegate;
class LogModel;

/// LogView never queries by itself: every change of its filters emits queryRequested(LogQuery)
/// with a new generation, and the owner answers with setRecords(LogQueryAnswer) after running the
/// query off the GUI thread. Answers for an older generation are dropped, so a slow query cannot
/// overwrite a newer one. Search text: words, OR, NOT, "phrases" (core/logs/log_search.h), or
/// "/regex/"; hits are marked by LogHighlightDelegate. Ctrl+F (while focus is inside the view) or
/// focusSearch() puts the cursor in the search box. Everything shown comes from log lines and is
/// shown as plain text. GUI thread only.
///
/// Paging: an answer holds one page (LogQuery::limit lines). Scrolling to the top of a page that
/// was cut asks for the page before it, to the bottom of a drill-down the page after it; pages are
/// added to the rows (at most kMaxRows), so millions of stored lines scroll without being loaded.
///
/// Following:
///
///   following ──user scrolls up / selects──> paused ──scrolls to the bottom / Follow──> following
///      │ ^                                                                                  │
///      │ └────────────── "Back to the range" ──── pinned (showAround: a drill-down) <──────┘
///      └── every setTimeRange re-asks for the newest page; paused and pinned keep what is shown
class LogView : public QWidget {
    Q_OBJECT
public:
    /// kSearchDebounceMs delays the query while typing; Return queries at once.
    static constexpr int kSearchDebounceMs = 300;
    /// kMaxRows bounds the rows pages may add up to; narrow the range or search beyond it.
    static constexpr int kMaxRows = 100'000;

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
    /// targetFilter narrows the view to one of setTargets' targets (shown when there are several).
    QComboBox *targetFilter() const { return m_target; }
    QPlainTextEdit *detailPane() const { return m_detail; }
    QLabel *statusLabel() const { return m_status; }
    QToolButton *followButton() const { return m_follow; }
    QToolButton *contextButton() const { return m_context; }
    QToolButton *backButton() const { return m_back; }
    LogHighlightDelegate *highlighter() const { return m_highlighter; }
    /// following says new lines are asked for at every setTimeRange and the view stays at the bottom.
    bool following() const;
    /// pinned says a drill-down (showAround) is shown until "Back to the range".
    bool pinned() const { return m_pinned; }

public slots:
    /// setRecords shows an answer unless it is for an older query.
    void setRecords(pulse::LogQueryAnswer answer);
    /// focusSearch puts the cursor in the search box with its text selected.
    void focusSearch();
    /// requestQuery emits the current query again under a new generation (refresh).
    void requestQuery();
    /// showContext shows the selected line among the lines around it in its target, without the
    /// search (a search hit's context).
    void showContext();
    /// backToRange leaves a drill-down: the view follows the charts' range again.
    void backToRange();

signals:
    void queryRequested(pulse::LogQuery query);
    /// timeActivated asks for the charts at a line's time (a double-click on the line).
    void timeActivated(qint64 timeMs);

private:
    void applySearchText();
    void applyLevel();
    void applyTarget();
    void showSelected();
    void setFollowing(bool on);
    // followRange asks for the newest lines of the charts' range (following again).
    void followRange();
    void onScrolled(int value);
    void requestPage(bool older);
    void takePage(LogQueryAnswer answer);
    void updateHighlight();
    void updateStatus();
    const LogRecord *selectedRecord() const;

    LogQuery m_query;
    std::int64_t m_anchorMs = 0;
    bool m_hasAnchor = false;
    std::optional<LogRecord> m_anchorRecord; // showContext: the very line to select
    std::optional<LogRecord> m_keepSelected; // a refresh selects the same line again
    std::int64_t m_rangeFromMs = 0;          // the charts' range, kept while pinned
    std::int64_t m_rangeToMs = 0;
    bool m_pinned = false;
    bool m_adjusting = false; // the view scrolls itself: not the user pausing
    std::uint64_t m_nextGeneration = 0;
    std::uint64_t m_pageGeneration = 0; // the page asked for, 0: none
    bool m_pageOlder = false;
    bool m_moreOlder = false;
    bool m_moreNewer = false;
    bool m_rowsCapped = false;
    std::size_t m_answered = 0; // lines of the last answer
    LogModel *m_model = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_level = nullptr;
    QComboBox *m_target = nullptr;
    std::vector<std::string> m_viewTargets; // setTargets': what "All" means
    QLabel *m_status = nullptr;
    QTableView *m_table = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QTimer *m_debounce = nullptr;
    QShortcut *m_findShortcut = nullptr;
    QToolButton *m_follow = nullptr;
    QToolButton *m_context = nullptr;
    QToolButton *m_back = nullptr;
    LogHighlightDelegate *m_highlighter = nullptr;
};

} // namespace pulse
