#include "runtime/launchers/CommandLauncher.h"

#include "base/Logging.h"
#include "control/ExitCode.h"
#include "runtime/JobController.h"
#include "runtime/launchers/CommandLine.h"
#include "runtime/launchers/CommandRun.h"

#include <QProcess>
#include <csignal>

namespace greenpulse::app {

CommandLauncher::CommandLauncher(JobController &jobs, QObject *parent)
    : Launcher(parent), m_jobs(jobs)
{}

CommandLauncher::~CommandLauncher()
{
    killAll();
}

void CommandLauncher::start(const LaunchRequest &request)
{
    QString error;
    const auto split = splitCommandLine(request.command, &error);
    if (!split) {
        emit failed(error);
        return;
    }
    const QStringList argv = *split;
    if (argv.isEmpty()) {
        emit failed(tr("Type the command to run (Settings chose the Command launcher)."));
        return;
    }
    // As `greenpulse-job run`: the start goes out first, the command never waits for the broker.
    const QString jobId = m_jobs.startJob(request.name, request.host);
    Launch &launch = add();
    launch.jobId = jobId;
    launch.state = LaunchState::Running;
    const quint64 serial = launch.serial;
    auto *run = new CommandRun(argv, m_graceMs, this);
    m_runs.insert(jobId, run);
    connect(run, &CommandRun::outputChanged, this, [this, jobId] { emit outputChanged(jobId); });
    connect(run, &CommandRun::finished, this,
            [this, serial](int exitCode, bool killed) { onFinished(serial, exitCode, killed); });
    connect(run, &CommandRun::cannotStart, this, [this, serial, run](const QString &why) {
        emit failed(tr("Cannot run %1: %2").arg(run->program(), why));
        onFinished(serial, core::kCannotRunExitCode, false);
    });
    run->start();
    if (Launch *l = bySerial(serial)) {
        l->externalId = QString::number(run->processId());
    }
    qCInfo(lcApp).noquote() << "command launcher: job" << jobId << "runs"
                            << argv.join(QLatin1Char(' '));
    emit started(jobId);
    emit changed();
}

void CommandLauncher::onFinished(quint64 serial, int exitCode, bool killed)
{
    Launch *launch = bySerial(serial);
    if (!launch || isFinal(launch->state)) {
        return;
    }
    launch->exitCode = exitCode;
    m_jobs.endJob(launch->jobId, exitCode);
    m_finishedOrder.append(launch->jobId);
    const QString jobId = launch->jobId;
    if (launch->stopRequested) {
        setState(*launch, LaunchState::Cancelled,
                 killed ? tr("stopped: SIGKILL after %1 s").arg(m_graceMs / 1000.0)
                        : tr("stopped: SIGTERM"));
    } else {
        setState(*launch, exitCode == 0 ? LaunchState::Ended : LaunchState::Failed);
    }
    emit info(tr("%1 ended with exit code %2").arg(jobId).arg(exitCode));
    forgetOldOutputs();
}

bool CommandLauncher::stop(const QString &jobId)
{
    Launch *launch = findMutable(jobId);
    CommandRun *run = m_runs.value(jobId);
    if (!launch || !run || isFinal(launch->state)) {
        return false;
    }
    launch->stopRequested = true;
    run->stop();
    emit info(tr("Stopping %1: SIGTERM, SIGKILL after %2 s").arg(jobId).arg(m_graceMs / 1000.0));
    return true;
}

const OutputBuffer *CommandLauncher::output(const QString &jobId) const
{
    const CommandRun *run = m_runs.value(jobId);
    return run ? &run->output() : nullptr;
}

void CommandLauncher::forgetOldOutputs()
{
    while (m_finishedOrder.size() > kKeptOutputs) {
        delete m_runs.take(m_finishedOrder.takeFirst());
    }
}

void CommandLauncher::killAll()
{
    // Their ends go out now (killed: 128 + SIGKILL), while the control connection is still up.
    QList<quint64> running;
    for (auto it = m_runs.cbegin(); it != m_runs.cend(); ++it) {
        Launch *launch = findMutable(it.key());
        if (it.value()->isRunning() && launch && !isFinal(launch->state)) {
            launch->stopRequested = true;
            running << launch->serial;
        }
    }
    for (quint64 serial : running) {
        onFinished(serial, core::shellExitCode(SIGKILL, true), true);
    }
    qDeleteAll(m_runs); // each kills its process group if it still runs
    m_runs.clear();
    m_finishedOrder.clear();
}

} // namespace greenpulse::app
