#pragma once

#include <QApplication>
#include <QPointer>

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
    qint64 maxEventNs() const { return m_maxEventNs; }
    qint64 refreshes() const { return m_refreshes; }
    qint64 refreshMaxNs() const { return m_refreshMaxNs; }
    qint64 refreshTotalNs() const { return m_refreshTotalNs; }

private:
    QPointer<app::ChartsPanel> m_charts;
    bool m_measuring = false;
    int m_depth = 0;
    qint64 m_busyNs = 0;
    qint64 m_maxEventNs = 0;
    qint64 m_refreshes = 0;
    qint64 m_refreshMaxNs = 0;
    qint64 m_refreshTotalNs = 0;
};

} // namespace greenpulse::bench
