#include "SlurmHook.h"

#include "SimulatorSupport.h"
#include "base/Clock.h"
#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "control/JobPublisher.h"
#include "mqtt/MqttClient.h"

#include <QDir>
#include <QLockFile>
#include <QProcess>
#include <QTextStream>
#include <memory>

namespace greenpulse::sim {

namespace {
void logLine(const QString &program, const QString &text)
{
    QTextStream(stderr) << program << ": " << text << Qt::endl;
}
} // namespace

SlurmHook::SlurmHook(core::MqttClient &client, core::JobPublisher &publisher, Settings settings,
                     QObject *parent)
    : QObject(parent), m_client(client), m_publisher(publisher), m_settings(std::move(settings)),
      m_spool(m_settings.spoolDir)
{}

void SlurmHook::finishSoon()
{
    // From the event loop: run() is called before QCoreApplication::exec() starts it.
    QMetaObject::invokeMethod(
        this, [this] { emit finished(0); }, Qt::QueuedConnection);
}

void SlurmHook::run(Kind kind, const QProcessEnvironment &env)
{
    m_program = kind == Kind::Prolog ? QStringLiteral("greenpulse-job slurm-prolog")
                                     : QStringLiteral("greenpulse-job slurm-epilog");
    QString error;
    std::optional<SlurmJob> job = SlurmJob::fromEnvironment(env, &error);
    if (!job) {
        logLine(m_program, error + QStringLiteral("; nothing sent"));
        finishSoon();
        return;
    }
    if (!m_settings.host.isEmpty()) {
        job->node = m_settings.host;
    }
    if (job->node.isEmpty()) {
        // PrologSlurmctld/EpilogSlurmctld run on the controller with no node of their own: a
        // start without a host would mean "every host" (docs/slurm.md).
        logLine(m_program, QStringLiteral("SLURMD_NODENAME is not set and --host names no node "
                                          "(run it as slurmd's Prolog/Epilog, not "
                                          "PrologSlurmctld); nothing sent for job %1")
                               .arg(job->slurmId));
        finishSoon();
        return;
    }
    if (kind == Kind::Epilog || job->name.isEmpty()) {
        askScontrol(&*job);
    }
    const core::TimeNs now = core::SystemClock().nowNs();
    const core::ControlMessage message =
        kind == Kind::Prolog ? job->startMessage(now) : job->endMessage(now);
    // A job on several nodes: each node's start and end name its host; the retained job state has
    // one slot per job, so these leave it alone (docs/slurm.md).
    send(message, job->numNodes <= 1);
}

void SlurmHook::askScontrol(SlurmJob *job) const
{
    if (m_settings.scontrol.isEmpty()) {
        return;
    }
    QProcess scontrol;
    scontrol.start(m_settings.scontrol, {QStringLiteral("show"), QStringLiteral("job"),
                                         QStringLiteral("-d"), QStringLiteral("-o"), job->slurmId});
    if (!scontrol.waitForFinished(kScontrolTimeoutMs) || scontrol.exitCode() != 0 ||
        !job->takeScontrol(QString::fromUtf8(scontrol.readAllStandardOutput()))) {
        scontrol.kill();
        scontrol.waitForFinished(1000);
        logLine(m_program,
                QStringLiteral("%1 show job %2 gave no answer (%3); going on without the job's "
                               "name and final state")
                    .arg(m_settings.scontrol, job->slurmId,
                         scontrol.error() == QProcess::UnknownError
                             ? QString::fromUtf8(scontrol.readAllStandardError())
                                   .trimmed()
                                   .section(QLatin1Char('\n'), -1)
                             : scontrol.errorString()));
    }
}

void SlurmHook::send(const core::ControlMessage &message, bool keepState)
{
    const QString what =
        QStringLiteral("the %1 of job %2 on %3")
            .arg(message.status == core::JobStatus::Start ? QStringLiteral("start")
                                                          : QStringLiteral("end"),
                 message.jobId,
                 message.host.isEmpty() ? QStringLiteral("every host") : message.host);
    // One run sends the spool at a time; a run that finds it busy leaves its message there.
    QDir().mkpath(m_settings.spoolDir);
    auto lock =
        std::make_shared<QLockFile>(QDir(m_settings.spoolDir).filePath(QStringLiteral(".lock")));
    if (!lock->tryLock(m_settings.waitMs / 2)) {
        QString error;
        if (m_spool.add(message, keepState, &error)) {
            logLine(m_program, QStringLiteral("another run is sending; %1 waits in %2")
                                   .arg(what, m_settings.spoolDir));
        } else {
            logLine(m_program, QStringLiteral("%1 is lost: %2").arg(what, error));
        }
        finishSoon();
        return;
    }
    const std::vector<ControlSpool::Entry> pending = m_spool.pending();
    m_client.connectToBroker();
    for (const ControlSpool::Entry &entry : pending) {
        m_publisher.publish(entry.message, entry.keepState);
    }
    m_publisher.publish(message, keepState);
    whenIdle(m_client, m_settings.waitMs, this,
             [this, lock, pending, message, keepState, what](bool acknowledged) {
                 if (acknowledged) {
                     for (const ControlSpool::Entry &entry : pending) {
                         m_spool.remove(entry);
                     }
                     if (!pending.empty()) {
                         logLine(m_program,
                                 QStringLiteral("sent %1 message(s) kept in %2 by earlier runs")
                                     .arg(pending.size())
                                     .arg(m_settings.spoolDir));
                     }
                     qCInfo(lcSim).noquote() << "sent" << what;
                     finishSoon();
                     return;
                 }
                 QString error;
                 const bool kept = m_spool.add(message, keepState, &error);
                 const QString why = m_client.lastError().isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (%1)").arg(m_client.lastError());
                 logLine(m_program,
                         QStringLiteral("the broker at %1 did not acknowledge %2 within %3 s%4; "
                                        "%5")
                             .arg(core::redactUrl(m_settings.brokerUrl), what)
                             .arg(m_settings.waitMs / 1000.0)
                             .arg(why, kept ? QStringLiteral("kept in %1, sent by a later run")
                                                  .arg(m_settings.spoolDir)
                                            : QStringLiteral("and it is lost: ") + error));
                 finishSoon();
             });
}

} // namespace greenpulse::sim
