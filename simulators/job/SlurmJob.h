#pragma once

#include "protocol/Messages.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::sim {

// What a Slurm Prolog or Epilog learns about its job (docs/slurm.md): from slurmd's environment
// (Slurm 22.05 sets SLURM_JOB_ID, SLURM_JOB_USER, SLURMD_NODENAME, SLURM_CLUSTER_NAME,
// SLURM_JOB_NUM_NODES, SLURM_JOB_GPUS when GPUs are allocated, and in the epilog
// SLURM_JOB_EXIT_CODE / SLURM_JOB_EXIT_CODE2), completed by `scontrol show job -o` (the job's
// name, which slurmd's Prolog does not get, and in the epilog its Reason and ExitCode: the
// environment says 0:0 for a cancelled or timed-out job). Plain value; no I/O.
struct SlurmJob
{
    QString slurmId;  // SLURM_JOB_ID, e.g. "42"
    QString cluster;  // SLURM_CLUSTER_NAME
    QString node;     // SLURMD_NODENAME (the host the message names)
    QString user;     // SLURM_JOB_USER
    QString name;     // SLURM_JOB_NAME (PrologSlurmctld) or scontrol's JobName
    QStringList gpus; // SLURM_JOB_GPUS, else CUDA_VISIBLE_DEVICES
    int numNodes = 1; // SLURM_JOB_NUM_NODES
    // Epilog: how the job ended.
    std::optional<int> exitStatus; // the batch script's exit status
    int signal = 0;                // the signal that ended it (0: none)
    QString state;                 // scontrol's JobState (COMPLETING while the epilog runs)
    QString reason;                // scontrol's Reason (TimeLimit, NonZeroExitCode, None...)
    bool fromScontrol = false;     // takeScontrol() read the job

    // Null, with `error` set, when SLURM_JOB_ID is missing or not a job id.
    static std::optional<SlurmJob> fromEnvironment(const QProcessEnvironment &env, QString *error);
    // Reads one line of `scontrol show job -d -o <id>` (key=value pairs); false when it is not
    // that job's. slurmd 22.05 gives its Prolog no SLURM_JOB_GPUS, so the GPUs come from the
    // node's "GRES=gpu:1(IDX:0)" detail here when the environment named none.
    bool takeScontrol(const QString &text);

    // "slurm-<cluster>-<id>" ("slurm-<id>" without a cluster name).
    QString greenpulseJobId() const;
    // The exit code to publish: the script's status, or 128 + the signal that ended it.
    std::optional<int> exitCode() const;
    // completed, failed, cancelled, timeout, out_of_memory, node_fail... ; empty when unknown
    // (the environment alone cannot tell a cancelled job from a completed one).
    QString exitState() const;

    core::ControlMessage startMessage(core::TimeNs nowNs) const;
    core::ControlMessage endMessage(core::TimeNs nowNs) const;
};

} // namespace greenpulse::sim
