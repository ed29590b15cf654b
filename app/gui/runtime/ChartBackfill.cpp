#include "runtime/ChartBackfill.h"

#include "base/Logging.h"
#include "influx/HistoryQuery.h"
#include "pipeline/SeriesHistory.h"
#include "pipeline/SeriesStore.h"

#include <QDateTime>
#include <QVector>
#include <deque>

namespace greenpulse::app {

// The fills waiting and the one running, touched only on the backfill's thread: each sends its
// queries one after the other, stores their answers, then reports back to the GUI thread.
struct ChartBackfill::Queue
{
    struct Fill
    {
        core::InfluxOptions options;
        QVector<core::HistoryRequest> requests;
        int next = 0;
        int points = 0;
        int failures = 0;
        QString error;
    };
    std::deque<Fill> fills; // the front one runs

    void sendNext(core::HistoryQuery *query)
    {
        Fill &fill = fills.front();
        query->start(fill.options, fill.requests.at(fill.next++));
    }
};

ChartBackfill::ChartBackfill(core::SeriesStore &store, QObject *parent)
    : QObject(parent), m_store(store), m_queue(std::make_unique<Queue>())
{
    m_thread.setObjectName(QStringLiteral("chart-backfill"));
    m_query = new core::HistoryQuery;
    m_query->moveToThread(&m_thread);
    // Runs on the backfill's thread (the query's).
    connect(m_query, &core::HistoryQuery::finished, m_query,
            [this](const core::HistoryAnswer &answer) { onAnswer(answer); });
    m_thread.start();
}

ChartBackfill::~ChartBackfill()
{
    m_thread.quit();
    m_thread.wait();
    delete m_query; // its thread has ended: nothing runs on it any more
}

void ChartBackfill::setOptions(const core::InfluxOptions &options)
{
    const bool changed = options.url != m_options.url || options.database != m_options.database ||
                         options.bucket != m_options.bucket;
    m_options = options;
    if (changed && m_filledSeconds > 0) {
        const int window = m_filledSeconds;
        m_filledSeconds = 0;
        fill(window);
    }
}

void ChartBackfill::fill(int windowSeconds)
{
    if (windowSeconds <= m_filledSeconds) {
        return;
    }
    m_filledSeconds = windowSeconds; // remembered also while disabled: setOptions() fills it
    if (!m_options.enabled()) {
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Queue::Fill fill;
    fill.options = m_options;
    // Up to the next second: the tick of this second is in it too (live points win anyway).
    fill.requests = core::serieshistory::requests(now - windowSeconds * 1000LL, now + 1000);
    ++m_pending;
    QMetaObject::invokeMethod(m_query, [this, fill = std::move(fill)] {
        m_queue->fills.push_back(fill);
        if (m_queue->fills.size() == 1) {
            m_queue->sendNext(m_query);
        }
    });
}

void ChartBackfill::onAnswer(const core::HistoryAnswer &answer)
{
    if (m_queue->fills.empty()) {
        return;
    }
    Queue::Fill &fill = m_queue->fills.front();
    if (answer.error.isEmpty()) {
        fill.points += core::serieshistory::store(m_store, answer);
    } else {
        ++fill.failures;
        fill.error = answer.error;
    }
    if (fill.next < fill.requests.size()) {
        m_queue->sendNext(m_query);
        return;
    }
    QMetaObject::invokeMethod(this, [this, points = fill.points, failures = fill.failures,
                                     error = fill.error] { onFillDone(points, failures, error); });
    m_queue->fills.pop_front();
    if (!m_queue->fills.empty()) {
        m_queue->sendNext(m_query);
    }
}

void ChartBackfill::onFillDone(int points, int failures, const QString &error)
{
    --m_pending;
    ++m_fills;
    m_points += static_cast<quint64>(points);
    m_failures += static_cast<quint64>(failures);
    if (failures > 0) {
        m_lastError = error;
        qCWarning(lcApp).noquote() << "chart history from InfluxDB:" << error;
        emit failed(error);
    }
    emit filled(points);
}

} // namespace greenpulse::app
