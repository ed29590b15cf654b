#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>

class QTextStream;

namespace greenpulse::core {
class JobPublisher;
class MqttClient;
} // namespace greenpulse::core

namespace greenpulse::sim {

// The `start`, `stop` and `demo` commands of greenpulse-job (`run` is CommandRunner). Each
// publishes through a JobPublisher and reports finished(exitCode) once the broker acknowledged
// everything, or with exit code 1 when it did not within `ackTimeoutMs`. Job ids and progress go
// to `out` (stdout); errors to stderr.
class JobTool : public QObject
{
    Q_OBJECT
public:
    struct DemoPhase
    {
        QString jobName; // empty: idle
        int seconds = 0;
    };
    // The original demo: Initial_Model_Train 10 s, idle 5 s, Hyperparameter_Tuning 15 s, idle 5 s.
    static QList<DemoPhase> demoPlan();

    JobTool(core::MqttClient &client, core::JobPublisher &publisher, QTextStream &out,
            QString brokerUrl, int ackTimeoutMs, QObject *parent = nullptr);

    void startJob(const QString &name, const QString &host); // prints the new job id
    void stopJob(const QString &jobId);
    // Plays demoPlan() in real time, one progress line a second. `secondMs` is the length of a
    // demo second (1000 but for tests).
    void playDemo(const QString &host, int secondMs = 1000);

    // SIGINT/SIGTERM: the demo ends its running job and stops; start/stop stop waiting.
    void terminate(int signalNumber);

signals:
    void finished(int exitCode);

private:
    void demoTick();
    void finishWhenAcknowledged(const QString &what, std::function<void()> onSuccess);
    void finish(int exitCode);

    core::MqttClient &m_client;
    core::JobPublisher &m_publisher;
    QTextStream &m_out;
    QString m_brokerUrl;
    int m_ackTimeoutMs;
    bool m_finished = false;
    bool m_waiting = false;

    // demo
    QList<DemoPhase> m_plan;
    QString m_demoHost;
    QString m_runningJob;
    int m_second = 0;
    int m_totalSeconds = 0;
    int m_phase = -1;
    int m_secondMs = 1000;
    QElapsedTimer m_demoClock;
    QTimer m_demoTimer;
};

} // namespace greenpulse::sim
