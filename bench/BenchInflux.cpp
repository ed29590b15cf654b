#include "BenchInflux.h"

#include "Sys.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace greenpulse::bench {

BenchInflux::BenchInflux() = default;

BenchInflux::~BenchInflux()
{
    stop();
}

QString BenchInflux::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

bool BenchInflux::start(QString *error)
{
    const QString exe = sys::findProgram(QStringLiteral("influxd"));
    if (exe.isEmpty() || !m_dir.isValid()) {
        *error = QStringLiteral("influxd not found (or no temporary folder)");
        return false;
    }
    m_port = sys::freePort();
    quint16 rpcPort = sys::freePort();
    while (rpcPort == m_port) {
        rpcPort = sys::freePort();
    }
    const QString dir = m_dir.path();
    const QString config =
        QStringLiteral("reporting-disabled = true\n"
                       "bind-address = \"127.0.0.1:%1\"\n"
                       "[meta]\n  dir = \"%3/meta\"\n  logging-enabled = false\n"
                       "[data]\n  dir = \"%3/data\"\n  wal-dir = \"%3/wal\"\n"
                       "  query-log-enabled = false\n  wal-fsync-delay = \"0s\"\n"
                       "[monitor]\n  store-enabled = false\n"
                       "[http]\n  enabled = true\n  bind-address = \"127.0.0.1:%2\"\n"
                       "  auth-enabled = false\n  log-enabled = false\n"
                       "[logging]\n  level = \"warn\"\n  suppress-logo = true\n")
            .arg(rpcPort)
            .arg(m_port)
            .arg(dir);
    QFile file(dir + QStringLiteral("/influxdb.conf"));
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0) {
        *error = QStringLiteral("cannot write influxdb.conf");
        return false;
    }
    file.close();
    m_process.setStandardOutputFile(dir + QStringLiteral("/influxd.log"));
    m_process.setStandardErrorFile(dir + QStringLiteral("/influxd.log"), QIODevice::Append);
    m_process.start(exe, {QStringLiteral("-config"), file.fileName()});
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("influxd did not start");
        return false;
    }
    const bool up = sys::waitUntil(
        [this] {
            return m_process.state() != QProcess::Running ||
                   sys::http("GET", url() + QStringLiteral("/ping"), {}, nullptr, 1000) == 204;
        },
        30000);
    if (!up || m_process.state() != QProcess::Running) {
        *error = QStringLiteral("influxd did not answer /ping");
        return false;
    }
    return true;
}

void BenchInflux::stop()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
}

bool BenchInflux::createDatabase(const QString &name)
{
    const QByteArray form =
        "q=" + QUrl::toPercentEncoding(QStringLiteral("CREATE DATABASE \"%1\"").arg(name));
    return sys::http("POST", url() + QStringLiteral("/query"), form) == 200;
}

qint64 BenchInflux::countPoints(const QString &db, const QString &measurement, const QString &field)
{
    const QByteArray form =
        "q=" + QUrl::toPercentEncoding(
                   QStringLiteral("SELECT count(\"%1\") FROM \"%2\"").arg(field, measurement));
    QByteArray answer;
    if (sys::http("POST", url() + QStringLiteral("/query?db=") + db, form, &answer) != 200) {
        return -1;
    }
    const QJsonArray values = QJsonDocument::fromJson(answer)
                                  .object()[QLatin1String("results")][0][QLatin1String("series")][0]
                                           [QLatin1String("values")]
                                  .toArray();
    if (values.isEmpty()) {
        return 0;
    }
    return static_cast<qint64>(values.at(0).toArray().at(1).toDouble());
}

} // namespace greenpulse::bench
