#pragma once

#include <QColor>
#include <QPalette>
#include <QString>
#include <QStringList>
#include <QVector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QGraphicsSimpleTextItem;
class QLineSeries;
QT_END_NAMESPACE

namespace greenpulse::app {

// A moment worth pointing at on a time chart, e.g. the carbon intensity in force changing.
struct ChartMark
{
    double xMs = 0;
    QString label; // e.g. "312 → 450 g/kWh"
};

// The vertical marker lines of a TimeChart, each with a small label at the top of the plot: one
// dashed line series per mark (not in the legend) and one text item. Only the marks inside the
// window are shown; labels of marks close together are staggered down so they do not overlap.
class ChartMarks
{
public:
    ChartMarks(QChart *chart, QAbstractAxis *x, QAbstractAxis *y);
    ~ChartMarks();
    ChartMarks(const ChartMarks &) = delete;
    ChartMarks &operator=(const ChartMarks &) = delete;

    void setMarks(const QVector<ChartMark> &marks);
    // Draws the marks inside [fromMs, toMs] from `bottom` to `top` (the value axis's range).
    void place(double fromMs, double toMs, double top, double bottom);
    void reposition(); // the labels, after the plot area moved (a resize)
    void applyPalette(const QPalette &palette);
    QStringList shownLabels() const;

private:
    struct Item
    {
        ChartMark mark;
        QLineSeries *line = nullptr;
        QGraphicsSimpleTextItem *text = nullptr;
    };
    void clear();

    QChart *m_chart;
    QAbstractAxis *m_x;
    QAbstractAxis *m_y;
    QVector<Item> m_items;
    double m_top = 1;
    QColor m_color{0x8c, 0x8c, 0x8c};
};

} // namespace greenpulse::app
