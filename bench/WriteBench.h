#pragma once

#include <QByteArray>
#include <QList>

namespace greenpulse::bench {

class BenchInflux;
class Report;

// Write: lines per second the product's InfluxWriter gets into a real influxd (batched,
// spooled to disk, gzip, acknowledged), against curl posting the same pre-built batches (one
// curl process, one kept-alive connection, the same gzip bodies, one request at a time like the
// writer).
class WriteBench
{
public:
    WriteBench(BenchInflux &influx, Report &report) : m_influx(influx), m_report(report) {}
    void run(qint64 lines);

private:
    double runCurl(const QList<QList<QByteArray>> &batches, qint64 lines);
    double runWriter(const QList<QList<QByteArray>> &batches, qint64 lines);

    BenchInflux &m_influx;
    Report &m_report;
};

} // namespace greenpulse::bench
