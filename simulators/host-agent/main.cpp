// greenpulse-host-agent: the power meter of one host (RAPL, hwmon, NVML, or simulated: busy while
// a job runs on it).
#include "ConnectionMonitor.h"
#include "HostAgent.h"
#include "PublisherProgram.h"
#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "mqtt/MosquittoClient.h"
#include "sources/PowerMeter.h"
#include "sources/SourceSelection.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <cstdio>

using namespace greenpulse;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    sim::PublisherProgram program(QStringLiteral("greenpulse-host-agent"));
    for (const core::OptionSpec &spec : sim::sourceOptionSpecs()) {
        program.addOption(spec);
    }
    program.addOption(sim::HostAgent::zoneOptionSpec());
    if (!program.parse()) {
        return program.exitCode();
    }
    const sim::SourceSettings sourceSettings = sim::sourceSettings(program.options());
    if (sim::listSourcesRequested(program.options())) {
        std::fputs(sim::listSources(sourceSettings).toLocal8Bit().constData(), stdout);
        return 0;
    }
    sim::SourceSelection selection =
        sim::selectSources(sim::sourceOption(program.options()), sourceSettings);
    if (!selection.error.isEmpty()) {
        std::fprintf(stderr, "greenpulse-host-agent: %s\n", qPrintable(selection.error));
        return 2;
    }
    for (const QString &warning : std::as_const(selection.warnings)) {
        qCWarning(lcSim).noquote() << warning;
    }
    sim::HostAgent::Settings settings;
    static_cast<sim::PublishSettings &>(settings) = program.settings();
    settings.zone = program.options().value(sim::HostAgent::zoneOptionSpec().name).trimmed();
    if (!settings.zone.isEmpty()) {
        if (const auto problem = sim::HostAgent::zoneProblem(settings.host, settings.zone)) {
            std::fprintf(stderr, "greenpulse-host-agent: --zone \"%s\": %s\n",
                         qPrintable(settings.zone), qPrintable(*problem));
            return 2;
        }
    }

    core::MqttOptions mqtt = program.mqttOptions();
    // A persistent session: the broker keeps the control messages sent while we are away (e.g.
    // the end of a job), so the agent does not report a finished job as running after a reconnect.
    mqtt.cleanSession = false;
    core::MosquittoClient client(mqtt);
    sim::ConnectionMonitor monitor(client, mqtt.brokerUrl);
    core::SystemClock clock;
    QRandomGenerator random(QRandomGenerator::system()->generate());
    const QString counterIdBase = QString::number(random.generate64(), 16);
    sim::PowerMeter meter(std::move(selection.sources), counterIdBase);
    std::unique_ptr<sim::HostAgent> agent =
        selection.simulated ? std::make_unique<sim::HostAgent>(client, settings, random, clock)
                            : std::make_unique<sim::HostAgent>(client, settings, meter, clock);

    qCInfo(lcSim).noquote() << "publishing the power of" << settings.host << "every"
                            << settings.intervalMs << "ms to" << core::redactUrl(mqtt.brokerUrl)
                            << "from"
                            << (selection.simulated ? QStringLiteral("a simulation (sim)")
                                                    : meter.sourceNames().join(QLatin1Char(',')));
    if (!settings.zone.isEmpty()) {
        qCInfo(lcSim).noquote() << "grid zone:" << settings.zone;
    }
    if (!selection.simulated) {
        for (const auto &source : meter.sources()) {
            qCInfo(lcSim).noquote() << source->name() + QStringLiteral(":")
                                    << source->components().join(QStringLiteral(", "));
        }
    }
    return program.run(*agent, client, monitor);
}
