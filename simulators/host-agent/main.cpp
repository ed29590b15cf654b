// greenpulse-host-agent: simulated power meter of one host, busy while a job runs on it.
#include "ConnectionMonitor.h"
#include "HostAgent.h"
#include "Logging.h"
#include "MosquittoClient.h"
#include "Options.h"
#include "SimulatorSupport.h"
#include "UnixSignals.h"
#include "Version.h"

#include <QCoreApplication>
#include <QRandomGenerator>

using namespace greenpulse;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString program = QStringLiteral("greenpulse-host-agent");
    QCoreApplication::setApplicationName(program);
    QCoreApplication::setApplicationVersion(QLatin1String(core::kVersion));

    core::Options options(program,
                          core::Options::Mqtt | core::Options::Host | core::Options::Publishing);
    int exitCode = 0;
    if (!options.parse(QCoreApplication::arguments(), &exitCode)) {
        return exitCode;
    }
    sim::HostAgent::Settings settings;
    settings.host = options.hostName();
    if (!sim::readPublishingOptions(options, &settings.intervalMs, &settings.count)) {
        return 2;
    }

    core::MqttOptions mqtt =
        sim::simulatorMqttOptions(options, sim::stableClientId(program, settings.host));
    // A persistent session: the broker keeps the control messages sent while we are away (e.g.
    // the end of a job), so the agent does not report a finished job as running after a reconnect.
    mqtt.cleanSession = false;
    core::MosquittoClient client(mqtt);
    sim::ConnectionMonitor monitor(client, mqtt.brokerUrl);
    core::SystemClock clock;
    QRandomGenerator random(QRandomGenerator::system()->generate());
    sim::HostAgent agent(client, settings, random, clock);
    core::UnixSignals unixSignals;

    QObject::connect(&unixSignals, &core::UnixSignals::terminationRequested, &agent,
                     [&agent](int signalNumber) {
                         qCInfo(lcSim) << "signal" << signalNumber << "- stopping";
                         agent.stop();
                     });
    QObject::connect(&agent, &sim::HostAgent::finished, &app, [&client, &app] {
        sim::shutDown(client, "offline", sim::kFlushTimeoutMs, &app,
                      [](bool) { QCoreApplication::exit(0); });
    });
    QObject::connect(&monitor, &sim::ConnectionMonitor::fatalError, &app,
                     [] { QCoreApplication::exit(1); });

    qCInfo(lcSim).noquote() << "publishing the power of" << settings.host << "every"
                            << settings.intervalMs << "ms to" << mqtt.brokerUrl;
    agent.start();
    return QCoreApplication::exec();
}
