#pragma once

// The chart series (SeriesKeys.h) read back from InfluxDB: which measurement, field and tag each
// kind of series is written as (MetricsSchema_p.h), the bucketed queries that fetch a window of
// them (HistoryQuery), and the answers written into a SeriesStore before its live points
// (SeriesStore::insertHistory). docs/dashboard.md, "Chart history".

#include "influx/HistoryQuery.h"
#include "pipeline/SeriesKeys.h"

#include <QVector>

namespace greenpulse::core {
class SeriesStore;
} // namespace greenpulse::core

namespace greenpulse::core::serieshistory {

// At most this many series per measurement (the charts draw the top few plus "others"), and
// points per series, whatever the window: one answer holds at most kMaxSeries x kMaxPoints rows.
inline constexpr int kMaxSeries = 100;
inline constexpr int kMaxPoints = 1000;

// Host power, flow and temperature (the mean of each bucket) and the jobs' cumulative kWh, CO2e
// and litres (the last value of each bucket) over [fromMs, toMs).
QVector<HistoryRequest> requests(qint64 fromMs, qint64 toMs);

// The series of `kind` an answer's series is, if any.
bool kindOf(const HistorySeries &series, serieskeys::Kind *kind);

// Writes the answer's series into `target` under their chart keys; returns the points taken.
int store(SeriesStore &target, const HistoryAnswer &answer);

} // namespace greenpulse::core::serieshistory
