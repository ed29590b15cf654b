#pragma once

#include <QString>
#include <vector>

namespace greenpulse::bench {

class BenchBroker;
class Report;

// Memory of the real greenpulse-processor (a child process, writing to the harness's influxd):
// peak RSS (VmHWM) over an ingest burst with many hosts and jobs, then, in a fresh process, RSS
// sampled through a long steady stream: growth between the first and the last tenth.
class MemoryBench
{
public:
    MemoryBench(BenchBroker &broker, QString influxUrl, Report &report);
    void run(qint64 messages, int hosts, int jobs, int growthSeconds);

private:
    void runPeak(qint64 messages, int hosts, int jobs);
    void runGrowth(int hosts, int jobs, int seconds);
    void reportGrowth(const std::vector<double> &samples, int seconds);

    BenchBroker &m_broker;
    QString m_influxUrl;
    Report &m_report;
};

} // namespace greenpulse::bench
