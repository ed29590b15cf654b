#pragma once

#include <QString>

class QRandomGenerator;

namespace greenpulse::core {

// Job ids are <name>_<unix seconds>_<6 lowercase hex digits>, e.g.
// Initial_Model_Train_1764049200_a1b2c3. The name may itself contain underscores.
namespace jobid {

inline constexpr const char *kIdle = "idle"; // time with no job belongs to this id

// Makes a new id. `name` is sanitised: characters outside [A-Za-z0-9_.-] become '_'; an empty
// name becomes "job".
QString make(const QString &name, qint64 unixSeconds, QRandomGenerator &random);
QString make(const QString &name); // now, with the system random generator

bool isWellFormed(const QString &id);

// The parts of a well-formed id; returns false (and leaves the outputs alone) otherwise.
bool split(const QString &id, QString *name, qint64 *unixSeconds, QString *suffix);

QString sanitizeName(const QString &name);

// A Slurm job's GreenPulse id (docs/slurm.md): "slurm-<cluster>-<slurm job id>", or
// "slurm-<slurm job id>" without a cluster name. The one place of that rule: the Slurm hooks
// build it, the dashboard's Slurm launcher finds its submissions by it.
QString slurm(const QString &cluster, const QString &slurmJobId);
// The parts of such an id (the cluster may contain '-', the Slurm job id does not); false for any
// other id, leaving the outputs alone.
bool splitSlurm(const QString &id, QString *cluster, QString *slurmJobId);

} // namespace jobid
} // namespace greenpulse::core
