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
#include <limits>

namespace greenpulse::core {

struct JobSummary;
struct HostSummary;

// Half of the capacity holds the newest points at full resolution; the other half is an archive
// of everything older at a uniform stride that doubles whenever it fills (each archived point is
// the extreme of its bucket, so peaks survive). Memory stays fixed however long it runs.
class SeriesBuffer
{
public:
    explicit SeriesBuffer(int capacity = 2048);
    void append(double x, double y); // x: ms since epoch; must not go backwards (else ignored)
    QVector<QPointF> points(double fromX = -std::numeric_limits<double>::infinity()) const;
    QPointF last() const;  // the newest point; (nan, nan) when empty
    QPointF first() const; // the oldest point; (nan, nan) when empty
    // History older than every point held (the others are ignored), put before them; the buffer
    // is rebuilt, so it stays within its capacity. Returns the points taken.
    int prepend(const QVector<QPointF> &older);
    int size() const
    {
        return static_cast<int>(m_archive.size() + m_recent.size()) - m_recentStart;
    }
    void clear();

private:
    void archive(const QPointF &point);
    QVector<QPointF> m_archive;
    QVector<QPointF> m_recent; // oldest first; trimmed in chunks to keep appends cheap
    int m_recentStart = 0;     // index of the oldest live point in m_recent
    QPointF m_bucket;          // extreme of the archive bucket being filled
    int m_bucketCount = 0;
    int m_stride = 1; // recent points per archived point
    int m_capacity;
    double m_lastX = -std::numeric_limits<double>::infinity();
};

// At most `maxSeries` series. When full, a new series takes the place of the series whose
// newest point is the oldest, if that point is more than `kKeepMs` older than the new point (a job
// that ended hours ago, a host gone: no chart window reaches back to it); otherwise the new series
// is refused and counted (droppedSeries()). Host series (power, temperature, flow) together take at
// most `kHostShare` of the store, so that the hosts of a large fleet do not leave its jobs without
// series.
class SeriesStore
{
public:
    static constexpr double kKeepMs = 6 * 3600 * 1000.0; // the longest chart window
    static constexpr double kHostShare = 0.75;

    explicit SeriesStore(int capacityPerSeries = 2048, int maxSeries = 4096);

    // Keys are "<kind>/<name>", e.g. "power/gpu-server-01", "kwh/<job id>".
    void append(const QString &key, double xMs, double y);
    // A job's series (energy, CO2e, water so far) or a host's (power; flow and temperature when it
    // has a flow sensor) at `xMs`, under the keys of SeriesKeys.h: what the processor and a
    // follower append for the charts.
    void append(const JobSummary &job, double xMs);
    void append(const HostSummary &host, double xMs);
    void remove(const QString &key);
    // History read back from elsewhere (InfluxDB, when the dashboard opens): the points of
    // `points` (oldest first) older than the series' oldest point go before it; the rest are
    // ignored, so live points win where both exist. Bounded like append() (capacity, maxSeries).
    // Returns the points taken. Bumps revision() and historyRevision().
    int insertHistory(const QString &key, const QVector<QPointF> &points);

    quint64 revision() const;        // bumped on every append
    quint64 historyRevision() const; // bumped when insertHistory() took points
    // The x of the series' oldest point; NaN when there is none.
    double firstX(const QString &key) const;
    QStringList keys(const QString &prefix = {}) const;
    // Copies the points with x >= fromMs; returns the revision the copy reflects.
    QVector<QPointF> copy(const QString &key, double fromMs = 0, quint64 *revision = nullptr) const;
    // The newest point of every series whose key starts with `prefix`, without copying the
    // series: what a chart needs to pick which of thousands of series to draw.
    struct Latest
    {
        QString key;
        QPointF point;
    };
    QVector<Latest> latest(const QString &prefix) const;
    int seriesCount() const;
    int maxSeries() const { return m_maxSeries; }
    quint64 droppedSeries() const; // appends refused because maxSeries was reached
    quint64 evictedSeries() const; // stale series that made room for new ones

private:
    // Whether a new series `key` (first point at `xMs`) may be added, evicting a stale one if
    // that is what makes room. Called with the mutex held.
    bool admit(const QString &key, double xMs);
    bool evictStale(double xMs, bool hostsOnly);
    void appendLocked(const QString &key, double xMs, double y);

    mutable QMutex m_mutex;
    QHash<QString, SeriesBuffer> m_series;
    int m_capacity;
    int m_maxSeries;
    quint64 m_revision = 0;
    quint64 m_historyRevision = 0;
    quint64 m_droppedSeries = 0;
    quint64 m_evictedSeries = 0;
    int m_hostSeries = 0;
    // No series can be stale before these x (all series, host series): saves a scan of every
    // series for each refused key while the store is full of live ones.
    double m_noStaleBefore[2] = {-std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity()};
};

} // namespace greenpulse::core
