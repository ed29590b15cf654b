#include "InfluxDbServer.h"

#include "ServerSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace greenpulse::servers {

InfluxDbServer::InfluxDbServer() : m_process(QStringLiteral("influxd.log")) {}

InfluxDbServer::~InfluxDbServer()
{
    stop();
}

QString InfluxDbServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

bool InfluxDbServer::start()
{
    if (!m_process.hasDir()) {
        m_error = QStringLiteral("no temporary folder");
        return false;
    }
    if (m_port == 0) {
        m_port = freePort();
        m_rpcPort = freePort();
        while (m_rpcPort == m_port) {
            m_rpcPort = freePort();
        }
    }
    const QString dir = m_process.dir();
    // Keys as printed by `influxd config` for 1.6.
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
            .arg(m_rpcPort)
            .arg(m_port)
            .arg(dir);
    QFile file(dir + QStringLiteral("/influxdb.conf"));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(config.toUtf8()) < 0) {
        m_error = QStringLiteral("cannot write influxdb.conf");
        return false;
    }
    file.close();
    const QString program = findExecutable(QStringLiteral("influxd"));
    if (program.isEmpty()) {
        m_error = QStringLiteral("influxd not found");
        return false;
    }
    if (!m_process.start(program, {QStringLiteral("-config"), file.fileName()})) {
        m_error = QStringLiteral("influxd did not start");
        return false;
    }
    const bool up = m_process.waitUntilReady(
        [this] {
            return httpRequest(QStringLiteral("GET"), url() + QStringLiteral("/ping"), {}, nullptr,
                               1000) == 204;
        },
        30000);
    if (!up) {
        m_error = QStringLiteral("influxd did not answer /ping: ") + QString::fromUtf8(log());
        return false;
    }
    return true;
}

void InfluxDbServer::stop()
{
    m_process.stop(15000);
}

QJsonObject InfluxDbServer::query(const QString &influxql, const QString &db, const QString &epoch)
{
    QUrlQuery q;
    if (!db.isEmpty()) {
        q.addQueryItem(QStringLiteral("db"), db);
    }
    if (!epoch.isEmpty()) {
        q.addQueryItem(QStringLiteral("epoch"), epoch);
    }
    QByteArray form = "q=" + QUrl::toPercentEncoding(influxql);
    QUrl u(url() + QStringLiteral("/query"));
    u.setQuery(q);
    QByteArray answer;
    if (httpRequest(QStringLiteral("POST"), u.toString(), form, &answer) != 200) {
        return {};
    }
    return QJsonDocument::fromJson(answer).object();
}

QList<QJsonObject> InfluxDbServer::rows(const QString &influxql, const QString &db,
                                        const QString &epoch)
{
    const QJsonObject answer = query(influxql, db, epoch);
    const QJsonObject series = answer.value(QStringLiteral("results"))
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(QStringLiteral("series"))
                                   .toArray()
                                   .at(0)
                                   .toObject();
    const QJsonArray columns = series.value(QStringLiteral("columns")).toArray();
    QList<QJsonObject> out;
    for (const QJsonValue &row : series.value(QStringLiteral("values")).toArray()) {
        QJsonObject obj;
        const QJsonArray values = row.toArray();
        for (qsizetype i = 0; i < columns.size() && i < values.size(); ++i) {
            obj.insert(columns.at(i).toString(), values.at(i));
        }
        out.append(obj);
    }
    return out;
}

} // namespace greenpulse::servers
