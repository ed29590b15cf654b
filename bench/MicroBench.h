#pragma once

namespace greenpulse::bench {

class Report;

// Runs greenpulse-microbench (Google Benchmark, JSON output) and reports ns per message for
// parsing alone, accounting alone, and both as Processor::handleMessage does them.
class MicroBench
{
public:
    explicit MicroBench(Report &report) : m_report(report) {}
    void run(double minTimeSeconds);

private:
    Report &m_report;
};

} // namespace greenpulse::bench
