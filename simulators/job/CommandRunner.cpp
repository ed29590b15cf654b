#include "CommandRunner.h"

#include "ScopedJob.h"
#include "SimulatorSupport.h"
#include "base/Logging.h"
#include "control/ExitCode.h"
#include "control/JobPublisher.h"
#include "mqtt/MqttClient.h"

#include <QTextStream>
#include <csignal>

namespace greenpulse::sim {

CommandRunner::CommandRunner(core::MqttClient &client, core::JobPublisher &publisher,
                             int ackTimeoutMs, QObject *parent)
    : QObject(parent), m_client(client), m_publisher(publisher), m_ackTimeoutMs(ackTimeoutMs)
{
    m_process.setProcessChannelMode(QProcess::ForwardedChannels);
    m_process.setInputChannelMode(QProcess::ForwardedInputChannel);
    connect(&m_process, &QProcess::finished, this, &CommandRunner::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &CommandRunner::onError);
}

CommandRunner::~CommandRunner()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

void CommandRunner::run(const QString &name, const QString &host, const QStringList &command,
                        const QStringList &gpus)
{
    m_client.connectToBroker();
    // The start goes out (or is queued) before the command runs; the command does not wait for
    // the broker: accounting must never hold up the work itself.
    m_job = std::make_unique<core::ScopedJob>(m_publisher, name, host, gpus);
    m_jobId = m_job->jobId();
    m_program = command.first();
    qCInfo(lcSim).noquote() << "running" << command.join(QLatin1Char(' ')) << "as job" << m_jobId;
    m_process.start(m_program, command.mid(1));
}

void CommandRunner::forwardSignal(int signalNumber)
{
    if (m_process.state() == QProcess::Running) {
        qCInfo(lcSim) << "forwarding signal" << signalNumber << "to" << m_process.processId();
        ::kill(static_cast<pid_t>(m_process.processId()), signalNumber);
        return;
    }
    if (m_waitingForAck) {
        // A second request while waiting for the broker: give up waiting.
        m_waitingForAck = false;
        QTextStream(stderr) << "greenpulse-job: interrupted before the broker acknowledged the end "
                               "of job "
                            << m_jobId << Qt::endl;
        emit finished(m_exitCode);
    }
}

void CommandRunner::onFinished(int exitCode, QProcess::ExitStatus status)
{
    // On a crash QProcess reports the signal number as the exit code.
    const int code = core::shellExitCode(exitCode, status == QProcess::CrashExit);
    if (status == QProcess::CrashExit) {
        qCInfo(lcSim).noquote() << m_program << "was killed by signal" << exitCode;
    }
    endJob(code);
}

void CommandRunner::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart) {
        return; // crashes and the like also come through finished()
    }
    QTextStream(stderr) << "greenpulse-job: cannot run " << m_program << ": "
                        << m_process.errorString() << Qt::endl;
    endJob(core::kCannotRunExitCode);
}

void CommandRunner::endJob(int exitCode)
{
    if (m_ended) {
        return;
    }
    m_ended = true;
    m_exitCode = exitCode;
    m_job->setExitCode(exitCode);
    m_job.reset(); // publishes the end with the exit code
    m_waitingForAck = true;
    whenIdle(m_client, m_ackTimeoutMs, this, [this](bool acknowledged) {
        if (!m_waitingForAck) {
            return;
        }
        m_waitingForAck = false;
        if (!acknowledged) {
            QTextStream err(stderr);
            err << "greenpulse-job: the broker did not acknowledge job " << m_jobId << " within "
                << (m_ackTimeoutMs / 1000) << " s";
            if (!m_client.lastError().isEmpty()) {
                err << " (" << m_client.lastError() << ')';
            }
            err << "; its start or end may be missing" << Qt::endl;
        }
        emit finished(m_exitCode);
    });
}

} // namespace greenpulse::sim
