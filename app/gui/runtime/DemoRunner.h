#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>

namespace greenpulse::app {

// The two-job demo of `greenpulse-job demo`, driven by a timer so the window never blocks:
// Initial_Model_Train 10 s, idle 5 s, Hyperparameter_Tuning 15 s, idle 5 s.
class DemoRunner : public QObject
{
    Q_OBJECT
public:
    struct Step
    {
        QString name;
        int runMs = 0;
        int idleMs = 0; // after the job ends
    };
    using StartFn = std::function<QString(const QString &name, const QString &host)>;
    using EndFn = std::function<void(const QString &jobId)>;
    // Why a job cannot be started now (e.g. "not connected to the broker"); empty: it can.
    using BlockedFn = std::function<QString()>;

    DemoRunner(StartFn start, EndFn end, QObject *parent = nullptr);

    static QList<Step> defaultSteps();
    void setSteps(const QList<Step> &steps) { m_steps = steps; } // shorter ones for tests
    const QList<Step> &steps() const { return m_steps; }
    // Checked before each job: while it says why not, the demo does not start (or stops), and
    // says so instead of claiming a job runs.
    void setBlockedCheck(BlockedFn blocked) { m_blocked = std::move(blocked); }

    void start(const QString &host); // empty host: every host
    void cancel();                   // ends the running demo job now
    bool isRunning() const { return m_index >= 0; }
    int totalMs() const;

signals:
    void progress(const QString &text);
    void jobStarted(const QString &jobId);
    void finished();

private:
    void advance();
    bool startStep(); // the job of step m_index; false (demo over) when blocked

    StartFn m_start;
    EndFn m_end;
    BlockedFn m_blocked;
    QList<Step> m_steps;
    QString m_host;
    QString m_currentJob;
    int m_index = -1; // step under way, -1: not running
    bool m_inIdle = false;
    QTimer m_timer;
};

} // namespace greenpulse::app
