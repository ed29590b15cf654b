#include "charts/ChartGapMarks.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QScatterSeries>

namespace greenpulse::app {

ChartGapMarks::ChartGapMarks(QChart *chart, QAbstractAxis *x) : m_chart(chart), m_x(x) {}

QList<QPointF> ChartGapMarks::ends(const QVector<QVector<QPointF>> &runs)
{
    QList<QPointF> out;
    for (int i = 0; i < runs.size(); ++i) {
        if (runs[i].isEmpty()) {
            continue;
        }
        if (i > 0) {
            out.append(runs[i].constFirst());
        }
        if (i + 1 < runs.size()) {
            out.append(runs[i].constLast());
        }
    }
    return out;
}

void ChartGapMarks::set(int index, QAbstractAxis *y, const QList<QPointF> &marks)
{
    QScatterSeries *&series = m_series[index];
    if (!series && !marks.isEmpty()) {
        series = new QScatterSeries;
        series->setName(QStringLiteral("gap"));
        series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        series->setMarkerSize(7);
        m_chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(y);
        for (QLegendMarker *marker : m_chart->legend()->markers(series)) {
            marker->setVisible(false);
        }
        applyPalette(m_palette);
    }
    if (series && (!marks.isEmpty() || series->count() > 0)) {
        series->replace(marks);
    }
}

QVector<QPointF> ChartGapMarks::points() const
{
    QVector<QPointF> out;
    for (const QScatterSeries *series : m_series) {
        if (series) {
            out += series->points();
        }
    }
    return out;
}

void ChartGapMarks::applyPalette(const QPalette &palette)
{
    m_palette = palette;
    for (QScatterSeries *series : m_series) {
        if (series) {
            series->setBrush(palette.brush(QPalette::Base));
            series->setPen(QPen(palette.color(QPalette::Text), 1.2));
        }
    }
}

} // namespace greenpulse::app
