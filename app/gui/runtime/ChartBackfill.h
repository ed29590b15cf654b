#pragma once

#include "influx/InfluxOptions.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <memory>

namespace greenpulse::core {
struct HistoryAnswer;
class HistoryQuery;
class SeriesStore;
} // namespace greenpulse::core

namespace greenpulse::app {

// Fills the charts' SeriesStore from InfluxDB when the window opens, and again when the chart
// window is widened: the bucketed history of the series the charts show (SeriesHistory.h; at
// most 1,000 points per series, 100 series per measurement) goes in before the live points. The
// queries run and their answers are parsed and stored on a thread of its own: the GUI thread
// never waits. A failure is counted and reported (failed()), never fatal; with no InfluxDB URL
// (or writing switched off in the settings) nothing is read. docs/dashboard.md, "Chart history".
class ChartBackfill : public QObject
{
    Q_OBJECT
public:
    explicit ChartBackfill(core::SeriesStore &store, QObject *parent = nullptr);
    ~ChartBackfill() override; // ends its thread (a query in flight is dropped)

    // The database read; a change (another URL or database) fills the last window again.
    void setOptions(const core::InfluxOptions &options);
    // The window [now - windowSeconds, now), when wider than the widest one filled so far.
    void fill(int windowSeconds);

    bool enabled() const { return m_options.enabled(); }
    bool isBusy() const { return m_pending > 0; }
    int fills() const { return m_fills; }            // fills ended, failed or not
    quint64 failures() const { return m_failures; }  // queries that failed
    quint64 pointsTaken() const { return m_points; } // points written into the store
    QString lastError() const { return m_lastError; }

signals:
    void filled(int points);             // a fill ended; `points` went into the store
    void failed(const QString &message); // a query of a fill failed (its charts stay live)

private:
    struct Queue;
    void onAnswer(const core::HistoryAnswer &answer); // the backfill's thread
    void onFillDone(int points, int failures, const QString &error);

    core::SeriesStore &m_store;
    core::InfluxOptions m_options;
    QThread m_thread;
    std::unique_ptr<Queue> m_queue;        // touched on m_thread only
    core::HistoryQuery *m_query = nullptr; // lives on m_thread
    int m_filledSeconds = 0;
    int m_pending = 0;
    int m_fills = 0;
    quint64 m_failures = 0;
    quint64 m_points = 0;
    QString m_lastError;
};

} // namespace greenpulse::app
