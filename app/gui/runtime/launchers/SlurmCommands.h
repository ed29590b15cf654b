#pragma once

#include "runtime/launchers/Launch.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::core {
struct JobSummary;
} // namespace greenpulse::core

// The Slurm launcher's command lines and what it reads back, as plain functions (tested without a
// Slurm; docs/dashboard.md, "Slurm").
namespace greenpulse::app::slurmcmd {

// sbatch's arguments: --parsable, --job-name, --partition, --gres=gpu:N, the operator's extra
// options, then the script or --wrap=<command>. Empty, with `error` set, when there is nothing
// to submit.
QStringList sbatchArguments(const LaunchRequest &request, QString *error);

// `sbatch --parsable` prints "<job id>" or "<job id>;<cluster>".
struct Submitted
{
    QString slurmJobId;
    QString cluster; // empty unless sbatch named it
};
std::optional<Submitted> parseSbatch(const QByteArray &out);

// squeue's arguments for one job, every state: job id, state and cluster in columns.
QStringList squeueArguments(const QString &slurmJobId);
struct QueueRow
{
    QString slurmJobId;
    QString state; // PENDING, RUNNING, COMPLETED, CANCELLED...
    QString cluster;
};
QList<QueueRow> parseSqueue(const QByteArray &out);

// A Slurm job state as a launch state: nullopt for one it does not know.
std::optional<LaunchState> stateOf(const QString &slurmState);
// How a job of the processor's summary ended, as a launch state (its exit_state from the
// epilog, else its exit code).
LaunchState endStateOf(const core::JobSummary &job);

} // namespace greenpulse::app::slurmcmd
