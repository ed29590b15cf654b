#pragma once

#include <QApplication>
#include <QHash>
#include <QPointer>
#include <QStringList>

namespace greenpulse::app {
class ChartsPanel;
} // namespace greenpulse::app

namespace greenpulse::bench {

// A QApplication that times every event the GUI thread dispatches (timers, socket notifiers,
// queued snapshots, paints), outermost dispatches only: the GUI thread's busy time. Events in
// which a chart was drawn (ChartsPanel::chartDrawCount() moved) are also timed as chart refreshes.
class BenchApplication : public QApplication
{
    Q_OBJECT
public:
    BenchApplication(int &argc, char **argv);

    bool notify(QObject *receiver, QEvent *event) override;

    void startMeasuring(app::ChartsPanel *charts);
    void stopMeasuring();

    qint64 busyNs() const { return m_busyNs; }
    // CPU time the GUI thread used between start and stop (CLOCK_THREAD_CPUTIME_ID): unlike the
    // busy time, it leaves out the time the thread waited for a core on a loaded machine.
    qint64 cpuNs() const { return m_cpuNs; }
    qint64 maxEventNs() const { return m_maxEventNs; }
    QString maxEventText() const { return m_maxEventText; } // its receiver's class, event type
    qint64 refreshes() const { return m_refreshes; }
    qint64 refreshMaxNs() const { return m_refreshMaxNs; }
    qint64 refreshMaxCpuNs() const { return m_refreshMaxCpuNs; } // the most CPU one used
    qint64 refreshTotalNs() const { return m_refreshTotalNs; }
    // Where the CPU time went: the kinds of event (receiver class, event type) that used the most,
    // each as "class/type: N events, M ms of CPU", largest first.
    QStringList topEventKinds(int count) const;

private:
    struct Kind
    {
        qint64 events = 0;
        qint64 cpuNs = 0;
    };
    QHash<QString, Kind> m_kinds;
    QPointer<app::ChartsPanel> m_charts;
    bool m_measuring = false;
    int m_depth = 0;
    qint64 m_busyNs = 0;
    qint64 m_cpuNs = 0;
    qint64 m_maxEventNs = 0;
    QString m_maxEventText;
    qint64 m_refreshes = 0;
    qint64 m_refreshMaxNs = 0;
    qint64 m_refreshMaxCpuNs = 0;
    qint64 m_refreshTotalNs = 0;
};

} // namespace greenpulse::bench
