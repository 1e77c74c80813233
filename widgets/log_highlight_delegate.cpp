// LogHighlightDelegate: search hits and ANSI colours painted with QTextLayout formats.
#include "widgets/log_highlight_delegate.h"

#include <QApplication>
#include <QPainter>
#include <QTextLayout>

#include <cstdlib>

namespace pulse {

LogHighlightDelegate::LogHighlightDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

void LogHighlightDelegate::setTerms(const std::vector<std::string> &terms)
{
    m_regex = {};
    m_terms.clear();
    for (const std::string &t : terms)
        if (!t.empty())
            m_terms << QString::fromUtf8(t.data(), qsizetype(t.size()));
}

void LogHighlightDelegate::setRegex(const QRegularExpression &regex)
{
    m_terms.clear();
    m_regex = regex;
}

void LogHighlightDelegate::clear()
{
    m_terms.clear();
    m_regex = {};
}

QList<QPair<int, int>> LogHighlightDelegate::hits(const QString &text) const
{
    QList<QPair<int, int>> out;
    if (m_regex.isValid() && !m_regex.pattern().isEmpty()) {
        auto it = m_regex.globalMatch(text);
        while (it.hasNext() && out.size() < 256) {
            const auto m = it.next();
            if (m.capturedLength() > 0)
                out.append({int(m.capturedStart()), int(m.capturedLength())});
        }
        return out;
    }
    for (const QString &term : m_terms) {
        for (qsizetype at = text.indexOf(term, 0, Qt::CaseInsensitive); at >= 0 && out.size() < 256;
             at = text.indexOf(term, at + term.size(), Qt::CaseInsensitive))
            out.append({int(at), int(term.size())});
    }
    return out;
}

bool LogHighlightDelegate::readableOn(const QColor &color, const QColor &background)
{
    return std::abs(color.lightness() - background.lightness()) >= 60;
}

void LogHighlightDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariantList ansi = index.data(AnsiSpansRole).toList();
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    const QList<QPair<int, int>> marks = hits(text);
    if (marks.isEmpty() && ansi.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The cell without its text (background, selection, focus), then the text with its formats.
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    const QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(2, 0, -2, 0);
    const QString shown = opt.fontMetrics.elidedText(text, opt.textElideMode, rect.width());

    QList<QTextLayout::FormatRange> formats;
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor background = opt.palette.color(QPalette::Base);
    for (const QVariant &span : ansi) {
        const QVariantList s = span.toList();
        if (s.size() != 3 || selected)
            continue;
        const QColor color = s[2].value<QColor>();
        if (!readableOn(color, background))
            continue; // a line can ask for any RGB, its background's too: the row's colour then
        QTextCharFormat f;
        f.setForeground(color);
        formats.append({s[0].toInt(), s[1].toInt(), f});
    }
    for (const auto &[start, length] : marks) {
        if (start >= shown.size())
            continue;
        QTextCharFormat f;
        f.setBackground(QColor(255, 210, 0, 150)); // readable on light and dark palettes
        f.setFontWeight(QFont::Bold);
        formats.append({start, int(std::min<qsizetype>(length, shown.size() - start)), f});
    }
    QTextLayout layout(shown, opt.font);
    layout.setFormats(formats);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(rect.width());
    layout.endLayout();
    painter->save();
    painter->setClipRect(rect);
    painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    if (const QVariant fg = index.data(Qt::ForegroundRole); fg.canConvert<QBrush>() && !selected)
        painter->setPen(fg.value<QBrush>().color());
    const qreal y = rect.top() + (rect.height() - line.height()) / 2;
    layout.draw(painter, QPointF(rect.left(), y));
    painter->restore();
}

} // namespace pulse
