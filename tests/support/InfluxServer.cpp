#include "InfluxServer.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

namespace greenpulse::test {

int httpRequest(const QString &method, const QString &url, const QByteArray &body,
                QByteArray *response, int timeoutMs)
{
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(timeoutMs);
    if (!body.isEmpty()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
    }
    QNetworkReply *reply = nam.sendCustomRequest(request, method.toLatin1(), body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (response) {
        *response = reply->readAll();
    }
    reply->deleteLater();
    return code;
}

// ---------------------------------------------------------------------------------------------

InfluxServer::InfluxServer() = default;

InfluxServer::~InfluxServer()
{
    stop();
}

QString InfluxServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

bool InfluxServer::start()
{
    if (!m_dir.isValid()) {
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
    const QString dir = m_dir.path();
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
    if (!m_child.start(program, {QStringLiteral("-config"), file.fileName()})) {
        m_error = QStringLiteral("influxd did not start");
        return false;
    }
    const bool up = waitUntil(
        [this] {
            return !m_child.isRunning() ||
                   httpRequest(QStringLiteral("GET"), url() + QStringLiteral("/ping"), {}, nullptr,
                               1000) == 204;
        },
        30000);
    if (!up || !m_child.isRunning()) {
        m_error = QStringLiteral("influxd did not answer /ping: ") + QString::fromUtf8(log());
        return false;
    }
    return true;
}

void InfluxServer::stop()
{
    if (m_child.isRunning() && !m_child.terminate(15000)) {
        m_child.kill();
    }
}

QByteArray InfluxServer::log()
{
    return m_child.readStdout() + m_child.readStderr();
}

QJsonObject InfluxServer::query(const QString &influxql, const QString &db, const QString &epoch)
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

QList<QJsonObject> InfluxServer::rows(const QString &influxql, const QString &db,
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

// ---------------------------------------------------------------------------------------------

VictoriaMetricsServer::VictoriaMetricsServer() = default;

VictoriaMetricsServer::~VictoriaMetricsServer()
{
    stop();
}

QString VictoriaMetricsServer::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

bool VictoriaMetricsServer::start()
{
    if (m_port == 0) {
        m_port = freePort();
    }
    const QString program = findExecutable(QStringLiteral("victoria-metrics"));
    if (program.isEmpty()) {
        m_error = QStringLiteral("victoria-metrics not found");
        return false;
    }
    const QStringList args = {
        QStringLiteral("-storageDataPath=") + m_dir.path(),
        QStringLiteral("-httpListenAddr=127.0.0.1:%1").arg(m_port),
        QStringLiteral("-retentionPeriod=100y"), // test points may carry old timestamps
        QStringLiteral("-loggerLevel=ERROR"),
    };
    if (!m_child.start(program, args)) {
        m_error = QStringLiteral("victoria-metrics did not start");
        return false;
    }
    const bool up = waitUntil(
        [this] {
            return !m_child.isRunning() ||
                   httpRequest(QStringLiteral("GET"), url() + QStringLiteral("/health"), {},
                               nullptr, 1000) == 200;
        },
        30000);
    if (!up || !m_child.isRunning()) {
        m_error = QStringLiteral("victoria-metrics did not answer /health: ") +
                  QString::fromUtf8(m_child.readStderr());
        return false;
    }
    return true;
}

void VictoriaMetricsServer::stop()
{
    if (m_child.isRunning() && !m_child.terminate(15000)) {
        m_child.kill();
    }
}

QList<QJsonObject> VictoriaMetricsServer::exportSeries(const QString &selector)
{
    httpRequest(QStringLiteral("GET"), url() + QStringLiteral("/internal/force_flush"));
    QUrl u(url() + QStringLiteral("/api/v1/export"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("match[]"),
                   QString::fromLatin1(QUrl::toPercentEncoding(selector)));
    u.setQuery(q);
    QByteArray answer;
    if (httpRequest(QStringLiteral("GET"), u.toString(), {}, &answer) != 200) {
        return {};
    }
    QList<QJsonObject> out;
    for (const QByteArray &line : answer.split('\n')) {
        if (!line.trimmed().isEmpty()) {
            out.append(QJsonDocument::fromJson(line).object());
        }
    }
    return out;
}

} // namespace greenpulse::test
