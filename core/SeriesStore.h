#pragma once

// Bounded time series for the charts: the processor appends, the GUI copies out what changed.
// Each series keeps at most `capacity` points; when full, the older half is decimated 2:1
// (keeping the extreme of each pair), so hours of history cost a fixed amount of memory and
// recent data stays at full resolution. Thread-safe (one mutex; copies are taken under it).

#include <QHash>
#include <QMutex>
#include <QPointF>
#include <QString>
#include <QVector>

namespace greenpulse::core {

class SeriesBuffer
{
public:
    explicit SeriesBuffer(int capacity = 2048);
    void append(double x, double y); // x: ms since epoch; must not go backwards (else ignored)
    const QVector<QPointF> &points() const { return m_points; }
    int capacity() const { return m_capacity; }
    void clear() { m_points.clear(); }

private:
    void decimate();
    QVector<QPointF> m_points;
    int m_capacity;
};

class SeriesStore
{
public:
    explicit SeriesStore(int capacityPerSeries = 2048, int maxSeries = 4096);

    // Keys are "<kind>/<name>", e.g. "power/gpu-server-01", "kwh/<job id>".
    void append(const QString &key, double xMs, double y);
    void remove(const QString &key);

    quint64 revision() const; // bumped on every append
    QStringList keys(const QString &prefix = {}) const;
    // Copies the points with x >= fromMs; returns the revision the copy reflects.
    QVector<QPointF> copy(const QString &key, double fromMs = 0, quint64 *revision = nullptr) const;
    int seriesCount() const;
    quint64 droppedSeries() const; // appends refused because maxSeries was reached

private:
    mutable QMutex m_mutex;
    QHash<QString, SeriesBuffer> m_series;
    int m_capacity;
    int m_maxSeries;
    quint64 m_revision = 0;
    quint64 m_droppedSeries = 0;
};

} // namespace greenpulse::core
