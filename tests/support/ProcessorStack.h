#pragma once

#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "mqtt/MosquittoClient.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <memory>

namespace greenpulse::test {

// A real mosquitto, the real greenpulse-processor on it (ledger in a temporary folder, no config
// file) and a publisher connected to it: the stack of the processor's end-to-end tests.
struct ProcessorStack
{
    MosquittoBroker broker;
    QTemporaryDir dir;
    Child processor;
    std::unique_ptr<core::MosquittoClient> publisher;

    // Starts the broker, the processor (client id `<name>-processor`, `extraArgs` after the
    // stack's own) and the publisher (`<name>-publisher`); false, with the reason as a test
    // failure, when one of them does not come up.
    bool start(const QString &name, const QStringList &extraArgs = {});
    void publish(const char *topic, const QByteArray &payload);
    // SIGTERM, and the processor's exit summary (its standard output).
    QJsonObject stop();
};

} // namespace greenpulse::test
