#include "charts/SeriesSum.h"

#include "charts/SeriesRuns.h"
#include "pipeline/SeriesStore.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace greenpulse::app {

SeriesSum::SeriesSum(QString prefix, double keepMs) : m_prefix(std::move(prefix)), m_keepMs(keepMs)
{}

void SeriesSum::update(const core::SeriesStore &store)
{
    if (const quint64 history = store.historyRevision(); history != m_historyRevision) {
        // History went in before points already summed: sum everything again, once.
        m_historyRevision = history;
        m_seen.clear();
        m_sums.clear();
    }
    const QVector<core::SeriesStore::Latest> latest = store.latest(m_prefix);
    double newest = -std::numeric_limits<double>::infinity();
    QHash<QString, double> seen;
    seen.reserve(latest.size());
    for (const core::SeriesStore::Latest &series : latest) {
        const auto known = m_seen.constFind(series.key);
        double last =
            known == m_seen.constEnd() ? -std::numeric_limits<double>::infinity() : known.value();
        if (series.point.x() > last) {
            const double from = std::nextafter(last, std::numeric_limits<double>::infinity());
            for (const QPointF &p : store.copy(series.key, from)) {
                m_sums[static_cast<qint64>(std::floor(p.x() / 1000.0))] += p.y();
                last = p.x();
            }
        }
        seen.insert(series.key, last); // series gone from the store are forgotten here
        newest = std::max(newest, last);
    }
    m_seen = std::move(seen);
    if (!std::isfinite(newest)) {
        m_sums.clear();
        return;
    }
    const auto keepFrom = static_cast<qint64>(std::floor((newest - m_keepMs) / 1000.0));
    m_sums.erase(m_sums.begin(), m_sums.lower_bound(keepFrom));
}

QVector<QPointF> SeriesSum::points(double fromMs) const
{
    QVector<QPointF> out;
    for (auto it = m_sums.lower_bound(static_cast<qint64>(std::floor(fromMs / 1000.0)));
         it != m_sums.end(); ++it) {
        out.append(QPointF(static_cast<double>(it->first) * 1000.0, it->second));
    }
    return out;
}

QVector<QPointF> SeriesSum::minus(QVector<QPointF> sums, const QVector<QVector<QPointF>> &parts)
{
    constexpr double kSecondEnd = 999.999; // a sum's x is the start of its second
    for (const QVector<QPointF> &part : parts) {
        for (const QVector<QPointF> &run : seriesruns::split(part)) {
            if (run.isEmpty()) {
                continue;
            }
            const double firstSecond = std::floor(run.constFirst().x() / 1000.0) * 1000.0;
            auto it = std::lower_bound(sums.begin(), sums.end(), firstSecond,
                                       [](const QPointF &p, double x) { return p.x() < x; });
            for (; it != sums.end() && it->x() <= run.constLast().x(); ++it) {
                const double value = seriesruns::valueAt(run, it->x() + kSecondEnd,
                                                         std::numeric_limits<double>::infinity());
                if (std::isfinite(value)) {
                    it->setY(it->y() - value);
                }
            }
        }
    }
    return sums;
}

} // namespace greenpulse::app
