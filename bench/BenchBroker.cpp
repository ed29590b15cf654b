#include "BenchBroker.h"

namespace greenpulse::bench {

namespace {

servers::MosquittoServer::Config throughputConfig()
{
    servers::MosquittoServer::Config config;
    config.maxQueuedMessages = 100'000'000;
    config.extraConfig = "max_queued_bytes 0\n";
    return config;
}

} // namespace

BenchBroker::BenchBroker() : m_server(throughputConfig()) {}

bool BenchBroker::start(QString *error)
{
    if (!m_server.start()) {
        *error = QStringLiteral("mosquitto did not start on port %1: %2")
                     .arg(m_server.port())
                     .arg(m_server.lastError());
        return false;
    }
    return true;
}

int BenchBroker::dropWarnings() const
{
    int count = 0;
    for (const QByteArray &line : m_server.log().split('\n')) {
        const QByteArray lower = line.toLower();
        if (lower.contains("dropp") || lower.contains("out of memory")) {
            ++count;
        }
    }
    return count;
}

} // namespace greenpulse::bench
