#pragma once

#include "runtime/launchers/Launcher.h"

#include <QHash>

namespace greenpulse::app {

// How long Stop waits after SIGTERM before SIGKILL (--stop-grace-s).
inline constexpr int kDefaultStopGraceS = 10;

class CommandRun;
class JobController;

// "Command": runs the command line typed in the window on this machine, with the operator's own
// rights, as `greenpulse-job run` does: the job's start is published first, the command runs
// (split like a shell line, but without a shell), and its end carries the exit code (127: cannot
// run, 128 + signal when killed). Stop sends SIGTERM to the command's process group, then
// SIGKILL after the grace period. Its output is kept (bounded) for the jobs table's viewer.
class CommandLauncher : public Launcher
{
    Q_OBJECT
public:
    static constexpr int kKeptOutputs = 20; // finished commands whose output stays viewable

    explicit CommandLauncher(JobController &jobs, QObject *parent = nullptr);
    ~CommandLauncher() override;

    void setGraceMs(int graceMs) { m_graceMs = graceMs; }
    int graceMs() const { return m_graceMs; }

    Kind kind() const override { return Kind::Command; }
    void start(const LaunchRequest &request) override;
    bool stop(const QString &jobId) override;
    const OutputBuffer *output(const QString &jobId) const override;

    // The dashboard is closing: every command still running is killed and its end published.
    void killAll();

private:
    void onFinished(quint64 serial, int exitCode, bool killed);
    void forgetOldOutputs();

    JobController &m_jobs;
    int m_graceMs = kDefaultStopGraceS * 1000;
    QHash<QString, CommandRun *> m_runs; // job id -> its command (kept after it ends, bounded)
    QList<QString> m_finishedOrder;      // job ids of finished runs, oldest first
};

} // namespace greenpulse::app
