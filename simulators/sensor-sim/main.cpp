// greenpulse-sensor-sim: simulated cooling-loop sensor of one host (flow and temperature).
#include "ConnectionMonitor.h"
#include "Logging.h"
#include "MosquittoClient.h"
#include "Options.h"
#include "SensorSimulator.h"
#include "SimulatorSupport.h"
#include "UnixSignals.h"
#include "Version.h"

#include <QCoreApplication>

using namespace greenpulse;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString program = QStringLiteral("greenpulse-sensor-sim");
    QCoreApplication::setApplicationName(program);
    QCoreApplication::setApplicationVersion(QLatin1String(core::kVersion));

    core::Options options(program,
                          core::Options::Mqtt | core::Options::Host | core::Options::Publishing);
    int exitCode = 0;
    if (!options.parse(QCoreApplication::arguments(), &exitCode)) {
        return exitCode;
    }
    sim::SensorSimulator::Settings settings;
    settings.host = options.hostName();
    if (!sim::readPublishingOptions(options, &settings.intervalMs, &settings.count)) {
        return 2;
    }

    const core::MqttOptions mqtt =
        sim::simulatorMqttOptions(options, sim::stableClientId(program, settings.host));
    core::MosquittoClient client(mqtt);
    sim::ConnectionMonitor monitor(client, mqtt.brokerUrl);
    core::SystemClock clock;
    sim::SensorSimulator simulator(client, settings, clock);
    core::UnixSignals unixSignals;

    QObject::connect(&unixSignals, &core::UnixSignals::terminationRequested, &simulator,
                     [&simulator](int signalNumber) {
                         qCInfo(lcSim) << "signal" << signalNumber << "- stopping";
                         simulator.stop();
                     });
    QObject::connect(&simulator, &sim::SensorSimulator::finished, &app, [&client, &app] {
        sim::shutDown(client, "offline", sim::kFlushTimeoutMs, &app,
                      [](bool) { QCoreApplication::exit(0); });
    });
    QObject::connect(&monitor, &sim::ConnectionMonitor::fatalError, &app,
                     [] { QCoreApplication::exit(1); });

    qCInfo(lcSim).noquote() << "publishing flow and temperature of" << settings.host << "every"
                            << settings.intervalMs << "ms to" << mqtt.brokerUrl;
    simulator.start();
    return QCoreApplication::exec();
}
