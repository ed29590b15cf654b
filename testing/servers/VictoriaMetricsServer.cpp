#include "VictoriaMetricsServer.h"

#include "ServerSupport.h"

#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

namespace greenpulse::servers {

VictoriaMetricsServer::VictoriaMetricsServer() : m_process(QStringLiteral("victoria-metrics.log"))
{}

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
        QStringLiteral("-storageDataPath=") + m_process.filePath(QStringLiteral("data")),
        QStringLiteral("-httpListenAddr=127.0.0.1:%1").arg(m_port),
        QStringLiteral("-retentionPeriod=100y"), // test points may carry old timestamps
        QStringLiteral("-loggerLevel=ERROR"),
    };
    if (!m_process.start(program, args)) {
        m_error = QStringLiteral("victoria-metrics did not start");
        return false;
    }
    const bool up = m_process.waitUntilReady(
        [this] {
            return httpRequest(QStringLiteral("GET"), url() + QStringLiteral("/health"), {},
                               nullptr, 1000) == 200;
        },
        30000);
    if (!up) {
        m_error = QStringLiteral("victoria-metrics did not answer /health: ") +
                  QString::fromUtf8(m_process.log());
        return false;
    }
    return true;
}

void VictoriaMetricsServer::stop()
{
    m_process.stop(15000);
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

} // namespace greenpulse::servers
