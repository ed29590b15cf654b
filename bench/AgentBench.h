#pragma once

#include <QString>

namespace greenpulse::bench {

class BenchBroker;
class Report;

// The host agent's own cost per sample with every real source, on stand-in hardware: a sysfs
// tree on tmpfs (RAPL: two sockets with DRAM and core sub-zones and psys; hwmon: a power reading
// and an energy counter) and the stand-in libnvidia-ml.so the tests build (two GPUs, one without
// an energy counter). Real sysfs reads and real NVML calls cost more (BENCHMARKS.md).
//
//   - in process: sim::PowerMeter::measure() in a loop, per source and all together, CPU time of
//     this thread per sample (clock_gettime(CLOCK_THREAD_CPUTIME_ID));
//   - the real greenpulse-host-agent publishing to the harness's broker, --source auto and
//     --source sim: CPU per sample as the difference of two runs of different lengths (start-up
//     cancels out; getrusage(RUSAGE_CHILDREN) of the reaped agent), and its peak RSS (VmHWM).
class AgentBench
{
public:
    AgentBench(BenchBroker &broker, Report &report) : m_broker(broker), m_report(report) {}
    // `reads`: measure() calls per configuration in process; the agent runs publish `shortRun`
    // and `longRun` samples (every `intervalMs`).
    void run(int reads, int shortRun, int longRun, int intervalMs);

private:
    struct AgentRun
    {
        double cpuSeconds = -1;
        qint64 peakKb = -1;
        QString error;
    };
    void runInProcess(const QString &sysfsRoot, int reads);
    void runAgent(const QString &sysfsRoot, const QString &source, int shortRun, int longRun,
                  int intervalMs);
    AgentRun runAgentOnce(const QString &sysfsRoot, const QString &source, int samples,
                          int intervalMs);

    BenchBroker &m_broker;
    Report &m_report;
    QString m_nvmlState; // the stand-in NVML's state file
};

} // namespace greenpulse::bench
