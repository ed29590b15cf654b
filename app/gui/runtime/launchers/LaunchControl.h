#pragma once

#include "runtime/launchers/Launcher.h"
#include "runtime/launchers/LauncherOptions.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <vector>

namespace greenpulse::app {

class CommandLauncher;
class GuiSettings;
class JobController;
class LabelLauncher;
class SlurmLauncher;

// The dashboard's launchers (docs/dashboard.md, "Launchers"): all three live as long as the
// window, so a job started with one is still followed and stoppable after Settings chose another;
// Start uses the one the options name (--launcher, Settings). Also what the jobs table shows of
// them: a row for each submission the processor does not know yet (a pending Slurm job), and
// their words for a job's state (pending, cancelled...).
class LaunchControl : public QObject
{
    Q_OBJECT
public:
    LaunchControl(GuiSettings &settings, JobController &jobs, QObject *parent = nullptr);
    ~LaunchControl() override;

    // Reads the launcher options again (after the settings dialog).
    void applySettings();
    const LauncherConfig &config() const { return m_config; }
    Launcher &current() const;
    Launcher::Kind kind() const { return m_config.kind; }
    SlurmLauncher &slurm() const { return *m_slurm; }
    CommandLauncher &command() const { return *m_command; }
    GuiSettings &settings() const { return m_settings; }

    void start(const LaunchRequest &request);
    // Stops a job one of the launchers started (SIGTERM/SIGKILL, scancel); false for another job,
    // which the window ends as before (a published end).
    bool stop(const QString &jobId);
    bool canStop(const QString &jobId) const;
    const Launch *find(const QString &jobId) const;
    const OutputBuffer *output(const QString &jobId) const;
    // The last job started here that can still be stopped; empty when none.
    QString lastStoppable() const;
    QString lastStarted() const { return m_lastStarted; }

    // The processor's jobs, plus a row for each launch it does not know yet; the launchers learn
    // from them first (a Slurm job's start and end). `jobs` itself when there is none to add;
    // valid until the next call.
    const std::vector<core::JobSummary> &withLaunches(const std::vector<core::JobSummary> &jobs);
    // Status words for the jobs table, by job id (valid after withLaunches()).
    const QHash<QString, QString> &statusTexts() const { return m_statusTexts; }

    // The window closes: commands still running are stopped and their ends published. Slurm
    // jobs are Slurm's: they go on.
    void shutdown();

signals:
    void started(const QString &jobId);
    void failed(const QString &message);
    void info(const QString &message);
    void changed();
    void outputChanged(const QString &jobId);
    void settingsApplied();

private:
    QList<Launcher *> all() const;
    void statusOf(const Launch &launch, bool inSnapshot, const core::JobSummary *row);
    core::JobSummary placeholderOf(const Launch &launch, const Launcher &launcher) const;

    GuiSettings &m_settings;
    LauncherConfig m_config;
    LabelLauncher *m_label = nullptr;
    CommandLauncher *m_command = nullptr;
    SlurmLauncher *m_slurm = nullptr;
    QString m_lastStarted;
    QSet<QString> m_seen; // job ids the processor has shown: no placeholder row again
    QHash<QString, QString> m_statusTexts;
    std::vector<core::JobSummary> m_merged;
};

} // namespace greenpulse::app
