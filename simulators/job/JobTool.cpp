#include "JobTool.h"

#include "protocol/JobId.h"
#include "control/JobPublisher.h"
#include "base/Logging.h"
#include "mqtt/MqttClient.h"
#include "base/SecurityChecks.h"
#include "SimulatorSupport.h"

#include <QTextStream>

namespace greenpulse::sim {

QList<JobTool::DemoPhase> JobTool::demoPlan()
{
    return {{QStringLiteral("Initial_Model_Train"), 10},
            {QString(), 5},
            {QStringLiteral("Hyperparameter_Tuning"), 15},
            {QString(), 5}};
}

JobTool::JobTool(core::MqttClient &client, core::JobPublisher &publisher, QTextStream &out,
                 QString brokerUrl, int ackTimeoutMs, QObject *parent)
    : QObject(parent), m_client(client), m_publisher(publisher), m_out(out),
      m_brokerUrl(core::redactUrl(brokerUrl)), m_ackTimeoutMs(ackTimeoutMs)
{
    m_demoTimer.setSingleShot(true);
    m_demoTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_demoTimer, &QTimer::timeout, this, &JobTool::demoTick);
}

void JobTool::startJob(const QString &name, const QString &host)
{
    m_client.connectToBroker();
    const QString jobId = m_publisher.start(name, host);
    finishWhenAcknowledged(QStringLiteral("the start of job ") + jobId,
                           [this, jobId] { m_out << jobId << Qt::endl; });
}

void JobTool::stopJob(const QString &jobId)
{
    if (!core::jobid::isWellFormed(jobId)) {
        qCWarning(lcSim).noquote() << jobId
                                   << "does not look like a job id "
                                      "(<name>_<unix seconds>_<6 hex digits>); ending it anyway";
    }
    m_client.connectToBroker();
    m_publisher.end(jobId);
    finishWhenAcknowledged(QStringLiteral("the end of job ") + jobId, [] {});
}

void JobTool::finishWhenAcknowledged(const QString &what, std::function<void()> onSuccess)
{
    m_waiting = true;
    whenIdle(m_client, m_ackTimeoutMs, this,
             [this, what, onSuccess = std::move(onSuccess)](bool acknowledged) {
                 m_waiting = false;
                 if (acknowledged) {
                     onSuccess();
                     finish(0);
                     return;
                 }
                 QTextStream err(stderr);
                 err << "greenpulse-job: " << what << " was not acknowledged by the broker at "
                     << m_brokerUrl << " within " << (m_ackTimeoutMs / 1000) << " s";
                 if (!m_client.lastError().isEmpty()) {
                     err << " (" << m_client.lastError() << ')';
                 }
                 err << "; is the broker running and reachable?" << Qt::endl;
                 finish(1);
             });
}

void JobTool::finish(int exitCode)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_demoTimer.stop();
    emit finished(exitCode);
}

void JobTool::playDemo(const QString &host, int secondMs)
{
    m_plan = demoPlan();
    m_demoHost = host;
    m_secondMs = qMax(1, secondMs);
    m_totalSeconds = 0;
    for (const DemoPhase &phase : std::as_const(m_plan)) {
        m_totalSeconds += phase.seconds;
    }
    m_second = 0;
    m_phase = -1;
    m_client.connectToBroker();
    m_demoClock.start();
    demoTick();
}

void JobTool::demoTick()
{
    // The phase that second m_second belongs to (m_plan.size() once the demo is over).
    int phase = 0;
    for (int start = 0; phase < m_plan.size(); ++phase) {
        start += m_plan[phase].seconds;
        if (m_second < start) {
            break;
        }
    }
    if (phase != m_phase) {
        if (!m_runningJob.isEmpty()) {
            m_publisher.end(m_runningJob);
            m_runningJob.clear();
        }
        if (phase < m_plan.size() && !m_plan[phase].jobName.isEmpty()) {
            m_runningJob = m_publisher.start(m_plan[phase].jobName, m_demoHost);
        }
        m_phase = phase;
    }
    const QString progress = QStringLiteral("[%1/%2 s] ").arg(m_second, 2).arg(m_totalSeconds);
    if (m_second >= m_totalSeconds) {
        m_out << progress << "demo finished" << Qt::endl;
        finishWhenAcknowledged(QStringLiteral("the demo's messages"), [] {});
        return;
    }
    m_out << progress
          << (m_runningJob.isEmpty() ? QStringLiteral("idle")
                                     : QStringLiteral("running ") + m_runningJob)
          << Qt::endl;
    ++m_second;
    // Scheduled from the demo's start, so the seconds do not drift.
    const qint64 next = static_cast<qint64>(m_second) * m_secondMs - m_demoClock.elapsed();
    m_demoTimer.start(static_cast<int>(qMax<qint64>(0, next)));
}

void JobTool::terminate(int signalNumber)
{
    if (m_finished) {
        return;
    }
    if (m_demoTimer.isActive() || !m_runningJob.isEmpty()) {
        m_demoTimer.stop();
        qCInfo(lcSim) << "signal" << signalNumber << ": stopping the demo";
        if (!m_runningJob.isEmpty()) {
            m_publisher.end(m_runningJob);
            m_runningJob.clear();
        }
        m_ackTimeoutMs = qMin(m_ackTimeoutMs, kFlushTimeoutMs);
        finishWhenAcknowledged(QStringLiteral("the end of the demo's job"), [] {});
        return;
    }
    if (m_waiting) {
        QTextStream(stderr) << "greenpulse-job: interrupted before the broker acknowledged"
                            << Qt::endl;
        finish(m_client.isIdle() ? 0 : 1);
    }
}

} // namespace greenpulse::sim
