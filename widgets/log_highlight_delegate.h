// LogHighlightDelegate: paints the log view's message column with the search's hits marked, and
// the ANSI colours a line carried as colours. Text is laid out with QTextLayout and formats, never
// as HTML: a log line is untrusted and must not be able to inject markup.
#pragma once

#include <QRegularExpression>
#include <QStyledItemDelegate>

#include <string>
#include <vector>

namespace pulse {

/// LogHighlightDelegate marks, in each cell's display text, every case-insensitive occurrence of
/// the search terms, or every match of the search's regular expression; cells keep the view's
/// elision (the text is elided first, then marked). GUI thread only.
class LogHighlightDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    /// AnsiSpansRole (on the model) gives a cell's colour spans: a QVariantList of
    /// QVariantList{start, length, QColor} over its display text.
    static constexpr int AnsiSpansRole = Qt::UserRole + 40;

    explicit LogHighlightDelegate(QObject *parent = nullptr);

    /// setTerms marks these substrings (any case); setRegex marks a pattern's matches instead.
    void setTerms(const std::vector<std::string> &terms);
    void setRegex(const QRegularExpression &regex);
    void clear();

    /// readableOn says whether text in color stays legible on background: an ANSI colour that is
    /// not (a line painting itself in the background's colour) is not used.
    static bool readableOn(const QColor &color, const QColor &background);
    /// hits are the [start, length) ranges of text the delegate marks (for tests, too).
    QList<QPair<int, int>> hits(const QString &text) const;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QStringList m_terms;
    QRegularExpression m_regex;
};

} // namespace pulse
