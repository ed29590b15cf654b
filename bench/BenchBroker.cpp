#include "BenchBroker.h"

#include "Sys.h"

#include <QFile>
#include <unistd.h>

namespace greenpulse::bench {

BenchBroker::BenchBroker() = default;

BenchBroker::~BenchBroker()
{
    stop();
}

QString BenchBroker::url() const
{
    return QStringLiteral("tcp://127.0.0.1:%1").arg(m_port);
}

bool BenchBroker::start(QString *error)
{
    const QString exe = sys::findProgram(QStringLiteral("mosquitto"));
    if (exe.isEmpty() || !m_dir.isValid()) {
        *error = QStringLiteral("mosquitto not found (or no temporary folder)");
        return false;
    }
    m_port = sys::freePort();
    QByteArray conf = "per_listener_settings false\n"
                      "persistence false\n"
                      "allow_anonymous true\n"
                      "max_queued_messages 100000000\n"
                      "max_queued_bytes 0\n"
                      "log_dest stderr\n"
                      "log_type error\nlog_type warning\nlog_type notice\n";
    if (::geteuid() == 0) {
        conf += "user root\n"; // else it drops to "mosquitto", which cannot read our folder
    }
    conf += "listener " + QByteArray::number(m_port) + " 127.0.0.1\n";
    QFile file(m_dir.filePath(QStringLiteral("mosquitto.conf")));
    if (!file.open(QIODevice::WriteOnly) || file.write(conf) < 0) {
        *error = QStringLiteral("cannot write mosquitto.conf");
        return false;
    }
    file.close();
    m_process.setStandardErrorFile(m_dir.filePath(QStringLiteral("mosquitto.log")));
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.start(exe, {QStringLiteral("-c"), file.fileName()});
    if (!m_process.waitForStarted(5000) || !sys::waitForPort(m_port, 5000)) {
        *error = QStringLiteral("mosquitto did not start on port %1").arg(m_port);
        return false;
    }
    return true;
}

void BenchBroker::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
}

int BenchBroker::dropWarnings() const
{
    QFile file(m_dir.filePath(QStringLiteral("mosquitto.log")));
    if (!file.open(QIODevice::ReadOnly)) {
        return 0;
    }
    int count = 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QByteArray lower = line.toLower();
        if (lower.contains("dropp") || lower.contains("out of memory")) {
            ++count;
        }
    }
    return count;
}

} // namespace greenpulse::bench
