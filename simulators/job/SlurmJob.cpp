#include "SlurmJob.h"

#include "VisibleDevices.h"
#include "protocol/JobId.h"

#include <QRegularExpression>
#include <csignal>

namespace greenpulse::sim {

namespace {

QStringList deviceList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString device = part.trimmed();
        if (!device.isEmpty() && device != QLatin1String("NoDevFiles") &&
            out.size() < core::kMaxJobGpus) {
            out << device;
        }
    }
    return out;
}

// "3:0" -> status 3, signal 0.
bool readExitPair(const QString &text, std::optional<int> *status, int *signal)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    bool okStatus = false;
    bool okSignal = false;
    const int s = parts.value(0).toInt(&okStatus);
    const int sig = parts.value(1).toInt(&okSignal);
    if (parts.size() != 2 || !okStatus || !okSignal) {
        return false;
    }
    *status = s;
    *signal = sig;
    return true;
}

// "gpu:2(IDX:0-1)" or "gpu:a100:1(IDX:3),gpu:t4:1(IDX:5)" -> 0,1 / 3,5.
QStringList gpuIndices(const QString &gres)
{
    QStringList out;
    static const QRegularExpression kIdx(QStringLiteral("gpu[^(]*\\(IDX:([0-9,\\-]+)\\)"));
    auto it = kIdx.globalMatch(gres);
    while (it.hasNext()) {
        for (const QString &range :
             it.next().captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const int first = range.section(QLatin1Char('-'), 0, 0).toInt();
            const int last = range.contains(QLatin1Char('-'))
                                 ? range.section(QLatin1Char('-'), 1).toInt()
                                 : first;
            for (int i = first; i <= last && out.size() < core::kMaxJobGpus; ++i) {
                out << QString::number(i);
            }
        }
    }
    return out;
}

} // namespace

std::optional<SlurmJob> SlurmJob::fromEnvironment(const QProcessEnvironment &env, QString *error)
{
    SlurmJob job;
    job.slurmId =
        env.value(QStringLiteral("SLURM_JOB_ID"), env.value(QStringLiteral("SLURM_JOBID")));
    static const QRegularExpression kId(QStringLiteral("^[0-9]+(_[0-9]+)?$"));
    if (!kId.match(job.slurmId).hasMatch()) {
        *error = job.slurmId.isEmpty()
                     ? QStringLiteral("SLURM_JOB_ID is not set: not run by Slurm's Prolog/Epilog")
                     : QStringLiteral("SLURM_JOB_ID \"%1\" is not a job id").arg(job.slurmId);
        return std::nullopt;
    }
    job.cluster = env.value(QStringLiteral("SLURM_CLUSTER_NAME"));
    job.node = env.value(QStringLiteral("SLURMD_NODENAME"));
    job.user = env.value(QStringLiteral("SLURM_JOB_USER"));
    job.name = env.value(QStringLiteral("SLURM_JOB_NAME"));
    job.gpus = deviceList(env.value(QStringLiteral("SLURM_JOB_GPUS")));
    if (job.gpus.isEmpty()) {
        job.gpus = cudaVisibleDevices(env); // read as `greenpulse-job run` reads it
    }
    job.numNodes = qMax(1, env.value(QStringLiteral("SLURM_JOB_NUM_NODES")).toInt());
    if (!readExitPair(env.value(QStringLiteral("SLURM_JOB_EXIT_CODE2")), &job.exitStatus,
                      &job.signal)) {
        bool ok = false;
        const int wait = env.value(QStringLiteral("SLURM_JOB_EXIT_CODE")).toInt(&ok);
        if (ok) { // a wait(2) status
            job.signal = wait & 0x7f;
            job.exitStatus = (wait >> 8) & 0xff;
        }
    }
    return job;
}

bool SlurmJob::takeScontrol(const QString &text)
{
    QHash<QString, QString> fields;
    for (const QString &pair : text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq > 0 && !fields.contains(pair.left(eq))) {
            fields.insert(pair.left(eq), pair.mid(eq + 1));
        }
    }
    if (fields.value(QStringLiteral("JobId")) != slurmId) {
        return false;
    }
    fromScontrol = true;
    // JobName is the one value that may hold spaces: it runs up to " UserId=".
    static const QRegularExpression kName(QStringLiteral("JobName=(.*?) UserId="));
    const QRegularExpressionMatch m = kName.match(text.simplified());
    if (name.isEmpty() && m.hasMatch()) {
        name = m.captured(1);
    }
    if (user.isEmpty()) {
        user = fields.value(QStringLiteral("UserId")).section(QLatin1Char('('), 0, 0);
    }
    state = fields.value(QStringLiteral("JobState"));
    reason = fields.value(QStringLiteral("Reason"));
    readExitPair(fields.value(QStringLiteral("ExitCode")), &exitStatus, &signal);
    if (gpus.isEmpty()) {
        // The detail of this node ("Nodes=<node> ... GRES=..."), else the first one.
        const QStringList words = text.simplified().split(QLatin1Char(' '));
        const qsizetype from = words.indexOf(QStringLiteral("Nodes=") + node);
        for (qsizetype i = qMax<qsizetype>(0, from); i < words.size(); ++i) {
            if (words.at(i).startsWith(QLatin1String("GRES="))) {
                gpus = gpuIndices(words.at(i));
                break;
            }
        }
    }
    return true;
}

QString SlurmJob::greenpulseJobId() const
{
    return core::jobid::slurm(cluster, slurmId);
}

std::optional<int> SlurmJob::exitCode() const
{
    if (signal != 0) {
        return 128 + signal;
    }
    return exitStatus;
}

QString SlurmJob::exitState() const
{
    static const QStringList kFinal = {
        QStringLiteral("COMPLETED"), QStringLiteral("FAILED"),        QStringLiteral("CANCELLED"),
        QStringLiteral("TIMEOUT"),   QStringLiteral("OUT_OF_MEMORY"), QStringLiteral("NODE_FAIL"),
        QStringLiteral("PREEMPTED"), QStringLiteral("BOOT_FAIL"),     QStringLiteral("DEADLINE")};
    if (kFinal.contains(state)) {
        return state.toLower();
    }
    if (reason == QLatin1String("TimeLimit")) {
        return QStringLiteral("timeout");
    }
    if (reason == QLatin1String("OutOfMemory")) {
        return QStringLiteral("out_of_memory");
    }
    if (signal == SIGTERM || signal == SIGKILL || signal == SIGINT) {
        return fromScontrol ? QStringLiteral("cancelled") : QStringLiteral("failed");
    }
    if (signal != 0 || exitStatus.value_or(0) != 0 || reason == QLatin1String("NonZeroExitCode")) {
        return QStringLiteral("failed");
    }
    // The environment says 0:0 for a cancelled job too: only scontrol can say it completed.
    return fromScontrol && exitStatus ? QStringLiteral("completed") : QString();
}

core::ControlMessage SlurmJob::startMessage(core::TimeNs nowNs) const
{
    core::ControlMessage m;
    m.status = core::JobStatus::Start;
    m.jobId = greenpulseJobId();
    m.host = node;
    m.timestampNs = nowNs;
    m.user = user.left(core::kMaxIdLength);
    m.name = name.left(core::kMaxIdLength);
    m.gpus = gpus;
    return m;
}

core::ControlMessage SlurmJob::endMessage(core::TimeNs nowNs) const
{
    core::ControlMessage m;
    m.status = core::JobStatus::End;
    m.jobId = greenpulseJobId();
    m.host = node;
    m.timestampNs = nowNs;
    m.exitCode = exitCode();
    m.exitState = exitState();
    return m;
}

} // namespace greenpulse::sim
