#pragma once

#include <QList>
#include <QPalette>
#include <QPointF>
#include <QVector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QChart;
class QScatterSeries;
QT_END_NAMESPACE

namespace greenpulse::app {

// The small hollow circles a TimeChart draws at the ends of the runs next to a gap: one scatter
// series per value axis, created when first needed, not listed in the legend.
class ChartGapMarks
{
public:
    ChartGapMarks(QChart *chart, QAbstractAxis *x);

    // The first point of every run but the first and the last of every run but the last.
    static QList<QPointF> ends(const QVector<QVector<QPointF>> &runs);
    // The marks of the lines on value axis `index` (0 left, 1 right), drawn against `y`.
    void set(int index, QAbstractAxis *y, const QList<QPointF> &marks);
    QVector<QPointF> points() const;
    void applyPalette(const QPalette &palette);

private:
    QChart *m_chart;
    QAbstractAxis *m_x;
    QScatterSeries *m_series[2] = {nullptr, nullptr};
    QPalette m_palette;
};

} // namespace greenpulse::app
