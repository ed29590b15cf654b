#include "SeriesStore.h"

#include <QMutexLocker>
#include <algorithm>
#include <cmath>

namespace greenpulse::core {

SeriesBuffer::SeriesBuffer(int capacity) : m_capacity(std::max(capacity, 16))
{
    m_points.reserve(m_capacity);
}

void SeriesBuffer::append(double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y)) {
        return;
    }
    if (!m_points.isEmpty() && x < m_points.constLast().x()) {
        return;
    }
    if (m_points.size() >= m_capacity) {
        decimate();
    }
    m_points.append(QPointF(x, y));
}

// Halves the older half of the buffer: each pair of points becomes the one that differs more from
// the point kept before it, so peaks and dips survive decimation. The newer half keeps full
// resolution.
void SeriesBuffer::decimate()
{
    const int half = m_points.size() / 2;
    QVector<QPointF> out;
    out.reserve(m_capacity);
    for (int i = 0; i + 1 < half; i += 2) {
        const QPointF &a = m_points[i];
        const QPointF &b = m_points[i + 1];
        const double reference = out.isEmpty() ? a.y() : out.constLast().y();
        out.append(std::abs(a.y() - reference) >= std::abs(b.y() - reference) ? a : b);
    }
    const int start = (half % 2 == 0) ? half : half - 1;
    for (int i = start; i < m_points.size(); ++i) {
        out.append(m_points[i]);
    }
    m_points = std::move(out);
}

SeriesStore::SeriesStore(int capacityPerSeries, int maxSeries)
    : m_capacity(capacityPerSeries), m_maxSeries(maxSeries)
{}

void SeriesStore::append(const QString &key, double xMs, double y)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_series.find(key);
    if (it == m_series.end()) {
        if (m_series.size() >= m_maxSeries) {
            ++m_droppedSeries;
            return;
        }
        it = m_series.insert(key, SeriesBuffer(m_capacity));
    }
    it->append(xMs, y);
    ++m_revision;
}

void SeriesStore::remove(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    if (m_series.remove(key) > 0) {
        ++m_revision;
    }
}

quint64 SeriesStore::revision() const
{
    QMutexLocker lock(&m_mutex);
    return m_revision;
}

QStringList SeriesStore::keys(const QString &prefix) const
{
    QMutexLocker lock(&m_mutex);
    QStringList out;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        if (prefix.isEmpty() || it.key().startsWith(prefix)) {
            out << it.key();
        }
    }
    out.sort();
    return out;
}

QVector<QPointF> SeriesStore::copy(const QString &key, double fromMs, quint64 *revision) const
{
    QMutexLocker lock(&m_mutex);
    if (revision) {
        *revision = m_revision;
    }
    const auto it = m_series.constFind(key);
    if (it == m_series.constEnd()) {
        return {};
    }
    const QVector<QPointF> &points = it->points();
    const auto first = std::lower_bound(points.cbegin(), points.cend(), fromMs,
                                        [](const QPointF &p, double x) { return p.x() < x; });
    return QVector<QPointF>(first, points.cend());
}

int SeriesStore::seriesCount() const
{
    QMutexLocker lock(&m_mutex);
    return static_cast<int>(m_series.size());
}

quint64 SeriesStore::droppedSeries() const
{
    QMutexLocker lock(&m_mutex);
    return m_droppedSeries;
}

} // namespace greenpulse::core
