#include "pipeline/SeriesStore.h"

#include "accounting/LedgerTypes.h"
#include "pipeline/SeriesKeys.h"

#include <QMutexLocker>
#include <algorithm>
#include <cmath>

namespace greenpulse::core {

SeriesBuffer::SeriesBuffer(int capacity) : m_capacity(std::max(capacity, 16)) {}

void SeriesBuffer::clear()
{
    m_archive.clear();
    m_recent.clear();
    m_recentStart = 0;
    m_bucketCount = 0;
    m_stride = 1;
    m_lastX = -std::numeric_limits<double>::infinity();
}

void SeriesBuffer::append(double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y) || x < m_lastX) {
        return;
    }
    m_lastX = x;
    m_recent.append(QPointF(x, y));
    const int recentCapacity = m_capacity / 2;
    while (m_recent.size() - m_recentStart > recentCapacity) {
        archive(m_recent[m_recentStart++]);
    }
    if (m_recentStart >= recentCapacity / 2) { // compact now and then, not on every append
        m_recent.remove(0, m_recentStart);
        m_recentStart = 0;
    }
}

void SeriesBuffer::archive(const QPointF &point)
{
    // Each bucket of `m_stride` points becomes its extreme point: the one farthest from the last
    // archived value.
    const double reference = m_archive.isEmpty() ? point.y() : m_archive.constLast().y();
    if (m_bucketCount == 0 ||
        std::abs(point.y() - reference) > std::abs(m_bucket.y() - reference)) {
        m_bucket = point;
    }
    if (++m_bucketCount < m_stride) {
        return;
    }
    m_archive.append(m_bucket);
    m_bucketCount = 0;
    if (m_archive.size() < m_capacity - m_capacity / 2) {
        return;
    }
    // Full: halve the archive, pair by pair, keeping the point that differs more from its
    // neighbours; from now on each archived point stands for twice as many.
    QVector<QPointF> halved;
    halved.reserve(m_archive.size() / 2 + 1);
    for (int i = 0; i + 1 < m_archive.size(); i += 2) {
        const QPointF &a = m_archive[i];
        const QPointF &b = m_archive[i + 1];
        // Compare with the neighbours: the point kept before the pair and the one after it.
        const bool hasNext = i + 2 < m_archive.size();
        const double next = hasNext ? m_archive[i + 2].y() : b.y();
        const double ref = halved.isEmpty() ? next : (halved.constLast().y() + next) / 2;
        halved.append(std::abs(a.y() - ref) >= std::abs(b.y() - ref) ? a : b);
    }
    if (m_archive.size() % 2 == 1) {
        halved.append(m_archive.constLast());
    }
    m_archive = std::move(halved);
    m_stride *= 2;
}

QVector<QPointF> SeriesBuffer::points(double fromX) const
{
    // Both parts are sorted by x: skip to the first point at or after fromX.
    auto before = [](const QPointF &p, double x) { return p.x() < x; };
    const auto archived = std::lower_bound(m_archive.cbegin(), m_archive.cend(), fromX, before);
    const auto recent =
        std::lower_bound(m_recent.cbegin() + m_recentStart, m_recent.cend(), fromX, before);
    QVector<QPointF> out;
    out.reserve(static_cast<int>((m_archive.cend() - archived) + (m_recent.cend() - recent)));
    std::copy(archived, m_archive.cend(), std::back_inserter(out));
    std::copy(recent, m_recent.cend(), std::back_inserter(out));
    return out;
}

QPointF SeriesBuffer::last() const
{
    if (m_recent.size() > m_recentStart) {
        return m_recent.constLast();
    }
    if (!m_archive.isEmpty()) {
        return m_archive.constLast();
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
}

QPointF SeriesBuffer::first() const
{
    if (!m_archive.isEmpty()) {
        return m_archive.constFirst();
    }
    if (m_recent.size() > m_recentStart) {
        return m_recent.at(m_recentStart);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
}

int SeriesBuffer::prepend(const QVector<QPointF> &older)
{
    const double before = size() > 0 ? first().x() : std::numeric_limits<double>::infinity();
    const QVector<QPointF> held = points();
    const double lastBefore = m_lastX;
    clear();
    int taken = 0;
    for (const QPointF &p : older) {
        if (p.x() < before && std::isfinite(p.x()) && std::isfinite(p.y()) && p.x() >= m_lastX) {
            append(p.x(), p.y());
            ++taken;
        }
    }
    for (const QPointF &p : held) {
        append(p.x(), p.y());
    }
    m_lastX = std::max(m_lastX, lastBefore);
    return taken;
}

SeriesStore::SeriesStore(int capacityPerSeries, int maxSeries)
    : m_capacity(capacityPerSeries), m_maxSeries(maxSeries)
{}

void SeriesStore::append(const QString &key, double xMs, double y)
{
    QMutexLocker lock(&m_mutex);
    appendLocked(key, xMs, y);
}

void SeriesStore::append(const JobSummary &job, double xMs)
{
    using serieskeys::Kind;
    QMutexLocker lock(&m_mutex);
    appendLocked(serieskeys::key(Kind::Kwh, job.jobId), xMs, job.kwh);
    appendLocked(serieskeys::key(Kind::Co2e, job.jobId), xMs, job.co2eKg);
    appendLocked(serieskeys::key(Kind::Liters, job.jobId), xMs, job.liters);
}

void SeriesStore::append(const HostSummary &host, double xMs)
{
    using serieskeys::Kind;
    QMutexLocker lock(&m_mutex);
    if (host.hasPower) {
        appendLocked(serieskeys::key(Kind::Power, host.host), xMs, host.watts);
    }
    if (host.hasFlow) {
        appendLocked(serieskeys::key(Kind::Flow, host.host), xMs, host.flowLpm);
        appendLocked(serieskeys::key(Kind::Temp, host.host), xMs, host.tempC);
    }
}

void SeriesStore::appendLocked(const QString &key, double xMs, double y)
{
    auto it = m_series.find(key);
    if (it == m_series.end()) {
        if (!std::isfinite(xMs) || !admit(key, xMs)) {
            ++m_droppedSeries;
            return;
        }
        it = m_series.insert(key, SeriesBuffer(m_capacity));
    }
    it->append(xMs, y);
    ++m_revision;
}

int SeriesStore::insertHistory(const QString &key, const QVector<QPointF> &points)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_series.find(key);
    if (it == m_series.end()) {
        if (points.isEmpty()) {
            return 0;
        }
        if (!std::isfinite(points.constLast().x()) || !admit(key, points.constLast().x())) {
            ++m_droppedSeries;
            return 0;
        }
        it = m_series.insert(key, SeriesBuffer(m_capacity));
        // Its newest point may be older than any other series': the next scan looks again.
        m_noStaleBefore[0] = m_noStaleBefore[1] = -std::numeric_limits<double>::infinity();
    }
    const int taken = it->prepend(points);
    if (taken > 0) {
        ++m_revision;
        ++m_historyRevision;
    } else if (it->size() == 0) {
        m_hostSeries -= serieskeys::isHostKey(key) ? 1 : 0;
        m_series.erase(it);
    }
    return taken;
}

void SeriesStore::remove(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    if (m_series.remove(key) > 0) {
        m_hostSeries -= serieskeys::isHostKey(key) ? 1 : 0;
        ++m_revision;
    }
}

bool SeriesStore::admit(const QString &key, double xMs)
{
    const bool host = serieskeys::isHostKey(key);
    const int hostMax = static_cast<int>(m_maxSeries * kHostShare);
    if (host && m_hostSeries >= hostMax && !evictStale(xMs, true)) {
        return false;
    }
    if (m_series.size() >= m_maxSeries && !evictStale(xMs, false)) {
        return false;
    }
    m_hostSeries += host ? 1 : 0;
    return true;
}

bool SeriesStore::evictStale(double xMs, bool hostsOnly)
{
    double &noStaleBefore = m_noStaleBefore[hostsOnly ? 1 : 0];
    if (xMs < noStaleBefore) {
        return false;
    }
    // The stalest; among equally old ones the first key, so that which one goes does not depend
    // on the hash's order.
    auto stalest = m_series.end();
    double oldest = std::numeric_limits<double>::infinity();
    for (auto it = m_series.begin(); it != m_series.end(); ++it) {
        if (hostsOnly && !serieskeys::isHostKey(it.key())) {
            continue;
        }
        const double last =
            it->size() > 0 ? it->last().x() : -std::numeric_limits<double>::infinity();
        if (last < oldest || (last == oldest && it.key() < stalest.key())) {
            oldest = last;
            stalest = it;
        }
    }
    if (stalest == m_series.end() || oldest >= xMs - kKeepMs) {
        noStaleBefore = std::isfinite(oldest) ? oldest + kKeepMs : xMs + kKeepMs;
        return false;
    }
    m_hostSeries -= serieskeys::isHostKey(stalest.key()) ? 1 : 0;
    m_series.erase(stalest);
    ++m_evictedSeries;
    ++m_revision;
    return true;
}

quint64 SeriesStore::revision() const
{
    QMutexLocker lock(&m_mutex);
    return m_revision;
}

quint64 SeriesStore::historyRevision() const
{
    QMutexLocker lock(&m_mutex);
    return m_historyRevision;
}

double SeriesStore::firstX(const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_series.constFind(key);
    return it == m_series.constEnd() ? std::numeric_limits<double>::quiet_NaN() : it->first().x();
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
    return it->points(fromMs);
}

QVector<SeriesStore::Latest> SeriesStore::latest(const QString &prefix) const
{
    QMutexLocker lock(&m_mutex);
    QVector<Latest> out;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        if (it.key().startsWith(prefix) && it->size() > 0) {
            out.append({it.key(), it->last()});
        }
    }
    return out;
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

quint64 SeriesStore::evictedSeries() const
{
    QMutexLocker lock(&m_mutex);
    return m_evictedSeries;
}

} // namespace greenpulse::core
