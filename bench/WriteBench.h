#pragma once

#include <QByteArray>
#include <QList>

namespace greenpulse::bench {

class BenchInflux;
class Report;

// Write: lines per second the product's InfluxWriter gets into a real influxd (batched,
// spooled to disk, gzip, acknowledged), against curl posting the same pre-built batches (one
// curl process, one kept-alive connection, the same gzip bodies, one request at a time like the
// writer). The two alternate, each run into a fresh database, and the figures are totals over
// the runs.
class WriteBench
{
public:
    WriteBench(BenchInflux &influx, Report &report) : m_influx(influx), m_report(report) {}
    void run(qint64 lines);

private:
    // Each returns the elapsed ns (0 on failure) for all lines into database `db`.
    qint64 runCurl(const QList<QList<QByteArray>> &batches, qint64 lines, const QString &db);
    qint64 runWriter(const QList<QList<QByteArray>> &batches, qint64 lines, const QString &db);

    BenchInflux &m_influx;
    Report &m_report;
};

} // namespace greenpulse::bench
