#pragma once

#include <QString>

namespace greenpulse::bench {

class BenchBroker;
class Report;

// Ingest: a prepared burst of power messages published with `mosquitto_pub -l` as fast as the
// broker takes them, drained once by a plain `mosquitto_sub` (to /dev/null) and once by the
// product's Processor subscribed through the real MosquittoClient; both subscribe at QoS 1
// (the processor's own subscription) and the burst is published at QoS 0, so both receive it
// at QoS 0 from a broker whose queues are raised so it drops nothing.
class IngestBench
{
public:
    IngestBench(BenchBroker &broker, QString influxUrl, Report &report);

    void run(qint64 messages, int hosts, int jobs);

private:
    double runMosquittoSub(const QString &file, qint64 messages);
    double runProcessor(const QString &file, qint64 messages, double expectedJoules);

    BenchBroker &m_broker;
    QString m_influxUrl;
    Report &m_report;
};

} // namespace greenpulse::bench
