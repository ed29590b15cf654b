#pragma once

#include <QString>

namespace greenpulse::bench {

class BenchApplication;
class BenchBroker;
class Report;

// The window: the real dashboard (MainWindow, offscreen) with the product's Backend (Processor
// on its worker thread, MosquittoClient) fed `hosts` hosts at 1 Hz. First a simulated hour is
// replayed into the processor at full speed (the same handleMessage() and tick the live
// processor runs, on a clock stepped one second at a time, ending at the present), so the
// charts hold an hour of history; then the dashboard runs live for `liveSeconds`, fed through
// the broker at 1 Hz, while every GUI-thread event is timed: busy fraction and slowest chart
// refresh. Measured with the default 15-minute window, then again with the 1-hour window.
// `section` names the table's section and prefixes the headline keys (`gui` with 1,000 hosts:
// gui_busy_fraction, gui_refresh_max_ms; `gui10k` with 10,000: gui10k_busy_fraction, ...).
class GuiBench
{
public:
    GuiBench(QString section, BenchBroker &broker, BenchApplication &app, Report &report)
        : m_section(std::move(section)), m_broker(broker), m_app(app), m_report(report)
    {}
    void run(int hosts, int jobs, int simulatedSeconds, int liveSeconds);

private:
    QString m_section;
    BenchBroker &m_broker;
    BenchApplication &m_app;
    Report &m_report;
};

} // namespace greenpulse::bench
