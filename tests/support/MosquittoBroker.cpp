#include "MosquittoBroker.h"

#include <QFile>
#include <QThread>
#include <QUrl>

#include <unistd.h>

namespace greenpulse::test {

MosquittoBroker::MosquittoBroker() : MosquittoBroker(Config{}) {}

MosquittoBroker::MosquittoBroker(Config config) : m_config(std::move(config)) {}

MosquittoBroker::~MosquittoBroker()
{
    stop();
}

QString MosquittoBroker::url() const
{
    return QStringLiteral("tcp://127.0.0.1:%1").arg(m_port);
}

QString MosquittoBroker::tlsUrl() const
{
    return QStringLiteral("ssl://127.0.0.1:%1").arg(m_tlsPort);
}

QString MosquittoBroker::caFile() const
{
    return m_dir.filePath(QStringLiteral("ca.crt"));
}

QByteArray MosquittoBroker::log()
{
    return m_child.readStderr();
}

bool MosquittoBroker::makeCertificates()
{
    const QString d = m_dir.path();
    auto ok = [this](const ProcessResult &r, const char *what) {
        if (r.exitCode != 0) {
            m_error = QStringLiteral("%1 failed: %2").arg(QLatin1String(what), QString::fromUtf8(r.err));
            return false;
        }
        return true;
    };
    const QString openssl = findExecutable(QStringLiteral("openssl"));
    if (!ok(run(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                          QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                          QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=GreenPulse Test CA"),
                          QStringLiteral("-keyout"), d + QStringLiteral("/ca.key"), QStringLiteral("-out"),
                          d + QStringLiteral("/ca.crt")}),
            "openssl req (CA)")) {
        return false;
    }
    if (!ok(run(openssl, {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                          QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                          QStringLiteral("-keyout"), d + QStringLiteral("/server.key"),
                          QStringLiteral("-out"), d + QStringLiteral("/server.csr")}),
            "openssl req (server)")) {
        return false;
    }
    QFile ext(d + QStringLiteral("/ext.cnf"));
    ext.open(QIODevice::WriteOnly);
    ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    ext.close();
    return ok(run(openssl, {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                            d + QStringLiteral("/server.csr"), QStringLiteral("-CA"), d + QStringLiteral("/ca.crt"),
                            QStringLiteral("-CAkey"), d + QStringLiteral("/ca.key"),
                            QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("2"),
                            QStringLiteral("-extfile"), d + QStringLiteral("/ext.cnf"),
                            QStringLiteral("-out"), d + QStringLiteral("/server.crt")}),
              "openssl x509 (sign)");
}

bool MosquittoBroker::writeConfig()
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
        conf += "persistence true\npersistence_location " + m_dir.path().toUtf8() + "/\n";
    } else {
        conf += "persistence false\n";
    }
    if (m_config.maxQueuedMessages > 0) {
        conf += "max_queued_messages " + QByteArray::number(m_config.maxQueuedMessages) + "\n";
    }
    if (!m_config.username.isEmpty()) {
        const QString pwfile = m_dir.filePath(QStringLiteral("passwd"));
        QFile::remove(pwfile);
        const ProcessResult r = run(findExecutable(QStringLiteral("mosquitto_passwd")),
                                    {QStringLiteral("-c"), QStringLiteral("-b"), pwfile,
                                     m_config.username, m_config.password});
        if (r.exitCode != 0) {
            m_error = QStringLiteral("mosquitto_passwd failed: ") + QString::fromUtf8(r.err);
            return false;
        }
        conf += "allow_anonymous false\npassword_file " + pwfile.toUtf8() + "\n";
    } else {
        conf += "allow_anonymous true\n";
    }
    conf += "listener " + QByteArray::number(m_port) + " 127.0.0.1\n";
    if (m_config.tls) {
        const QByteArray d = m_dir.path().toUtf8();
        conf += "listener " + QByteArray::number(m_tlsPort) + " 127.0.0.1\n";
        conf += "cafile " + d + "/ca.crt\ncertfile " + d + "/server.crt\nkeyfile " + d +
                "/server.key\n";
    }
    QFile file(m_dir.filePath(QStringLiteral("mosquitto.conf")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = QStringLiteral("cannot write mosquitto.conf");
        return false;
    }
    file.write(conf);
    return true;
}

bool MosquittoBroker::start()
{
    if (!m_dir.isValid()) {
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
        if (!m_child.start(exe, {QStringLiteral("-c"), m_dir.filePath(QStringLiteral("mosquitto.conf"))})) {
            m_error = QStringLiteral("cannot start mosquitto");
            return false;
        }
        if (waitForPort(m_port, 3000) && (!m_config.tls || waitForPort(m_tlsPort, 3000))) {
            return true;
        }
        m_child.kill(); // waits, so everything it wrote to stderr can be read
        m_error = QString::fromUtf8(m_child.readStderr());
        QThread::msleep(250);
    }
    return false;
}

void MosquittoBroker::stop()
{
    if (m_child.isRunning()) {
        m_child.terminate(5000);
    }
}

bool MosquittoSubscriber::start(const QString &brokerUrlOrPort, const QString &topic,
                                const QStringList &extraArgs)
{
    QString port = brokerUrlOrPort;
    if (brokerUrlOrPort.contains(QLatin1Char(':'))) {
        port = QString::number(QUrl(brokerUrlOrPort).port(1883));
    }
    QStringList args{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                     port,           QStringLiteral("-v"), QStringLiteral("-q"),
                     QStringLiteral("1"), QStringLiteral("-t"), topic};
    args << extraArgs;
    if (!m_child.start(findExecutable(QStringLiteral("mosquitto_sub")), args)) {
        return false;
    }
    QThread::msleep(300); // let the subscription reach the broker
    return m_child.isRunning();
}

QList<QPair<QByteArray, QByteArray>> MosquittoSubscriber::messages()
{
    if (QProcess *p = m_child.process()) {
        p->waitForReadyRead(0);
        m_buffer += p->readAllStandardOutput();
    }
    int newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        const int space = line.indexOf(' ');
        if (space > 0) {
            m_messages.append({line.left(space), line.mid(space + 1)});
        } else {
            m_messages.append({line, QByteArray()});
        }
    }
    return m_messages;
}

void MosquittoSubscriber::stop()
{
    messages();
    m_child.terminate(3000);
}

} // namespace greenpulse::test
