#include "SlurmCluster.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <unistd.h>

namespace greenpulse::test {

namespace {

const char *const kPrograms[] = {"munged",  "slurmctld", "slurmd", "sbatch",
                                 "scancel", "scontrol",  "sinfo"};

bool writeText(const QString &path, const QByteArray &text, QFile::Permissions permissions)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(text) == text.size() && file.setPermissions(permissions);
}

} // namespace

SlurmCluster::~SlurmCluster()
{
    stop();
}

QString SlurmCluster::unavailableReason()
{
    for (const char *program : kPrograms) {
        if (findExecutable(QLatin1String(program)).isEmpty()) {
            return QStringLiteral("%1 is not installed (Debian: slurmctld slurmd slurm-client "
                                  "munge; scripts/install-deps.sh)")
                .arg(QLatin1String(program));
        }
    }
    if (::geteuid() != 0) {
        return QStringLiteral("slurmd must run as root to start jobs; these tests run as uid %1")
            .arg(::geteuid());
    }
    return QString();
}

QString SlurmCluster::writeHook(const QString &dir, const QString &command,
                                const QString &brokerUrl)
{
    const QString path = dir + QLatin1Char('/') + command + QStringLiteral(".sh");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return QString();
    }
    file.write(
        QStringLiteral(
            "#!/bin/sh\nenv | grep ^SLURM >\"%4/%2-$SLURM_JOB_ID.env\"\nexec '%1' %2 --config "
            "/dev/null --broker %3 "
            "--slurm-spool '%4/gp-spool' --timeout-s 2 --scontrol '%5' "
            "2>>'%4/hooks.log'\n")
            .arg(binary(QStringLiteral("greenpulse-job")), command, brokerUrl, dir,
                 findExecutable(QStringLiteral("scontrol")))
            .toUtf8());
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

QStringList SlurmCluster::clientEnv() const
{
    return {QStringLiteral("SLURM_CONF=") + m_dir.filePath(QStringLiteral("slurm.conf"))};
}

bool SlurmCluster::writeFiles()
{
    QDir root(m_dir.path());
    for (const char *sub : {"munge", "state", "spool", "log"}) {
        root.mkpath(QLatin1String(sub));
    }
    // munged: a random key readable by its owner only, in a folder others may traverse (the
    // socket must be reachable by the clients).
    QByteArray key(1024, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), key.size() / 4);
    if (!writeText(root.filePath(QStringLiteral("munge/munge.key")), key, QFile::ReadOwner) ||
        !QFile::setPermissions(root.filePath(QStringLiteral("munge")),
                               QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                   QFile::ExeGroup | QFile::ExeOther)) {
        m_error = QStringLiteral("cannot write the munge key");
        return false;
    }
    const quint16 ctldPort = freePort();
    quint16 slurmdPort = freePort();
    while (slurmdPort == ctldPort) {
        slurmdPort = freePort();
    }
    QByteArray gres;
    if (m_config.gpus > 0) {
        QByteArray files;
        for (int i = 0; i < m_config.gpus; ++i) {
            const QString path = root.filePath(QStringLiteral("dev/gpu%1").arg(i));
            root.mkpath(QStringLiteral("dev"));
            writeText(path, QByteArray(), QFile::ReadOwner | QFile::WriteOwner);
        }
        files = root.filePath(QStringLiteral("dev/gpu[0-%1]").arg(m_config.gpus - 1)).toUtf8();
        gres = " Gres=gpu:" + QByteArray::number(m_config.gpus);
        if (!writeText(root.filePath(QStringLiteral("gres.conf")),
                       "AutoDetect=off\nNodeName=" + m_config.nodeName.toUtf8() +
                           " Name=gpu File=" + files + "\n",
                       QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther)) {
            m_error = QStringLiteral("cannot write gres.conf");
            return false;
        }
    }
    const QByteArray d = m_dir.path().toUtf8();
    QByteArray conf = "ClusterName=" + m_config.clusterName.toUtf8() +
                      "\n"
                      "SlurmctldHost=localhost(127.0.0.1)\n"
                      "SlurmctldPort=" +
                      QByteArray::number(ctldPort) +
                      "\nSlurmdPort=" + QByteArray::number(slurmdPort) +
                      "\n"
                      "SlurmUser=root\nSlurmdUser=root\n"
                      "AuthType=auth/munge\nCredType=cred/munge\n"
                      "AuthInfo=socket=" +
                      d +
                      "/munge/munge.socket\n"
                      "StateSaveLocation=" +
                      d + "/state\nSlurmdSpoolDir=" + d +
                      "/spool\n"
                      "SlurmctldPidFile=" +
                      d + "/slurmctld.pid\nSlurmdPidFile=" + d +
                      "/slurmd.pid\n"
                      "SlurmctldLogFile=" +
                      d + "/log/slurmctld.log\nSlurmdLogFile=" + d +
                      "/log/slurmd.log\n"
                      "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
                      "JobAcctGatherType=jobacct_gather/none\n"
                      "AccountingStorageType=accounting_storage/none\nJobCompType=jobcomp/none\n"
                      "SchedulerType=sched/builtin\nSelectType=select/cons_tres\n"
                      "SelectTypeParameters=CR_Core\nMpiDefault=none\nReturnToService=2\n"
                      "SlurmctldTimeout=30\nSlurmdTimeout=30\nInactiveLimit=0\nMinJobAge=300\n"
                      "KillWait=2\nPrologFlags=Alloc\n";
    if (m_config.gpus > 0) {
        conf += "GresTypes=gpu\n";
    }
    if (!m_config.prolog.isEmpty()) {
        conf += "Prolog=" + m_config.prolog.toUtf8() + "\n";
    }
    if (!m_config.epilog.isEmpty()) {
        conf += "Epilog=" + m_config.epilog.toUtf8() + "\n";
    }
    conf += "NodeName=" + m_config.nodeName.toUtf8() +
            " NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=500" + gres +
            " State=UNKNOWN\n"
            "PartitionName=debug Nodes=" +
            m_config.nodeName.toUtf8() + " Default=YES MaxTime=INFINITE State=UP\n";
    if (!writeText(root.filePath(QStringLiteral("slurm.conf")), conf,
                   QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther)) {
        m_error = QStringLiteral("cannot write slurm.conf");
        return false;
    }
    return true;
}

bool SlurmCluster::start(const Config &config)
{
    m_config = config;
    if (!m_dir.isValid() || !writeFiles()) {
        return false;
    }
    const QString d = m_dir.path();
    const QString conf = d + QStringLiteral("/slurm.conf");
    if (!m_munged.start(
            findExecutable(QStringLiteral("munged")),
            {QStringLiteral("--foreground"), QStringLiteral("--force"),
             QStringLiteral("--socket=") + d + QStringLiteral("/munge/munge.socket"),
             QStringLiteral("--key-file=") + d + QStringLiteral("/munge/munge.key"),
             QStringLiteral("--log-file=") + d + QStringLiteral("/log/munged.log"),
             QStringLiteral("--pid-file=") + d + QStringLiteral("/munge/munged.pid"),
             QStringLiteral("--seed-file=") + d + QStringLiteral("/munge/munged.seed")}) ||
        !waitUntil([&] { return QFile::exists(d + QStringLiteral("/munge/munge.socket")); },
                   10000)) {
        m_error =
            QStringLiteral("munged did not start: ") + QString::fromUtf8(m_munged.readStderr());
        return false;
    }
    if (!m_slurmctld.start(findExecutable(QStringLiteral("slurmctld")),
                           {QStringLiteral("-D"), QStringLiteral("-i"), QStringLiteral("-f"), conf},
                           clientEnv())) {
        m_error = QStringLiteral("slurmctld did not start");
        return false;
    }
    spin(500);
    if (!m_slurmd.start(findExecutable(QStringLiteral("slurmd")),
                        {QStringLiteral("-D"), QStringLiteral("-f"), conf, QStringLiteral("-N"),
                         m_config.nodeName},
                        clientEnv())) {
        m_error = QStringLiteral("slurmd did not start");
        return false;
    }
    if (!waitUntil([&] { return nodeState() == QLatin1String("idle"); }, 30000)) {
        m_error = QStringLiteral("the node did not become idle (%1)\n%2").arg(nodeState(), logs());
        return false;
    }
    return true;
}

void SlurmCluster::stop()
{
    m_slurmd.terminate(10000);
    m_slurmctld.terminate(10000);
    m_munged.terminate(5000);
}

ProcessResult SlurmCluster::command(const QString &program, const QStringList &args, int timeoutMs)
{
    return run(findExecutable(program), args, timeoutMs, clientEnv());
}

QString SlurmCluster::sbatch(const QStringList &args)
{
    const ProcessResult r =
        command(QStringLiteral("sbatch"),
                QStringList{QStringLiteral("--parsable"), QStringLiteral("--chdir=") + m_dir.path(),
                            QStringLiteral("--output=/dev/null")} +
                    args);
    const QString id = QString::fromUtf8(r.out).trimmed().section(QLatin1Char(';'), 0, 0);
    if (r.exitCode != 0 || id.isEmpty()) {
        m_error = QStringLiteral("sbatch failed: ") + QString::fromUtf8(r.err);
        return QString();
    }
    return id;
}

bool SlurmCluster::scancel(const QString &jobId)
{
    return command(QStringLiteral("scancel"), {jobId}).exitCode == 0;
}

QString SlurmCluster::jobState(const QString &jobId)
{
    const ProcessResult r =
        command(QStringLiteral("scontrol"),
                {QStringLiteral("show"), QStringLiteral("job"), QStringLiteral("-o"), jobId});
    for (const QString &field : QString::fromUtf8(r.out).split(QLatin1Char(' '))) {
        if (field.startsWith(QLatin1String("JobState="))) {
            return field.mid(9);
        }
    }
    return QString();
}

bool SlurmCluster::waitUntilDone(const QString &jobId, int timeoutMs)
{
    return waitUntil(
        [&] {
            const QString state = jobState(jobId);
            return state != QLatin1String("PENDING") && state != QLatin1String("RUNNING") &&
                   state != QLatin1String("COMPLETING") && state != QLatin1String("CONFIGURING");
        },
        timeoutMs);
}

QString SlurmCluster::nodeState()
{
    const ProcessResult r = command(
        QStringLiteral("sinfo"),
        {QStringLiteral("-h"), QStringLiteral("-N"), QStringLiteral("-o"), QStringLiteral("%T")},
        10000);
    return QString::fromUtf8(r.out).trimmed();
}

QString SlurmCluster::logs() const
{
    QString out;
    for (const char *name : {"slurmctld.log", "slurmd.log"}) {
        QFile file(m_dir.filePath(QStringLiteral("log/") + QLatin1String(name)));
        if (file.open(QIODevice::ReadOnly)) {
            const QByteArray text = file.readAll();
            out += QStringLiteral("--- %1 (tail)\n").arg(QLatin1String(name)) +
                   QString::fromUtf8(text.right(3000));
        }
    }
    return out;
}

} // namespace greenpulse::test
