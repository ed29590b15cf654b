#pragma once

#include "MosquittoServer.h"

#include <QString>

namespace greenpulse::bench {

// The harness's own mosquitto (the shared launcher, testing/servers), configured so that it
// drops nothing under a burst: max_queued_messages raised far above the default 1,000 per client
// (which drops QoS 0 messages of a slow subscriber) and no byte limit on the queue.
class BenchBroker
{
public:
    BenchBroker();

    bool start(QString *error);
    void stop() { m_server.stop(); }
    quint16 port() const { return m_server.port(); }
    QString url() const { return m_server.url(); } // tcp://127.0.0.1:<port>
    qint64 pid() const { return m_server.pid(); }
    // Lines of mosquitto's log saying it dropped messages for a client (none expected).
    int dropWarnings() const;

private:
    servers::MosquittoServer m_server;
};

} // namespace greenpulse::bench
