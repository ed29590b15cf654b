// greenpulse-host-agent: simulated power meter of one host, busy while a job runs on it.
#include "ConnectionMonitor.h"
#include "HostAgent.h"
#include "base/Logging.h"
#include "mqtt/MosquittoClient.h"
#include "PublisherProgram.h"
#include "base/SecurityChecks.h"

#include <QCoreApplication>
#include <QRandomGenerator>

using namespace greenpulse;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    sim::PublisherProgram program(QStringLiteral("greenpulse-host-agent"));
    if (!program.parse()) {
        return program.exitCode();
    }
    const sim::HostAgent::Settings settings{program.settings()};

    core::MqttOptions mqtt = program.mqttOptions();
    // A persistent session: the broker keeps the control messages sent while we are away (e.g.
    // the end of a job), so the agent does not report a finished job as running after a reconnect.
    mqtt.cleanSession = false;
    core::MosquittoClient client(mqtt);
    sim::ConnectionMonitor monitor(client, mqtt.brokerUrl);
    core::SystemClock clock;
    QRandomGenerator random(QRandomGenerator::system()->generate());
    sim::HostAgent agent(client, settings, random, clock);

    qCInfo(lcSim).noquote() << "publishing the power of" << settings.host << "every"
                            << settings.intervalMs << "ms to" << core::redactUrl(mqtt.brokerUrl);
    return program.run(agent, client, monitor);
}
