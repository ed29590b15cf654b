#pragma once

#include "charts/TimeChart.h"

#include <QHash>
#include <QSet>
#include <QStringList>
#include <QVector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QAreaSeries;
class QChart;
QT_END_NAMESPACE

namespace greenpulse::app {

// The spans of a TimeChart: each job a thin lane at the top of the plot (jobs that do not overlap
// in time share a lane, so many jobs stay a few lanes high and never cover the lines), and
// outages as light hatched bands over the whole height.
class ChartBands
{
public:
    static constexpr int kMaxLanes = 6;        // more overlapping jobs share the lanes
    static constexpr double kLaneShare = 0.04; // of the value axis's height, per lane

    ChartBands(QChart *chart, QAbstractAxis *x, QAbstractAxis *y);

    // The lane of each job band of `bands` (outages: -1), and how many lanes they take.
    static QVector<int> lanes(const QVector<ChartBand> &bands, int *count);

    // `top`, `bottom`: the value axis's range (the lanes hang from the top).
    void set(const QVector<ChartBand> &bands, double top, double bottom);
    void setEmphasis(const QSet<QString> &keys);
    QStringList labelsAt(double xMs) const; // the jobs whose span holds xMs

    int jobCount() const { return static_cast<int>(m_jobs.size()); }
    QStringList jobKeys() const { return m_jobs.keys(); }
    int outageCount() const { return static_cast<int>(m_outages.size()); }

private:
    QAreaSeries *newBand(const ChartBand &band, bool inLegend);

    QChart *m_chart;
    QAbstractAxis *m_x;
    QAbstractAxis *m_y;
    QHash<QString, QAreaSeries *> m_jobs;
    QVector<QAreaSeries *> m_outages; // outage bands, oldest first
};

} // namespace greenpulse::app
