#pragma once

#include "runtime/launchers/AsyncProgram.h"
#include "runtime/launchers/Launcher.h"

#include <QSet>
#include <QTimer>

namespace greenpulse::app {

// The Slurm client programs the launcher runs (Settings, or --sbatch/--scancel/--squeue).
struct SlurmPrograms
{
    QString sbatch = QStringLiteral("sbatch");
    QString scancel = QStringLiteral("scancel");
    QString squeue = QStringLiteral("squeue");
};

// "Slurm": Start submits with `sbatch --parsable` (the form's batch script, or --wrap of its
// command, with its job name, partition and --gres=gpu:N); Stop runs `scancel <id>`. The job's
// start and end reach GreenPulse from the site's Prolog/Epilog (greenpulse-job slurm-prolog,
// docs/slurm.md) under the id jobid::slurm(cluster, Slurm's id); the launcher ties that job to its
// submission, and follows it with `squeue` (pending, running, and how it ended, also when it was
// cancelled before it ever ran) and with the processor's jobs (the epilog's exit state).
class SlurmLauncher : public Launcher
{
    Q_OBJECT
public:
    static constexpr int kPollMs = 2000; // squeue, while a submission is not finished
    static constexpr int kCommandTimeoutMs = 30000;
    static constexpr qint64 kClockSlackMs = 60000; // between this machine's clock and the node's

    explicit SlurmLauncher(QObject *parent = nullptr);

    void setPrograms(const SlurmPrograms &programs) { m_programs = programs; }
    const SlurmPrograms &programs() const { return m_programs; }
    void setPollIntervalMs(int ms) { m_poll.setInterval(ms); }

    Kind kind() const override { return Kind::Slurm; }
    void start(const LaunchRequest &request) override;
    bool stop(const QString &jobId) override;
    void observe(const std::vector<core::JobSummary> &jobs) override;

    QString cluster() const { return m_cluster; } // learned from sbatch or squeue

private:
    void onSubmitted(quint64 serial, const ProgramResult &result);
    void learnCluster(Launch &launch, const QString &cluster);
    void pollRound(); // asks squeue about each unfinished submission, one after the other
    void pollNext();
    void onQueue(quint64 serial, const ProgramResult &result);
    bool needsPolling() const;

    SlurmPrograms m_programs;
    QString m_cluster;
    QTimer m_poll;
    QList<quint64> m_toPoll; // this round's submissions, one squeue at a time
    QSet<quint64> m_unknown; // squeue no longer knows them: not asked again
    bool m_polling = false;
};

} // namespace greenpulse::app
