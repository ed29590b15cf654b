#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace greenpulse::bench {

// greenpulse-processor as a child process with its own state file, spool and empty config,
// logging its counters every second (which the harness reads to know what it accounted).
class ProcessorChild
{
public:
    ProcessorChild() = default;
    ~ProcessorChild();

    bool start(const QString &brokerUrl, const QString &influxUrl, QString *error);
    qint64 pid() const { return m_process.processId(); }
    // "accepted" from the latest counters line (-1 before the first).
    qint64 accepted();
    // SIGTERM; returns the JSON it prints on exit (jobs + counters), empty on failure.
    QJsonObject stop();

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_err;
};

} // namespace greenpulse::bench
