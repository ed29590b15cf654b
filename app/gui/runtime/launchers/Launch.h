#pragma once

#include <QString>
#include <optional>

namespace greenpulse::app {

// What the operator asked for in the window's form (docs/dashboard.md, "Launchers"). Only what
// was typed in this window is ever run: nothing received over MQTT becomes a command.
struct LaunchRequest
{
    QString name;       // the job's name
    QString host;       // the host the job's start names; empty: every host (Label, Command)
    QString command;    // Command: the command line; Slurm: the --wrap command (no script)
    QString script;     // Slurm: the batch script to submit; empty: --wrap the command
    QString partition;  // Slurm: --partition; empty: the cluster's default
    int gpus = 0;       // Slurm: --gres=gpu:N when above 0
    QString sbatchArgs; // Slurm: more sbatch options (--time=10 --account=x), split like a shell
};

// Where a launched job is. The final states are Ended, Failed and Cancelled.
enum class LaunchState {
    Submitting, // sbatch has not answered yet
    Pending,    // queued by Slurm
    Running,
    Ended,     // exit code 0 / Slurm COMPLETED
    Failed,    // another exit code, a command that cannot run, Slurm FAILED, TIMEOUT...
    Cancelled, // Stop (SIGTERM/SIGKILL, scancel), or Slurm CANCELLED
};

QString launchStateText(LaunchState state); // "pending", "running", ...
bool isFinal(LaunchState state);

// One job started by a launcher.
struct Launch
{
    quint64 serial = 0; // this launcher's number for it
    QString jobId;      // GreenPulse's job id; empty while a Slurm submission has no id yet
    QString externalId; // the process id, or Slurm's job id
    LaunchState state = LaunchState::Submitting;
    QString detail; // Slurm's word for the state, "stopped from the dashboard"...
    std::optional<int> exitCode;
    bool stopRequested = false;
    qint64 submittedMs = 0; // when it was started here (ms since the epoch)
};

} // namespace greenpulse::app
