#include "ProcessorChild.h"

#include "Sys.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QProcessEnvironment>

namespace greenpulse::bench {

ProcessorChild::~ProcessorChild()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool ProcessorChild::start(const QString &brokerUrl, const QString &influxUrl, QString *error)
{
    const QString exe = sys::findProgram(QStringLiteral("greenpulse-processor"));
    if (exe.isEmpty() || !m_dir.isValid()) {
        *error = QStringLiteral("greenpulse-processor not found");
        return false;
    }
    const QString config = m_dir.filePath(QStringLiteral("empty.conf"));
    QFile(config).open(QIODevice::WriteOnly);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_dir.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("greenpulse.*.info=true"));
    m_process.setProcessEnvironment(env);
    m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("out.json")));
    QStringList args{QStringLiteral("--config"),
                     config,
                     QStringLiteral("--broker"),
                     brokerUrl,
                     QStringLiteral("--client-id"),
                     QStringLiteral("bench-processor-%1-%2")
                         .arg(QCoreApplication::applicationPid())
                         .arg(reinterpret_cast<quintptr>(this)),
                     QStringLiteral("--state-file"),
                     m_dir.filePath(QStringLiteral("state.json")),
                     QStringLiteral("--spool-dir"),
                     m_dir.filePath(QStringLiteral("spool")),
                     QStringLiteral("--counters-interval-s"),
                     QStringLiteral("1"),
                     // 10,000 hosts appear at once: a site that size lifts the new-id bounds.
                     QStringLiteral("--max-new-ids-per-minute"),
                     QStringLiteral("0"),
                     QStringLiteral("--max-hosts"),
                     QStringLiteral("0")};
    if (!influxUrl.isEmpty()) {
        args << QStringLiteral("--influx-url") << influxUrl;
    }
    m_process.start(exe, args);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("greenpulse-processor did not start");
        return false;
    }
    const bool connected = sys::waitUntil(
        [this] {
            m_err += m_process.readAllStandardError();
            return m_err.contains("MQTT connected") || m_process.state() != QProcess::Running;
        },
        10000);
    if (!connected || m_process.state() != QProcess::Running) {
        *error = QStringLiteral("greenpulse-processor did not connect: ") +
                 QString::fromUtf8(m_err.right(2000));
        return false;
    }
    sys::spin(300); // its subscription reaches the broker
    return true;
}

qint64 ProcessorChild::accepted()
{
    m_err += m_process.readAllStandardError();
    const qsizetype at = m_err.lastIndexOf("\"accepted\":");
    if (at < 0) {
        return -1;
    }
    const qsizetype from = at + 11;
    qsizetype to = from;
    while (to < m_err.size() && m_err.at(to) >= '0' && m_err.at(to) <= '9') {
        ++to;
    }
    if (m_err.size() > (1 << 20)) {
        m_err = m_err.right(4096);
    }
    return m_err.mid(from, to - from).toLongLong();
}

QJsonObject ProcessorChild::stop()
{
    m_process.terminate();
    if (!m_process.waitForFinished(20000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return {};
    }
    QFile out(m_dir.filePath(QStringLiteral("out.json")));
    out.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(out.readAll()).object();
}

} // namespace greenpulse::bench
