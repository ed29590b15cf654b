#include "runtime/launchers/SlurmLauncher.h"

#include "accounting/LedgerTypes.h"
#include "base/Logging.h"
#include "protocol/JobId.h"
#include "runtime/launchers/AsyncProgram.h"
#include "runtime/launchers/SlurmCommands.h"

#include <QDateTime>
#include <QFileInfo>

namespace greenpulse::app {

SlurmLauncher::SlurmLauncher(QObject *parent) : Launcher(parent)
{
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &SlurmLauncher::pollRound);
}

void SlurmLauncher::pollRound()
{
    if (m_polling) {
        return; // the last round is still asking
    }
    m_toPoll.clear();
    for (const Launch &launch : launches()) {
        if (!launch.externalId.isEmpty() && !isFinal(launch.state) &&
            !m_unknown.contains(launch.serial)) {
            m_toPoll << launch.serial;
        }
    }
    if (m_toPoll.isEmpty()) {
        m_poll.stop();
        return;
    }
    m_polling = true;
    pollNext();
}

void SlurmLauncher::start(const LaunchRequest &request)
{
    QString error;
    const QStringList args = slurmcmd::sbatchArguments(request, &error);
    if (args.isEmpty()) {
        emit failed(error);
        return;
    }
    const QString script = request.script.trimmed();
    if (!script.isEmpty() && !QFileInfo(script).isReadable()) {
        emit failed(tr("The batch script %1 cannot be read.").arg(script));
        return;
    }
    Launch &launch = add();
    launch.submittedMs = QDateTime::currentMSecsSinceEpoch();
    const quint64 serial = launch.serial;
    emit changed();
    emit info(tr("Submitting to Slurm…"));
    qCInfo(lcApp).noquote() << "slurm launcher:" << m_programs.sbatch
                            << args.join(QLatin1Char(' '));
    runAsync(this, m_programs.sbatch, args, kCommandTimeoutMs,
             [this, serial](const ProgramResult &result) { onSubmitted(serial, result); });
}

void SlurmLauncher::onSubmitted(quint64 serial, const ProgramResult &result)
{
    Launch *launch = bySerial(serial);
    if (!launch) {
        return;
    }
    const auto submitted = result.exitCode == 0 ? slurmcmd::parseSbatch(result.out) : std::nullopt;
    if (!submitted) {
        QString why;
        if (!result.started && !result.timedOut) {
            why = tr("Cannot run sbatch (%1): %2. Install Slurm's client (slurm-client) or set "
                     "its path in Settings.")
                      .arg(m_programs.sbatch, result.error);
        } else if (result.timedOut) {
            why = tr("sbatch gave no answer: %1").arg(result.error);
        } else {
            const QString err = QString::fromUtf8(result.err).trimmed();
            why = tr("Slurm refused the job: %1")
                      .arg(err.isEmpty() ? QString::fromUtf8(result.out).trimmed() : err);
        }
        launch->exitCode.reset();
        setState(*launch, LaunchState::Failed, tr("not submitted"));
        emit failed(why);
        return;
    }
    launch->externalId = submitted->slurmJobId;
    launch->jobId = core::jobid::slurm(m_cluster, launch->externalId);
    setState(*launch, LaunchState::Pending, tr("submitted"));
    if (!submitted->cluster.isEmpty()) {
        learnCluster(*launch, submitted->cluster);
    }
    emit info(tr("Submitted Slurm job %1").arg(launch->externalId));
    emit started(launch->jobId);
    m_poll.start();
    QTimer::singleShot(0, this, &SlurmLauncher::pollRound);
}

void SlurmLauncher::learnCluster(Launch &launch, const QString &cluster)
{
    m_cluster = cluster;
    const QString id = core::jobid::slurm(cluster, launch.externalId);
    if (id != launch.jobId) {
        launch.jobId = id;
        emit started(id);
        emit changed();
    }
}

void SlurmLauncher::pollNext()
{
    while (!m_toPoll.isEmpty()) {
        const quint64 serial = m_toPoll.takeFirst();
        const Launch *launch = bySerial(serial);
        if (!launch || isFinal(launch->state)) {
            continue;
        }
        runAsync(this, m_programs.squeue, slurmcmd::squeueArguments(launch->externalId),
                 kCommandTimeoutMs,
                 [this, serial](const ProgramResult &result) { onQueue(serial, result); });
        return;
    }
    m_polling = false;
}

void SlurmLauncher::onQueue(quint64 serial, const ProgramResult &result)
{
    Launch *launch = bySerial(serial);
    if (launch && !result.started) {
        qCWarning(lcApp).noquote()
            << "slurm launcher: cannot run" << m_programs.squeue << ":" << result.error;
        m_unknown.insert(serial); // the processor's jobs still tell its start and end
    } else if (launch && result.exitCode != 0 && result.err.contains("Invalid job id specified")) {
        m_unknown.insert(serial); // Slurm forgot it (MinJobAge)
    } else if (launch) {
        for (const slurmcmd::QueueRow &row : slurmcmd::parseSqueue(result.out)) {
            if (row.slurmJobId != launch->externalId) {
                continue;
            }
            if (!row.cluster.isEmpty() && row.cluster != QLatin1String("N/A")) {
                learnCluster(*launch, row.cluster);
            }
            if (const auto state = slurmcmd::stateOf(row.state)) {
                setState(*launch, *state, row.state);
            }
        }
    }
    pollNext();
}

void SlurmLauncher::observe(const std::vector<core::JobSummary> &jobs)
{
    for (const Launch &l : launches()) {
        if (l.externalId.isEmpty() || isFinal(l.state)) {
            continue;
        }
        const quint64 serial = l.serial;
        for (const core::JobSummary &job : jobs) {
            QString cluster;
            QString slurmId;
            // Slurm's ids start again on a new cluster: a job that started before the submission
            // is another one.
            if (!core::jobid::splitSlurm(job.jobId, &cluster, &slurmId) ||
                slurmId != l.externalId || (!m_cluster.isEmpty() && cluster != m_cluster) ||
                (job.startNs > 0 && job.startNs / 1'000'000 < l.submittedMs - kClockSlackMs)) {
                continue;
            }
            Launch *launch = bySerial(serial);
            learnCluster(*launch, cluster);
            if (job.running) {
                setState(*launch, LaunchState::Running, launch->detail);
            } else if (m_unknown.contains(serial)) {
                // squeue cannot tell (not installed, or Slurm forgot the job): the epilog's word.
                launch->exitCode = job.exitCode;
                setState(*launch, slurmcmd::endStateOf(job), job.exitState);
            } else {
                // squeue's final state is Slurm's own; the epilog's is read while the job is
                // still COMPLETING (a job cancelled in its first moments may look completed).
                launch->exitCode = job.exitCode;
            }
            break;
        }
    }
}

bool SlurmLauncher::stop(const QString &jobId)
{
    Launch *launch = findMutable(jobId);
    if (!launch || isFinal(launch->state) || launch->externalId.isEmpty()) {
        return false;
    }
    launch->stopRequested = true;
    const QString slurmId = launch->externalId;
    runAsync(
        this, m_programs.scancel, {slurmId}, kCommandTimeoutMs,
        [this, slurmId](const ProgramResult &result) {
            const QString err = QString::fromUtf8(result.err).trimmed();
            if (!result.started) {
                emit failed(
                    tr("Cannot run scancel (%1): %2").arg(m_programs.scancel, result.error));
            } else if (result.exitCode != 0 || result.timedOut) {
                emit failed(
                    tr("scancel %1 failed: %2").arg(slurmId, err.isEmpty() ? result.error : err));
            } else {
                emit info(tr("Cancelled Slurm job %1").arg(slurmId));
                m_poll.start();
            }
        });
    return true;
}

} // namespace greenpulse::app
