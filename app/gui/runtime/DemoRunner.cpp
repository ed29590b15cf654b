#include "runtime/DemoRunner.h"

#include "base/Logging.h"

namespace greenpulse::app {

DemoRunner::DemoRunner(StartFn start, EndFn end, QObject *parent)
    : QObject(parent), m_start(std::move(start)), m_end(std::move(end)), m_steps(defaultSteps())
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DemoRunner::advance);
}

QList<DemoRunner::Step> DemoRunner::defaultSteps()
{
    return {{QStringLiteral("Initial_Model_Train"), 10'000, 5'000},
            {QStringLiteral("Hyperparameter_Tuning"), 15'000, 5'000}};
}

int DemoRunner::totalMs() const
{
    int total = 0;
    for (const Step &step : m_steps) {
        total += step.runMs + step.idleMs;
    }
    return total;
}

void DemoRunner::start(const QString &host)
{
    if (isRunning() || m_steps.isEmpty()) {
        return;
    }
    const QString blocked = m_blocked ? m_blocked() : QString();
    if (!blocked.isEmpty()) {
        qCInfo(lcApp).noquote() << "demo: not started:" << blocked;
        emit progress(tr("Demo not started: %1").arg(blocked));
        return;
    }
    qCInfo(lcApp) << "demo: starting" << m_steps.size() << "jobs";
    m_host = host;
    m_index = 0;
    m_inIdle = false;
    startStep();
}

bool DemoRunner::startStep()
{
    const QString blocked = m_blocked ? m_blocked() : QString();
    if (!blocked.isEmpty()) {
        qCInfo(lcApp).noquote() << "demo: stopped:" << blocked;
        m_index = -1;
        emit progress(tr("Demo stopped: %1").arg(blocked));
        emit finished();
        return false;
    }
    const Step &step = m_steps.at(m_index);
    m_currentJob = m_start(step.name, m_host);
    emit jobStarted(m_currentJob);
    emit progress(tr("Demo %1/%2: %3 running").arg(m_index + 1).arg(m_steps.size()).arg(step.name));
    m_timer.start(step.runMs);
    return true;
}

void DemoRunner::advance()
{
    if (!isRunning()) {
        return;
    }
    const Step &step = m_steps.at(m_index);
    if (!m_inIdle) {
        m_end(m_currentJob);
        m_currentJob.clear();
        m_inIdle = true;
        emit progress(tr("Demo %1/%2: idle").arg(m_index + 1).arg(m_steps.size()));
        m_timer.start(step.idleMs);
        return;
    }
    ++m_index;
    m_inIdle = false;
    if (m_index >= m_steps.size()) {
        m_index = -1;
        qCInfo(lcApp) << "demo: finished";
        emit progress(tr("Demo finished"));
        emit finished();
        return;
    }
    startStep();
}

void DemoRunner::cancel()
{
    if (!isRunning()) {
        return;
    }
    m_timer.stop();
    if (!m_currentJob.isEmpty()) {
        m_end(m_currentJob);
        m_currentJob.clear();
    }
    m_index = -1;
    emit progress(tr("Demo cancelled"));
    emit finished();
}

} // namespace greenpulse::app
