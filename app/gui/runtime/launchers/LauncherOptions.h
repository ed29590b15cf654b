#pragma once

#include "runtime/launchers/Launcher.h"
#include "runtime/launchers/SlurmLauncher.h"

#include <QLatin1String>
#include <optional>

namespace greenpulse::core {
class Options;
} // namespace greenpulse::core

namespace greenpulse::app {

// The dashboard's launcher options (docs/dashboard.md, "Launchers"): program options of
// `greenpulse` only, with the usual precedence (command line, GREENPULSE_* environment, the
// dashboard's settings, the config file, defaults). The settings dialog edits them.
namespace launchopt {
inline constexpr QLatin1String kLauncher("launcher");       // label | command | slurm
inline constexpr QLatin1String kSbatch("sbatch");           // path of sbatch
inline constexpr QLatin1String kScancel("scancel");         // path of scancel
inline constexpr QLatin1String kSqueue("squeue");           // path of squeue
inline constexpr QLatin1String kStopGraceS("stop-grace-s"); // SIGTERM ... SIGKILL, Command
} // namespace launchopt

// Adds them to `options` before it parses (main() and the widget tests' harness).
void addLauncherOptions(core::Options &options);

QString launcherName(Launcher::Kind kind);  // "label", "command", "slurm" (the option's choices)
QString launcherTitle(Launcher::Kind kind); // "Label only", "Command", "Slurm"
std::optional<Launcher::Kind> launcherKind(const QString &name);

// What the options say now.
struct LauncherConfig
{
    Launcher::Kind kind = Launcher::Kind::Label;
    SlurmPrograms programs;
    int stopGraceMs = 0;

    static LauncherConfig from(const core::Options &options);
};

} // namespace greenpulse::app
