#pragma once

#include <QProcess>
#include <QTemporaryDir>

namespace greenpulse::bench {

// The harness's own mosquitto on a free loopback port, configured so that it drops nothing
// under a burst: max_queued_messages raised far above the default 1,000 per client (which
// drops QoS 0 messages of a slow subscriber) and no byte limit on the queue.
class BenchBroker
{
public:
    BenchBroker();
    ~BenchBroker();

    bool start(QString *error);
    void stop();
    quint16 port() const { return m_port; }
    QString url() const; // tcp://127.0.0.1:<port>
    qint64 pid() const { return m_process.processId(); }
    // Lines of mosquitto's log saying it dropped messages for a client (none expected).
    int dropWarnings() const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace greenpulse::bench
