#include "charts/ChartMarks.h"

#include <QChart>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>

namespace greenpulse::app {

namespace {
constexpr double kStaggerPx = 90; // labels of marks closer than this go one line lower
constexpr int kStaggerLines = 3;
} // namespace

ChartMarks::ChartMarks(QChart *chart, QAbstractAxis *x, QAbstractAxis *y)
    : m_chart(chart), m_x(x), m_y(y)
{}

ChartMarks::~ChartMarks()
{
    clear();
}

void ChartMarks::clear()
{
    for (Item &item : m_items) {
        m_chart->removeSeries(item.line);
        delete item.line;
        delete item.text;
    }
    m_items.clear();
}

void ChartMarks::setMarks(const QVector<ChartMark> &marks)
{
    bool same = marks.size() == m_items.size();
    for (int i = 0; same && i < marks.size(); ++i) {
        same = marks[i].xMs == m_items[i].mark.xMs && marks[i].label == m_items[i].mark.label;
    }
    if (same) {
        return;
    }
    clear();
    for (const ChartMark &mark : marks) {
        Item item{mark, new QLineSeries, new QGraphicsSimpleTextItem(mark.label, m_chart)};
        QPen pen(m_color, 1.5, Qt::DashLine);
        item.line->setPen(pen);
        item.line->setName(mark.label);
        m_chart->addSeries(item.line);
        item.line->attachAxis(m_x);
        item.line->attachAxis(m_y);
        for (QLegendMarker *marker : m_chart->legend()->markers(item.line)) {
            marker->setVisible(false);
        }
        QFont small = item.text->font();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        item.text->setFont(small);
        item.text->setBrush(m_color);
        item.text->setZValue(10);
        item.text->setVisible(false);
        m_items.append(item);
    }
}

void ChartMarks::place(double fromMs, double toMs, double top, double bottom)
{
    m_top = top;
    for (Item &item : m_items) {
        const bool inside = item.mark.xMs >= fromMs && item.mark.xMs <= toMs;
        item.line->setVisible(inside);
        item.text->setVisible(inside);
        if (inside) {
            item.line->replace({QPointF(item.mark.xMs, bottom), QPointF(item.mark.xMs, top)});
        }
    }
    reposition();
}

void ChartMarks::reposition()
{
    double lastX = -1e9;
    int line = 0;
    for (Item &item : m_items) {
        if (!item.text->isVisible()) {
            continue;
        }
        const QPointF at = m_chart->mapToPosition(QPointF(item.mark.xMs, m_top), item.line);
        line = at.x() - lastX < kStaggerPx ? (line + 1) % kStaggerLines : 0;
        lastX = at.x();
        const double height = item.text->boundingRect().height();
        // Right of the line, unless that runs off the plot.
        double x = at.x() + 3;
        if (x + item.text->boundingRect().width() > m_chart->plotArea().right()) {
            x = at.x() - 3 - item.text->boundingRect().width();
        }
        item.text->setPos(x, at.y() + 2 + line * height);
    }
}

void ChartMarks::applyPalette(const QPalette &palette)
{
    m_color = palette.color(QPalette::Text);
    m_color.setAlpha(170);
    for (Item &item : m_items) {
        QPen pen = item.line->pen();
        pen.setColor(m_color);
        item.line->setPen(pen);
        item.text->setBrush(m_color);
    }
}

QStringList ChartMarks::shownLabels() const
{
    QStringList out;
    for (const Item &item : m_items) {
        if (item.text->isVisible()) {
            out << item.mark.label;
        }
    }
    return out;
}

} // namespace greenpulse::app
