#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <memory>

namespace greenpulse::core {
class JobPublisher;
class MqttClient;
class ScopedJob;
} // namespace greenpulse::core

namespace greenpulse::sim {

// `greenpulse-job run`: publishes the job's start, runs the command with this process's stdin,
// stdout and stderr, forwards SIGINT/SIGTERM to it, publishes the end with its exit code and
// reports finished(exit code) once the broker acknowledged (or `ackTimeoutMs` passed: the
// command's exit code still wins, with an error on stderr). A command killed by a signal exits
// 128 + signal, one that cannot be started 127, as in a shell.
class CommandRunner : public QObject
{
    Q_OBJECT
public:
    CommandRunner(core::MqttClient &client, core::JobPublisher &publisher, int ackTimeoutMs,
                  QObject *parent = nullptr);
    ~CommandRunner() override;

    // `gpus`: the devices the job holds (from CUDA_VISIBLE_DEVICES: cudaVisibleDevices()).
    void run(const QString &name, const QString &host, const QStringList &command,
             const QStringList &gpus = {});
    void forwardSignal(int signalNumber);
    QString jobId() const { return m_jobId; }

signals:
    void finished(int exitCode);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void endJob(int exitCode);

    core::MqttClient &m_client;
    core::JobPublisher &m_publisher;
    int m_ackTimeoutMs;
    QProcess m_process;
    std::unique_ptr<core::ScopedJob> m_job; // publishes the end when reset, whatever happens
    QString m_jobId;
    QString m_program;
    bool m_ended = false;
    bool m_waitingForAck = false;
    int m_exitCode = 0;
};

} // namespace greenpulse::sim
