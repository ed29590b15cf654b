#pragma once

#include "TestSupport.h"

#include <QStringList>
#include <QTemporaryDir>

namespace greenpulse::test {

// A real one-node Slurm from Debian (munged, slurmctld, slurmd 22.05) for the tests: its daemons
// run in the foreground as children of the test, on free loopback ports, with their key, state,
// spool and logs in a temporary folder, and with a slurm.conf whose Prolog and Epilog are the
// given programs. Needs root (slurmd starts jobs as their users); unavailableReason() says why it
// cannot run here, for GTEST_SKIP.
class SlurmCluster
{
public:
    struct Config
    {
        QString clusterName = QStringLiteral("gptest");
        QString nodeName = QStringLiteral("gpnode1");
        QString prolog; // program slurmd runs as Prolog (no arguments); empty: none
        QString epilog;
        int gpus = 0; // fake GPUs (gres gpu with files in the temporary folder)
    };

    SlurmCluster() = default;
    ~SlurmCluster();
    SlurmCluster(const SlurmCluster &) = delete;
    SlurmCluster &operator=(const SlurmCluster &) = delete;

    // Empty when Slurm can run here; else why not (a program missing, not root).
    static QString unavailableReason();
    // Writes `dir`/<command>.sh, a Prolog/Epilog for slurm.conf (it takes no arguments):
    // greenpulse-job <command> with this broker, as docs/slurm.md's wrapper does with
    // /etc/greenpulse/greenpulse.conf; its stderr goes to `dir`/hooks.log, the Slurm variables
    // it got to `dir`/<command>-<job id>.env. Returns its path (empty on failure).
    static QString writeHook(const QString &dir, const QString &command, const QString &brokerUrl);

    // Starts munged, slurmctld and slurmd and waits until the node is idle.
    bool start(const Config &config);
    void stop();
    QString lastError() const { return m_error; }
    QString dir() const { return m_dir.path(); }
    const Config &config() const { return m_config; }

    // sbatch with these arguments; the job id, or empty (lastError()).
    QString sbatch(const QStringList &args);
    bool scancel(const QString &jobId);
    // scontrol's JobState of a job ("RUNNING", "COMPLETED"...); empty once Slurm forgot it.
    QString jobState(const QString &jobId);
    // Waits until the job is no longer pending, running or completing.
    bool waitUntilDone(const QString &jobId, int timeoutMs);
    // sinfo's state of the node ("idle", "drained"...).
    QString nodeState();
    // The environment for the Slurm commands (SLURM_CONF).
    QStringList clientEnv() const;
    // The daemons' logs, for failure messages.
    QString logs() const;

private:
    bool writeFiles();
    ProcessResult command(const QString &program, const QStringList &args, int timeoutMs = 20000);

    Config m_config;
    QTemporaryDir m_dir;
    Child m_munged;
    Child m_slurmctld;
    Child m_slurmd;
    QString m_error;
};

} // namespace greenpulse::test
