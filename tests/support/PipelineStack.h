#pragma once

#include "InfluxServer.h"
#include "MosquittoBroker.h"
#include "TestSupport.h"

#include <QTemporaryDir>

namespace greenpulse::test {

// The stack the pipeline tests run the product in: a real mosquitto and influxd on free loopback
// ports, the host-agent and cooling-loop simulators for one host, and a folder for the
// processor's spool and ledger.
struct PipelineStack
{
    MosquittoBroker broker;
    InfluxServer influx;
    QTemporaryDir dir;
    Child agent;
    Child sensor;
    QString host = QStringLiteral("influx-pipeline-host");

    // greenpulse-host-agent and greenpulse-sensor-sim for `host`, on `broker`.
    bool startSimulators();
    // greenpulse-processor's arguments: `broker`, database "greenpulse" on `influx`, spool and
    // ledger in `dir`, no config file.
    QStringList processorArgs(const QString &clientId = QStringLiteral("pipeline-processor")) const;
};

// Starts greenpulse-processor and waits until it reports "MQTT connected".
bool startProcessor(Child &processor, const QStringList &args);

} // namespace greenpulse::test
