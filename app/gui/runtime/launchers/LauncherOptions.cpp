#include "runtime/launchers/LauncherOptions.h"

#include "options/Options.h"
#include "runtime/launchers/CommandLauncher.h"

#include <QCoreApplication>

namespace greenpulse::app {

namespace {
constexpr Launcher::Kind kKinds[] = {Launcher::Kind::Label, Launcher::Kind::Command,
                                     Launcher::Kind::Slurm};
} // namespace

QString launcherName(Launcher::Kind kind)
{
    switch (kind) {
    case Launcher::Kind::Label:
        return QStringLiteral("label");
    case Launcher::Kind::Command:
        return QStringLiteral("command");
    case Launcher::Kind::Slurm:
        return QStringLiteral("slurm");
    }
    return {};
}

QString launcherTitle(Launcher::Kind kind)
{
    switch (kind) {
    case Launcher::Kind::Label:
        return QCoreApplication::translate("Launcher", "Label only");
    case Launcher::Kind::Command:
        return QCoreApplication::translate("Launcher", "Command");
    case Launcher::Kind::Slurm:
        return QCoreApplication::translate("Launcher", "Slurm");
    }
    return {};
}

std::optional<Launcher::Kind> launcherKind(const QString &name)
{
    for (Launcher::Kind kind : kKinds) {
        if (launcherName(kind).compare(name.trimmed(), Qt::CaseInsensitive) == 0) {
            return kind;
        }
    }
    return std::nullopt;
}

void addLauncherOptions(core::Options &options)
{
    QStringList names;
    for (Launcher::Kind kind : kKinds) {
        names << launcherName(kind);
    }
    const SlurmPrograms defaults;
    options.addOption(core::OptionSpec::oneOf(
        launchopt::kLauncher, names,
        QStringLiteral("What Start job does: label (publish the job's start and end only), "
                       "command (run a command line on this machine), slurm (sbatch; Stop: "
                       "scancel)."),
        launcherName(Launcher::Kind::Label)));
    options.addOption(core::OptionSpec::path(launchopt::kSbatch, QStringLiteral("path"),
                                             QStringLiteral("sbatch of the Slurm launcher."),
                                             defaults.sbatch));
    options.addOption(core::OptionSpec::path(launchopt::kScancel, QStringLiteral("path"),
                                             QStringLiteral("scancel of the Slurm launcher."),
                                             defaults.scancel));
    options.addOption(core::OptionSpec::path(
        launchopt::kSqueue, QStringLiteral("path"),
        QStringLiteral("squeue of the Slurm launcher (follows its submissions)."),
        defaults.squeue));
    options.addOption(
        core::OptionSpec::integer(
            launchopt::kStopGraceS, QStringLiteral("s"),
            QStringLiteral("Command launcher: seconds from SIGTERM to SIGKILL when a job is "
                           "stopped."),
            kDefaultStopGraceS)
            .range(0, 3600));
}

LauncherConfig LauncherConfig::from(const core::Options &options)
{
    LauncherConfig c;
    c.kind = launcherKind(options.choice(launchopt::kLauncher)).value_or(Launcher::Kind::Label);
    c.programs.sbatch = options.value(launchopt::kSbatch);
    c.programs.scancel = options.value(launchopt::kScancel);
    c.programs.squeue = options.value(launchopt::kSqueue);
    c.stopGraceMs = static_cast<int>(options.intValue(launchopt::kStopGraceS)) * 1000;
    return c;
}

} // namespace greenpulse::app
