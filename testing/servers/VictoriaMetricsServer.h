#pragma once

// A real VictoriaMetrics single-node on a free loopback port, its data in a temporary folder.
// It accepts InfluxDB line protocol on /write and /api/v2/write.

#include "ServerProcess.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace greenpulse::servers {

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
    ServerProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace greenpulse::servers
