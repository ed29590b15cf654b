#pragma once

// A real InfluxDB 1.x (influxd) on free loopback ports, its config, meta, data and WAL in a
// temporary folder. stop() and start() again keep the ports and the data: an outage.

#include "ServerProcess.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace greenpulse::servers {

class InfluxDbServer
{
public:
    InfluxDbServer();
    ~InfluxDbServer();

    bool start(); // waits until GET /ping answers 204
    void stop();  // SIGTERM, wait
    bool isRunning() const { return m_process.isRunning(); }

    quint16 port() const { return m_port; }
    QString url() const; // http://127.0.0.1:<port>
    QString dir() const { return m_process.dir(); }
    QString lastError() const { return m_error; }
    QByteArray log() const { return m_process.log(); } // influxd's output since it started

    // POST /query?db=<db>&epoch=<epoch> with q=<influxql>; the parsed JSON answer (empty on
    // failure). An empty epoch gives RFC 3339 times, which keep all nine decimals (a JSON number
    // of nanoseconds does not fit a double).
    QJsonObject query(const QString &influxql, const QString &db = {},
                      const QString &epoch = QStringLiteral("ns"));
    // The rows of the first series of the first result, as (column -> value) objects.
    QList<QJsonObject> rows(const QString &influxql, const QString &db,
                            const QString &epoch = QStringLiteral("ns"));

private:
    ServerProcess m_process;
    quint16 m_port = 0;
    quint16 m_rpcPort = 0;
    QString m_error;
};

} // namespace greenpulse::servers
