#pragma once

#include "InfluxDbServer.h"

#include <QString>

namespace greenpulse::bench {

// The harness's own InfluxDB 1.x (the shared launcher, testing/servers), with the queries the
// write benchmark needs.
class BenchInflux
{
public:
    bool start(QString *error); // waits until GET /ping answers 204
    void stop() { m_server.stop(); }
    QString url() const { return m_server.url(); } // http://127.0.0.1:<port>
    QString dir() const { return m_server.dir(); }
    bool createDatabase(const QString &name);
    // SELECT count(<field>) FROM <measurement>: the number of points stored (-1 on failure).
    qint64 countPoints(const QString &db, const QString &measurement, const QString &field);

private:
    servers::InfluxDbServer m_server;
};

} // namespace greenpulse::bench
