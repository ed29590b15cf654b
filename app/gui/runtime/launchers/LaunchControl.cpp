#include "runtime/launchers/LaunchControl.h"

#include "accounting/LedgerTypes.h"
#include "options/Options.h"
#include "runtime/GuiSettings.h"
#include "runtime/launchers/CommandLauncher.h"
#include "runtime/launchers/LabelLauncher.h"
#include "runtime/launchers/SlurmLauncher.h"

#include <QDateTime>
#include <QHash>

namespace greenpulse::app {

LaunchControl::LaunchControl(GuiSettings &settings, JobController &jobs, QObject *parent)
    : QObject(parent), m_settings(settings), m_label(new LabelLauncher(jobs, this)),
      m_command(new CommandLauncher(jobs, this)), m_slurm(new SlurmLauncher(this))
{
    for (Launcher *launcher : all()) {
        connect(launcher, &Launcher::started, this, [this](const QString &jobId) {
            m_lastStarted = jobId;
            emit started(jobId);
        });
        connect(launcher, &Launcher::failed, this, &LaunchControl::failed);
        connect(launcher, &Launcher::info, this, &LaunchControl::info);
        connect(launcher, &Launcher::changed, this, &LaunchControl::changed);
        connect(launcher, &Launcher::outputChanged, this, &LaunchControl::outputChanged);
    }
    applySettings();
}

LaunchControl::~LaunchControl() = default;

QList<Launcher *> LaunchControl::all() const
{
    return {m_label, m_command, m_slurm};
}

void LaunchControl::applySettings()
{
    m_config = LauncherConfig::from(m_settings.options());
    m_command->setGraceMs(m_config.stopGraceMs);
    m_slurm->setPrograms(m_config.programs);
    emit settingsApplied();
}

Launcher &LaunchControl::current() const
{
    switch (m_config.kind) {
    case Launcher::Kind::Command:
        return *m_command;
    case Launcher::Kind::Slurm:
        return *m_slurm;
    case Launcher::Kind::Label:
        break;
    }
    return *m_label;
}

void LaunchControl::start(const LaunchRequest &request)
{
    current().start(request);
}

bool LaunchControl::stop(const QString &jobId)
{
    for (Launcher *launcher : all()) {
        if (launcher->canStop(jobId)) {
            return launcher->stop(jobId);
        }
    }
    return false;
}

bool LaunchControl::canStop(const QString &jobId) const
{
    for (const Launcher *launcher : all()) {
        if (launcher->canStop(jobId)) {
            return true;
        }
    }
    return false;
}

const Launch *LaunchControl::find(const QString &jobId) const
{
    for (const Launcher *launcher : all()) {
        if (const Launch *launch = launcher->find(jobId)) {
            return launch;
        }
    }
    return nullptr;
}

const OutputBuffer *LaunchControl::output(const QString &jobId) const
{
    for (const Launcher *launcher : all()) {
        if (const OutputBuffer *buffer = launcher->output(jobId)) {
            return buffer;
        }
    }
    return nullptr;
}

QString LaunchControl::lastStoppable() const
{
    return canStop(m_lastStarted) ? m_lastStarted : QString();
}

const std::vector<core::JobSummary> &
LaunchControl::withLaunches(const std::vector<core::JobSummary> &jobs)
{
    for (Launcher *launcher : all()) {
        launcher->observe(jobs);
    }
    QHash<QString, const core::JobSummary *> rows;
    for (const core::JobSummary &job : jobs) {
        rows.insert(job.jobId, &job);
    }
    std::vector<core::JobSummary> placeholders;
    QSet<QString> current; // the launches' job ids: m_seen keeps only those
    m_statusTexts.clear();
    for (const Launcher *launcher : all()) {
        for (const Launch &launch : launcher->launches()) {
            if (launch.jobId.isEmpty()) {
                continue;
            }
            current.insert(launch.jobId);
            const core::JobSummary *row = rows.value(launch.jobId);
            if (row) {
                m_seen.insert(launch.jobId);
            } else if (launcher->kind() != Launcher::Kind::Slurm) {
                continue; // its start is published at once: the processor shows it soon
            } else if (!m_seen.contains(launch.jobId)) {
                placeholders.push_back(placeholderOf(launch, *launcher));
            }
            statusOf(launch, row || !m_seen.contains(launch.jobId), row);
        }
    }
    m_seen.intersect(current);
    if (placeholders.empty()) {
        return jobs; // no copy of a thousand jobs four times a second
    }
    m_merged = jobs;
    m_merged.insert(m_merged.end(), placeholders.begin(), placeholders.end());
    return m_merged;
}

core::JobSummary LaunchControl::placeholderOf(const Launch &launch, const Launcher &launcher) const
{
    // Not known to the processor yet (queued by Slurm): a row of its own, without energy.
    core::JobSummary row;
    row.jobId = launch.jobId;
    row.targetHost = launcherTitle(launcher.kind());
    row.user = qEnvironmentVariable("USER");
    row.exitCode = launch.exitCode;
    return row;
}

void LaunchControl::statusOf(const Launch &launch, bool shown, const core::JobSummary *row)
{
    if (!shown) {
        return;
    }
    QString text = launchStateText(launch.state);
    if (!row) {
        // Only the launcher knows it: Slurm's word too (PENDING, CANCELLED before it ran).
        if (!launch.detail.isEmpty() && launch.detail.toLower() != text) {
            text += QStringLiteral(" (%1)").arg(launch.detail);
        }
        m_statusTexts.insert(launch.jobId, text);
        return;
    }
    if (!row->running && launch.state == LaunchState::Cancelled) {
        // Stopped from here: say so rather than "failed (exit 143)".
        m_statusTexts.insert(launch.jobId,
                             row->exitCode ? tr("cancelled (exit %1)").arg(*row->exitCode) : text);
    }
}

void LaunchControl::shutdown()
{
    m_command->killAll();
}

} // namespace greenpulse::app
