// greenpulse-sensor-sim: simulated cooling-loop sensor of one host (flow and temperature).
#include "ConnectionMonitor.h"
#include "base/Logging.h"
#include "mqtt/MosquittoClient.h"
#include "PublisherProgram.h"
#include "base/SecurityChecks.h"
#include "SensorSimulator.h"

#include <QCoreApplication>

using namespace greenpulse;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    sim::PublisherProgram program(QStringLiteral("greenpulse-sensor-sim"));
    if (!program.parse()) {
        return program.exitCode();
    }
    const sim::SensorSimulator::Settings settings = program.settings();

    const core::MqttOptions mqtt = program.mqttOptions();
    core::MosquittoClient client(mqtt);
    sim::ConnectionMonitor monitor(client, mqtt.brokerUrl);
    core::SystemClock clock;
    sim::SensorSimulator simulator(client, settings, clock);

    qCInfo(lcSim).noquote() << "publishing flow and temperature of" << settings.host << "every"
                            << settings.intervalMs << "ms to" << core::redactUrl(mqtt.brokerUrl);
    return program.run(simulator, client, monitor);
}
