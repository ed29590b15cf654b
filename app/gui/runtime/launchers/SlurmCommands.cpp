#include "runtime/launchers/SlurmCommands.h"

#include "accounting/LedgerTypes.h"
#include "runtime/launchers/CommandLine.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace greenpulse::app::slurmcmd {

namespace {

bool isSlurmJobId(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^[0-9]+([_+][0-9]+)?$"));
    return shape.match(text).hasMatch();
}

} // namespace

QStringList sbatchArguments(const LaunchRequest &request, QString *error)
{
    QStringList args{QStringLiteral("--parsable")};
    if (!request.name.isEmpty()) {
        args << QStringLiteral("--job-name=") + request.name;
    }
    if (!request.partition.trimmed().isEmpty()) {
        args << QStringLiteral("--partition=") + request.partition.trimmed();
    }
    if (request.gpus > 0) {
        args << QStringLiteral("--gres=gpu:%1").arg(request.gpus);
    }
    const auto extra = splitCommandLine(request.sbatchArgs, error);
    if (!extra) {
        return {};
    }
    args << *extra;
    if (!request.script.trimmed().isEmpty()) {
        args << request.script.trimmed();
    } else if (!request.command.trimmed().isEmpty()) {
        args << QStringLiteral("--wrap=") + request.command.trimmed();
    } else {
        if (error) {
            *error = QCoreApplication::translate(
                "SlurmLauncher", "Choose a batch script or type a command for --wrap.");
        }
        return {};
    }
    return args;
}

std::optional<Submitted> parseSbatch(const QByteArray &out)
{
    const QString line = QString::fromUtf8(out).trimmed().section(QLatin1Char('\n'), -1);
    Submitted s;
    s.slurmJobId = line.section(QLatin1Char(';'), 0, 0).trimmed();
    s.cluster = line.section(QLatin1Char(';'), 1, 1).trimmed();
    if (!isSlurmJobId(s.slurmJobId)) {
        return std::nullopt;
    }
    return s;
}

QStringList squeueArguments(const QString &slurmJobId)
{
    return {QStringLiteral("--noheader"), QStringLiteral("--states=all"),
            QStringLiteral("--jobs=") + slurmJobId,
            QStringLiteral("--Format=JobID:40,State:24,Cluster:64")};
}

QList<QueueRow> parseSqueue(const QByteArray &out)
{
    QList<QueueRow> rows;
    for (const QString &line : QString::fromUtf8(out).split(QLatin1Char('\n'))) {
        const QStringList fields = line.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (fields.size() < 2 || !isSlurmJobId(fields[0])) {
            continue;
        }
        rows.append({fields[0], fields[1], fields.value(2)});
    }
    return rows;
}

std::optional<LaunchState> stateOf(const QString &slurmState)
{
    const QString s = slurmState.toUpper().section(QLatin1Char(' '), 0, 0);
    if (s == QLatin1String("PENDING") || s == QLatin1String("CONFIGURING") ||
        s == QLatin1String("REQUEUED") || s == QLatin1String("SUSPENDED") ||
        s == QLatin1String("RESV_DEL_HOLD") || s == QLatin1String("REQUEUE_HOLD")) {
        return LaunchState::Pending;
    }
    if (s == QLatin1String("RUNNING") || s == QLatin1String("COMPLETING") ||
        s == QLatin1String("STAGE_OUT") || s == QLatin1String("SIGNALING")) {
        return LaunchState::Running;
    }
    if (s == QLatin1String("COMPLETED")) {
        return LaunchState::Ended;
    }
    if (s == QLatin1String("CANCELLED")) {
        return LaunchState::Cancelled;
    }
    if (s == QLatin1String("FAILED") || s == QLatin1String("TIMEOUT") ||
        s == QLatin1String("NODE_FAIL") || s == QLatin1String("OUT_OF_MEMORY") ||
        s == QLatin1String("BOOT_FAIL") || s == QLatin1String("DEADLINE") ||
        s == QLatin1String("PREEMPTED") || s == QLatin1String("REVOKED")) {
        return LaunchState::Failed;
    }
    return std::nullopt;
}

LaunchState endStateOf(const core::JobSummary &job)
{
    if (job.exitState == QLatin1String("completed")) {
        return LaunchState::Ended;
    }
    if (job.exitState == QLatin1String("cancelled")) {
        return LaunchState::Cancelled;
    }
    if (!job.exitState.isEmpty()) {
        return LaunchState::Failed;
    }
    return job.exitCode.value_or(0) == 0 ? LaunchState::Ended : LaunchState::Failed;
}

} // namespace greenpulse::app::slurmcmd
