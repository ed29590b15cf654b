#include "MosquittoServer.h"

#include "ServerSupport.h"

#include <QFile>
#include <QProcess>
#include <QThread>
#include <unistd.h>

namespace greenpulse::servers {

MosquittoServer::MosquittoServer() : MosquittoServer(Config{}) {}

MosquittoServer::MosquittoServer(Config config)
    : m_config(std::move(config)), m_process(QStringLiteral("mosquitto.log"))
{}

MosquittoServer::~MosquittoServer()
{
    stop();
}

QString MosquittoServer::url() const
{
    return QStringLiteral("tcp://127.0.0.1:%1").arg(m_port);
}

QString MosquittoServer::tlsUrl() const
{
    return QStringLiteral("ssl://127.0.0.1:%1").arg(m_tlsPort);
}

QString MosquittoServer::caFile() const
{
    return m_process.filePath(QStringLiteral("ca.crt"));
}

bool MosquittoServer::runTool(const QString &program, const QStringList &args, const char *what)
{
    QProcess process;
    process.start(program, args);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed: %2")
                      .arg(QLatin1String(what), QString::fromUtf8(process.readAllStandardError()));
        process.kill();
        process.waitForFinished(5000);
        return false;
    }
    return true;
}

bool MosquittoServer::makeCertificates()
{
    const QString d = dir();
    const QString openssl = findExecutable(QStringLiteral("openssl"));
    const QStringList ca{QStringLiteral("req"),
                         QStringLiteral("-x509"),
                         QStringLiteral("-newkey"),
                         QStringLiteral("rsa:2048"),
                         QStringLiteral("-nodes"),
                         QStringLiteral("-days"),
                         QStringLiteral("2"),
                         QStringLiteral("-subj"),
                         QStringLiteral("/CN=GreenPulse Test CA"),
                         QStringLiteral("-keyout"),
                         d + QStringLiteral("/ca.key"),
                         QStringLiteral("-out"),
                         d + QStringLiteral("/ca.crt")};
    const QStringList server{QStringLiteral("req"),      QStringLiteral("-newkey"),
                             QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                             QStringLiteral("-subj"),    QStringLiteral("/CN=127.0.0.1"),
                             QStringLiteral("-keyout"),  d + QStringLiteral("/server.key"),
                             QStringLiteral("-out"),     d + QStringLiteral("/server.csr")};
    const QStringList sign{QStringLiteral("x509"),
                           QStringLiteral("-req"),
                           QStringLiteral("-in"),
                           d + QStringLiteral("/server.csr"),
                           QStringLiteral("-CA"),
                           d + QStringLiteral("/ca.crt"),
                           QStringLiteral("-CAkey"),
                           d + QStringLiteral("/ca.key"),
                           QStringLiteral("-CAcreateserial"),
                           QStringLiteral("-days"),
                           QStringLiteral("2"),
                           QStringLiteral("-extfile"),
                           d + QStringLiteral("/ext.cnf"),
                           QStringLiteral("-out"),
                           d + QStringLiteral("/server.crt")};
    if (!runTool(openssl, ca, "openssl req (CA)") ||
        !runTool(openssl, server, "openssl req (server)")) {
        return false;
    }
    QFile ext(d + QStringLiteral("/ext.cnf"));
    ext.open(QIODevice::WriteOnly);
    ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    ext.close();
    return runTool(openssl, sign, "openssl x509 (sign)");
}

bool MosquittoServer::writeConfig()
{
    if (m_port == 0) {
        m_port = freePort();
        if (m_config.tls) {
            m_tlsPort = freePort();
            if (!makeCertificates()) {
                return false;
            }
        }
    }
    const QByteArray d = dir().toUtf8();
    QByteArray conf;
    conf += "per_listener_settings false\n";
    conf += "log_dest stderr\n";
    conf += "log_type error\nlog_type warning\nlog_type notice\n";
    if (::geteuid() == 0) {
        // As root, mosquitto drops to the "mosquitto" user, which cannot read our private
        // temporary folder (password file, certificates, persistence): stay as root.
        conf += "user root\n";
    }
    if (m_config.persistence) {
        conf += "persistence true\npersistence_location " + d + "/\n";
    } else {
        conf += "persistence false\n";
    }
    if (m_config.maxQueuedMessages > 0) {
        conf += "max_queued_messages " + QByteArray::number(m_config.maxQueuedMessages) + "\n";
    }
    QList<QPair<QString, QString>> accounts = m_config.accounts;
    if (!m_config.username.isEmpty()) {
        accounts.prepend({m_config.username, m_config.password});
    }
    if (!accounts.isEmpty()) {
        const QString pwfile = m_process.filePath(QStringLiteral("passwd"));
        QFile::remove(pwfile);
        for (const auto &[name, password] : std::as_const(accounts)) {
            QStringList args{QStringLiteral("-b"), pwfile, name, password};
            if (!QFile::exists(pwfile)) {
                args.prepend(QStringLiteral("-c"));
            }
            if (!runTool(findExecutable(QStringLiteral("mosquitto_passwd")), args,
                         "mosquitto_passwd")) {
                return false;
            }
        }
        conf += "allow_anonymous false\npassword_file " + pwfile.toUtf8() + "\n";
    } else {
        conf += "allow_anonymous true\n";
    }
    if (!m_config.acl.isEmpty()) {
        const QString aclFile = m_process.filePath(QStringLiteral("acl.conf"));
        QFile acl(aclFile);
        if (!acl.open(QIODevice::WriteOnly | QIODevice::Truncate) || acl.write(m_config.acl) < 0) {
            m_error = QStringLiteral("cannot write acl.conf");
            return false;
        }
        conf += "acl_file " + aclFile.toUtf8() + "\n";
    }
    conf += m_config.extraConfig;
    conf += "listener " + QByteArray::number(m_port) + " 127.0.0.1\n";
    if (m_config.tls) {
        conf += "listener " + QByteArray::number(m_tlsPort) + " 127.0.0.1\n";
        conf += "cafile " + d + "/ca.crt\ncertfile " + d + "/server.crt\nkeyfile " + d +
                "/server.key\n";
    }
    QFile file(m_process.filePath(QStringLiteral("mosquitto.conf")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(conf) < 0) {
        m_error = QStringLiteral("cannot write mosquitto.conf");
        return false;
    }
    return true;
}

bool MosquittoServer::start()
{
    if (!m_process.hasDir()) {
        m_error = QStringLiteral("no temporary folder");
        return false;
    }
    if (!writeConfig()) {
        return false;
    }
    const QString exe = findExecutable(QStringLiteral("mosquitto"));
    if (exe.isEmpty()) {
        m_error = QStringLiteral("mosquitto is not installed");
        return false;
    }
    // The port may be briefly in TIME_WAIT after a restart: retry a few times.
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (!m_process.start(exe, {QStringLiteral("-c"),
                                   m_process.filePath(QStringLiteral("mosquitto.conf"))})) {
            m_error = QStringLiteral("cannot start mosquitto");
            return false;
        }
        if (waitForPort(m_port, 3000) && (!m_config.tls || waitForPort(m_tlsPort, 3000))) {
            return true;
        }
        m_process.kill(); // waits, so everything it wrote is in the log
        m_error = QString::fromUtf8(m_process.log());
        QThread::msleep(250);
    }
    return false;
}

void MosquittoServer::stop()
{
    m_process.stop(5000);
}

} // namespace greenpulse::servers
