#include "pipeline/SeriesHistory.h"

#include "pipeline/MetricsSchema_p.h"
#include "pipeline/SeriesStore.h"

namespace greenpulse::core::serieshistory {

namespace {

using serieskeys::Kind;

struct Source
{
    Kind kind;
    const char *measurement;
    QStringView field;
};

// Each chart series and the field it is written as (SeriesStore::append of a summary mirrors the
// schema's footprintLine and hostLine).
const Source kSources[] = {
    {Kind::Power, schema::kHostTelemetry, schema::kWatts},
    {Kind::Flow, schema::kHostTelemetry, schema::kFlowLpm},
    {Kind::Temp, schema::kHostTelemetry, schema::kTempC},
    {Kind::Kwh, schema::kFootprint, schema::kCumulativeKwh},
    {Kind::Co2e, schema::kFootprint, schema::kCumulativeCo2eKg},
    {Kind::Liters, schema::kFootprint, schema::kCumulativeLiters},
};

HistoryRequest request(const char *measurement, QStringView tag, const QString &aggregate,
                       qint64 fromMs, qint64 toMs)
{
    HistoryRequest r;
    r.measurement = QString::fromLatin1(measurement);
    r.tag = tag.toString();
    for (const Source &source : kSources) {
        if (qstrcmp(source.measurement, measurement) == 0) {
            r.fields << source.field.toString();
        }
    }
    r.aggregate = aggregate;
    r.fromMs = fromMs;
    r.toMs = toMs;
    r.maxPoints = kMaxPoints;
    r.maxSeries = kMaxSeries;
    return r;
}

} // namespace

QVector<HistoryRequest> requests(qint64 fromMs, qint64 toMs)
{
    // Power and coolant are levels (a bucket's mean); the jobs' totals only grow (its last).
    return {request(schema::kHostTelemetry, schema::kHostTag, QStringLiteral("mean"), fromMs, toMs),
            request(schema::kFootprint, schema::kJobIdTag, QStringLiteral("last"), fromMs, toMs)};
}

bool kindOf(const HistorySeries &series, Kind *kind)
{
    for (const Source &source : kSources) {
        if (series.field == source.field &&
            series.measurement == QLatin1String(source.measurement)) {
            *kind = source.kind;
            return true;
        }
    }
    return false;
}

int store(SeriesStore &target, const HistoryAnswer &answer)
{
    int taken = 0;
    for (const HistorySeries &series : answer.series) {
        Kind kind{};
        if (!series.tagValue.isEmpty() && kindOf(series, &kind)) {
            taken += target.insertHistory(serieskeys::key(kind, series.tagValue), series.points);
        }
    }
    return taken;
}

} // namespace greenpulse::core::serieshistory
