#include "charts/ChartBands.h"

#include <QAreaSeries>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <algorithm>
#include <numeric>

namespace greenpulse::app {

ChartBands::ChartBands(QChart *chart, QAbstractAxis *x, QAbstractAxis *y)
    : m_chart(chart), m_x(x), m_y(y)
{}

QVector<int> ChartBands::lanes(const QVector<ChartBand> &bands, int *count)
{
    // Earliest start first, each into the first lane free by then; with every lane busy, the one
    // that frees first.
    QVector<int> order(bands.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return bands[a].fromMs < bands[b].fromMs; });
    QVector<int> lane(bands.size(), -1);
    QVector<double> busyUntil;
    for (int i : order) {
        if (bands[i].outage) {
            continue;
        }
        int chosen = -1;
        for (int l = 0; l < busyUntil.size() && chosen < 0; ++l) {
            chosen = busyUntil[l] < bands[i].fromMs ? l : -1;
        }
        if (chosen < 0 && busyUntil.size() < kMaxLanes) {
            chosen = static_cast<int>(busyUntil.size());
            busyUntil.append(0);
        }
        if (chosen < 0) {
            chosen = static_cast<int>(std::min_element(busyUntil.begin(), busyUntil.end()) -
                                      busyUntil.begin());
        }
        busyUntil[chosen] = std::max(busyUntil[chosen], bands[i].toMs);
        lane[i] = chosen;
    }
    *count = static_cast<int>(busyUntil.size());
    return lane;
}

QAreaSeries *ChartBands::newBand(const ChartBand &band, bool inLegend)
{
    auto *upper = new QLineSeries;
    auto *lower = new QLineSeries;
    auto *area = new QAreaSeries(upper, lower);
    upper->setParent(area);
    lower->setParent(area);
    QColor fill = band.color;
    fill.setAlpha(band.outage ? 70 : 150);
    area->setBrush(band.outage ? QBrush(fill, Qt::BDiagPattern) : QBrush(fill));
    QColor edge = band.color;
    edge.setAlpha(220);
    area->setPen(band.outage ? QPen(Qt::NoPen) : QPen(edge, 1));
    area->setName(band.label);
    m_chart->addSeries(area);
    area->attachAxis(m_x);
    area->attachAxis(m_y);
    for (QLegendMarker *marker : m_chart->legend()->markers(area)) {
        marker->setVisible(inLegend);
        marker->setBrush(band.color); // an opaque swatch, although the band is translucent
        marker->setPen(Qt::NoPen);
        marker->setShape(QLegend::MarkerShapeRectangle);
    }
    return area;
}

void ChartBands::set(const QVector<ChartBand> &bands, double top, double bottom)
{
    QSet<QString> jobs;
    int outages = 0;
    for (const ChartBand &band : bands) {
        outages += band.outage ? 1 : 0;
        if (!band.outage) {
            jobs.insert(band.key);
        }
    }
    for (const QString &key : m_jobs.keys()) {
        if (!jobs.contains(key)) {
            QAreaSeries *area = m_jobs.take(key);
            m_chart->removeSeries(area);
            delete area;
        }
    }
    while (m_outages.size() > outages) {
        QAreaSeries *area = m_outages.takeLast();
        m_chart->removeSeries(area);
        delete area;
    }
    int laneCount = 0;
    const QVector<int> lane = lanes(bands, &laneCount);
    const double laneHeight = (top - bottom) * kLaneShare;
    int outage = 0;
    for (int i = 0; i < bands.size(); ++i) {
        const ChartBand &band = bands[i];
        QAreaSeries *area = nullptr;
        double high = top;
        double low = bottom;
        if (band.outage) {
            if (outage >= m_outages.size()) {
                m_outages.append(newBand(band, outage == 0)); // listed once
            }
            area = m_outages[outage++];
        } else {
            QAreaSeries *&job = m_jobs[band.key];
            if (!job) {
                job = newBand(band, true);
            } else if (job->name() != band.label) {
                job->setName(band.label);
            }
            area = job;
            high = top - lane[i] * laneHeight;
            low = high - laneHeight * 0.8;
        }
        area->upperSeries()->replace({QPointF(band.fromMs, high), QPointF(band.toMs, high)});
        area->lowerSeries()->replace({QPointF(band.fromMs, low), QPointF(band.toMs, low)});
    }
}

void ChartBands::setEmphasis(const QSet<QString> &keys)
{
    for (auto it = m_jobs.begin(); it != m_jobs.end(); ++it) {
        QPen pen = it.value()->pen();
        pen.setWidthF(keys.contains(it.key()) ? 3.0 : 1.0);
        it.value()->setPen(pen);
    }
}

QStringList ChartBands::labelsAt(double xMs) const
{
    QStringList out;
    for (const QAreaSeries *area : m_jobs) {
        const QList<QPointF> upper = area->upperSeries()->points();
        if (upper.size() == 2 && xMs >= upper[0].x() && xMs <= upper[1].x()) {
            out << area->name();
        }
    }
    out.sort();
    return out;
}

} // namespace greenpulse::app
