#pragma once

#include "TestSupport.h"

#include <QJsonObject>
#include <QTemporaryDir>

namespace greenpulse::test {

// A real InfluxDB 1.x (influxd) on free loopback ports, its config, meta, data and WAL in a
// temporary folder. stop() and start() again keep the ports and the data: an outage.
class InfluxServer
{
public:
    InfluxServer();
    ~InfluxServer();

    bool start(); // waits until GET /ping answers 204
    void stop();  // SIGTERM, wait
    bool isRunning() const { return m_child.isRunning(); }

    quint16 port() const { return m_port; }
    QString url() const; // http://127.0.0.1:<port>
    QString dir() const { return m_dir.path(); }
    QString lastError() const { return m_error; }
    QByteArray log(); // influxd's output so far

    // POST /query?db=<db>&epoch=<epoch> with q=<influxql>; the parsed JSON answer (empty on
    // failure). An empty epoch gives RFC 3339 times, which keep all nine decimals (a JSON number
    // of nanoseconds does not fit a double).
    QJsonObject query(const QString &influxql, const QString &db = {},
                      const QString &epoch = QStringLiteral("ns"));
    // The rows of the first series of the first result, as (column -> value) objects.
    QList<QJsonObject> rows(const QString &influxql, const QString &db,
                            const QString &epoch = QStringLiteral("ns"));

private:
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    quint16 m_rpcPort = 0;
    Child m_child;
    QString m_error;
};

// A real VictoriaMetrics single-node on a free loopback port, its data in a temporary folder.
// It accepts InfluxDB line protocol on /write and /api/v2/write.
class VictoriaMetricsServer
{
public:
    VictoriaMetricsServer();
    ~VictoriaMetricsServer();

    bool start(); // waits until GET /health answers
    void stop();
    quint16 port() const { return m_port; }
    QString url() const;
    QString lastError() const { return m_error; }

    // /internal/force_flush, then /api/v1/export?match[]=<selector>: one JSON object per series
    // ({"metric": {...}, "values": [...], "timestamps": [...]}).
    QList<QJsonObject> exportSeries(const QString &selector);

private:
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    Child m_child;
    QString m_error;
};

// Synchronous HTTP GET/POST for tests (spins a local event loop). Returns the status code, or 0.
int httpRequest(const QString &method, const QString &url, const QByteArray &body = {},
                QByteArray *response = nullptr, int timeoutMs = 10000);

} // namespace greenpulse::test
