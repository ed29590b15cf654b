#pragma once

#include <QProcess>
#include <QTemporaryDir>

namespace greenpulse::bench {

// The harness's own InfluxDB 1.x (influxd) on free loopback ports, data in a temporary folder.
class BenchInflux
{
public:
    BenchInflux();
    ~BenchInflux();

    bool start(QString *error); // waits until GET /ping answers 204
    void stop();
    QString url() const; // http://127.0.0.1:<port>
    QString dir() const { return m_dir.path(); }
    bool createDatabase(const QString &name);
    // SELECT count(<field>) FROM <measurement>: the number of points stored (-1 on failure).
    qint64 countPoints(const QString &db, const QString &measurement, const QString &field);

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace greenpulse::bench
