#pragma once

#include <QHash>
#include <QPointF>
#include <QString>
#include <QVector>
#include <map>

namespace greenpulse::core {
class SeriesStore;
} // namespace greenpulse::core

namespace greenpulse::app {

// The per-second sum of every series under one prefix of a SeriesStore (e.g. the power of all
// hosts), built incrementally: each update() adds only the points appended since the last one,
// so a thousand hosts cost a thousand new points a second, not a re-sum of their history.
// Points of one second (the processor appends every host at the same tick) add up in one bucket.
// History inserted before the newest points (SeriesStore::insertHistory) makes it sum afresh.
class SeriesSum
{
public:
    // Sums older than `keepMs` before the newest point are forgotten.
    SeriesSum(QString prefix, double keepMs);

    void update(const core::SeriesStore &store);
    // The sums from `fromMs` on; x is the start of each second (ms since the epoch).
    QVector<QPointF> points(double fromMs) const;
    int seriesCount() const { return static_cast<int>(m_seen.size()); }

    // `sums` (points() of this class) less the series in `parts`: for each second, the value of
    // each part in that second (its newest point up to the second's end, inside one of its
    // continuous runs, so a part in a gap takes nothing off). What is left is "the others".
    static QVector<QPointF> minus(QVector<QPointF> sums, const QVector<QVector<QPointF>> &parts);

private:
    QString m_prefix;
    double m_keepMs;
    QHash<QString, double> m_seen;   // key -> x of the newest point already added
    std::map<qint64, double> m_sums; // second since the epoch -> sum
    quint64 m_historyRevision = 0;   // the store's, when last summed from scratch
};

} // namespace greenpulse::app
