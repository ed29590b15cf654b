#pragma once

// One server program run for a test or a benchmark: its files in a temporary folder, everything
// it prints (stdout and stderr) in a log file there, SIGTERM (then SIGKILL) when stopped or
// destroyed. Started again, it keeps the folder: an outage, not a new server.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <functional>

namespace greenpulse::servers {

class ServerProcess
{
public:
    explicit ServerProcess(QString logName); // e.g. "mosquitto.log"
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    bool hasDir() const { return m_dir.isValid(); }
    QString dir() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    // Starts `program` (the log starts afresh); false when it could not be started.
    bool start(const QString &program, const QStringList &args);
    // SIGTERM; SIGKILL when it is still running after timeoutMs.
    void stop(int timeoutMs);
    void kill(); // SIGKILL and wait
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }
    QByteArray log() const; // everything it printed since it was started

    // Polls `ready` until it holds (true) or the process exits or timeoutMs passes (false).
    bool waitUntilReady(const std::function<bool()> &ready, int timeoutMs);

private:
    QTemporaryDir m_dir;
    QString m_logName;
    QProcess m_process;
};

} // namespace greenpulse::servers
