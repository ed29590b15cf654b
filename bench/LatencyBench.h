#pragma once

#include <QString>

namespace greenpulse::bench {

class BenchBroker;
class Report;

// Latency: publish to accounted, at a steady `rate` msg/s spread over `hosts` hosts. A
// MosquittoClient on a thread of its own publishes at QoS 1 (as the host agents do), each
// payload stamped with the wall clock just before publish(); the product's Processor (real
// MosquittoClient, InfluxWriter to influxd, on the main thread like greenpulse-processor)
// accounts it, and a slot connected after the processor's takes the time once it is accounted.
class LatencyBench
{
public:
    LatencyBench(BenchBroker &broker, QString influxUrl, Report &report);
    void run(int seconds, int rate, int hosts);

private:
    BenchBroker &m_broker;
    QString m_influxUrl;
    Report &m_report;
};

} // namespace greenpulse::bench
